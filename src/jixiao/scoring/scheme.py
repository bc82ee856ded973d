"""A scoring scheme: the weights and formulas a locality uses, as plain data.

Schemes are read from YAML by ``jixiao.config``; this module only defines them and the
lookups the engine needs, so nothing a locality may set differently lives in code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Literal

from jixiao.values import Direction, Tier

ExecutionFormula = Literal["linear", "steps"]
ReverseFormula = Literal["ratio", "linear"]
CompoundRule = Literal["mean", "min"]
# The memo of a scheme: (target, actual, weight, 二级) → (the score's fields after the
# indicator, the point score it counts whatever was reported, or None).
Key = tuple[str | None, str | None, Decimal | None, str | None]
Verdict = tuple[Any, ...]
Known = tuple[Verdict, Decimal | None]

EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(7)}
_DECLARED = re.compile(r"[（(]\s*[\d.]+\s*分?\s*[)）]")
_BLANKS = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def clean_category(name: str) -> str:
    """ "产出指标 (50分)" → "产出指标"; "满意度\n指标" → "满意度指标"."""
    return _BLANKS.sub("", _DECLARED.sub("", name))


@dataclass(frozen=True, slots=True)
class Level1Spec:
    """A first-level indicator (一级指标) and its weight in this scheme."""

    name: str
    weight: Decimal
    level2: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, name: str) -> bool:
        cleaned = clean_category(name)
        return cleaned == self.name or cleaned in self.aliases


@dataclass(frozen=True, slots=True)
class ExecutionRule:
    """How the funds execution rate becomes a score.

    ``linear``: score = min(rate, 100 %) × weight. ``steps``: the first step whose
    ``min_rate`` the rate reaches gives ``fraction`` × weight.
    """

    formula: ExecutionFormula = "linear"
    steps: tuple[tuple[Decimal, Decimal], ...] = ()  # (min_rate %, fraction), descending
    rate_decimals: int = 2


@dataclass(frozen=True, slots=True)
class GradeBand:
    minimum: Decimal
    grade: str


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    title: str
    funds_weight: Decimal
    level1: tuple[Level1Spec, ...]
    execution: ExecutionRule = field(default_factory=ExecutionRule)
    reverse_formula: ReverseFormula = "ratio"
    compound: CompoundRule = "mean"
    qualitative: Mapping[Tier, tuple[Decimal, Decimal]] = field(default_factory=dict)
    over_achievement: Decimal = Decimal("1.5")
    grades: tuple[GradeBand, ...] = ()
    score_decimals: int = 2
    default_direction: Direction = Direction.POSITIVE
    level2_directions: Mapping[str, Direction] = field(default_factory=dict)
    description: str = ""
    # Scores already worked out for the same (target, actual, weight, 二级): scoring is a
    # pure function of them under one scheme, and a province repeats them endlessly.
    memo: dict[Key, Known] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def total_weight(self) -> Decimal:
        return self.funds_weight + sum((spec.weight for spec in self.level1), Decimal(0))

    def level1_spec(self, name: str | None) -> Level1Spec | None:
        if not name:
            return None
        return next((spec for spec in self.level1 if spec.matches(name)), None)

    def direction_for(self, level2: str | None) -> Direction:
        """The direction of a bare number (no ≥ / ≤) in this 二级 category."""
        if level2:
            found = self.level2_directions.get(clean_category(level2))
            if found is not None:
                return found
        return self.default_direction

    def grade_for(self, total: Decimal) -> str | None:
        for band in self.grades:
            if total >= band.minimum:
                return band.grade
        return None

    def round_score(self, value: Decimal) -> Decimal:
        return value.quantize(EXPONENTS[self.score_decimals], ROUND_HALF_UP)

    def round_rate(self, value: Decimal) -> Decimal:
        return value.quantize(EXPONENTS[self.execution.rate_decimals], ROUND_HALF_UP)
