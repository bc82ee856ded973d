"""Helpers shared by the SC rules, so they agree on what is "the sum" and "within".

``table_sum``: what the 总分 row should hold (SC01 and SC02 never report the same total);
``within``: a written score inside a method's range at its written precision (SC04, SC06).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from jixiao.audit.precision import agrees
from jixiao.audit.rule import Checked

ZERO = Decimal(0)


class TableSum(NamedTuple):
    """Funds score (written, else recomputed) + Σ written indicator scores (blank counts 0)."""

    funds: Decimal
    funds_written: bool
    indicators: Decimal
    blanks: int  # indicators with a weight but no score

    @property
    def total(self) -> Decimal:
        return self.funds + self.indicators


def table_sum(checked: Checked) -> TableSum | None:
    """The sum the 总分 should equal; ``None`` when the funds score is neither written nor
    recomputable (a blank funds block is the funds rules' business)."""
    evaluation = checked.evaluation
    written = evaluation.funds.score
    funds = written if written is not None else checked.score.funds.score
    if funds is None:
        return None
    indicators = sum((i.score for i in evaluation.indicators if i.score is not None), ZERO)
    blanks = sum(1 for i in evaluation.indicators if i.score is None and i.weight is not None)
    return TableSum(funds, written is not None, indicators, blanks)


def blank_note(blanks: int) -> str:
    """The clause a message adds when some indicator scores were blank and counted as 0."""
    return f"（其中 {blanks} 个指标未填得分，按 0 分计）" if blanks else ""


def within(written: Decimal, low: Decimal, high: Decimal, tolerance: Decimal) -> bool:
    """``written`` lies in [low, high], or equals a bound at its own precision."""
    if low - tolerance <= written <= high + tolerance:
        return True
    return agrees(written, low, tolerance) or agrees(written, high, tolerance)
