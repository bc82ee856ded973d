"""Helpers shared by the DV rules: what counts as "no explanation", and a missed target.

DV01 (deducted), DV02 (missed) and DV03 (far exceeded) share them so that each indicator
gets at most one DV finding: DV01 first, then DV02, then DV03.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.scoring import IndicatorScore

# A deviation cell holding only one of these says nothing about the deviation.
BLANK_WORDS = ("无", "/", "-", "—", "——", "－", "暂无", "没有", "无偏差", "不适用", "0")


def unexplained(text: str | None, blank_words: Iterable[str]) -> bool:
    """True when the 偏差原因分析及改进措施 cell is empty or holds only a placeholder."""
    cleaned = (text or "").strip().strip("。.；;")
    return not cleaned or cleaned in set(blank_words)


def deducted(scored: IndicatorScore) -> bool:
    """Scored below its weight (DV01's case)."""
    item = scored.indicator
    return item.score is not None and item.weight is not None and item.score < item.weight


def missed(scored: IndicatorScore) -> bool:
    """The method says the target was missed: it decided, and even its best is below full."""
    weight = scored.indicator.weight
    return weight is not None and scored.high is not None and scored.high < weight


def percent(ratio: Decimal) -> Decimal:
    """451 for a ratio of 4.51 (whole percent, as a reviewer writes it)."""
    return (ratio * 100).quantize(Decimal(1))
