"""What the scoring engine returns: recomputed figures, the rule applied, and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jixiao.model import Evaluation, Indicator
from jixiao.values import Direction, Tier


class Rule(StrEnum):
    """The scoring rule applied to an indicator (its code appears in JSON output)."""

    POSITIVE = "positive"
    NEGATIVE_RATIO = "negative-ratio"
    NEGATIVE_LINEAR = "negative-linear"
    EQUAL = "equal"
    TIME = "time"
    QUALITATIVE = "qualitative"
    COMPOUND = "compound"
    UNDETERMINED = "undetermined"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    Rule.POSITIVE: "正向比例",
    Rule.NEGATIVE_RATIO: "反向比例",
    Rule.NEGATIVE_LINEAR: "反向线性",
    Rule.EQUAL: "等值",
    Rule.TIME: "时效",
    Rule.QUALITATIVE: "定性分档",
    Rule.COMPOUND: "复合逐项",
    Rule.UNDETERMINED: "无法判定",
}


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """The method's score for one indicator: a point, or a range for qualitative tiers.

    ``low``/``high`` are ``None`` when the engine could not decide; ``explanation`` then
    says why. ``ratio`` is actual ÷ target for numeric indicators.
    """

    indicator: Indicator
    rule: Rule
    explanation: str
    low: Decimal | None = None
    high: Decimal | None = None
    direction: Direction = Direction.UNKNOWN
    ratio: Decimal | None = None
    tier: Tier | None = None
    over_achieved: bool = False
    note: str | None = None

    @property
    def determined(self) -> bool:
        return self.low is not None

    @property
    def score(self) -> Decimal | None:
        """The single score the method gives, ``None`` for a range or when undetermined."""
        return self.low if self.low is not None and self.low == self.high else None

    def expected(self) -> Decimal | None:
        """The score to count: the point score, or the reported one held inside the range."""
        if self.low is None or self.high is None:
            return None
        reported = self.indicator.score
        if reported is None:
            return self.high
        return min(max(reported, self.low), self.high)

    def counted(self) -> Decimal:
        """What this indicator adds to the recomputed total (reported when undetermined)."""
        expected = self.expected()
        if expected is not None:
            return expected
        return self.indicator.score or Decimal(0)


@dataclass(frozen=True, slots=True)
class FundsScore:
    """The recomputed execution rate (percent) and execution score."""

    weight: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    explanation: str


@dataclass(frozen=True, slots=True)
class EvaluationScore:
    """A whole table rescored by a scheme, side by side with what was written."""

    evaluation: Evaluation
    scheme_name: str
    funds: FundsScore
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str | None
    children: tuple[EvaluationScore, ...] = ()

    @property
    def undetermined(self) -> tuple[IndicatorScore, ...]:
        return tuple(item for item in self.indicators if not item.determined)

    def walk(self) -> tuple[EvaluationScore, ...]:
        out: list[EvaluationScore] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)
