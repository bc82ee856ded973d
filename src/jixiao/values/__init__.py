"""Understanding the values people write as targets and actuals (domain.md §4)."""

from jixiao.values.compare import Aligned, align, pair_parts
from jixiao.values.parse import direction_of, normalise, parse_value
from jixiao.values.qualitative import assess
from jixiao.values.types import (
    Comparator,
    Direction,
    Quantity,
    Tier,
    TimeValue,
    Value,
    ValueKind,
)

__all__ = [
    "Aligned",
    "Comparator",
    "Direction",
    "Quantity",
    "Tier",
    "TimeValue",
    "Value",
    "ValueKind",
    "align",
    "assess",
    "direction_of",
    "normalise",
    "pair_parts",
    "parse_value",
]
