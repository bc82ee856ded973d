"""What a target or actual value means once read: the types the parser returns.

They are named tuples (immutable, and several times cheaper to create than frozen
dataclasses): the parser makes one per distinct string of a whole province.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple


class Comparator(StrEnum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="


class Direction(StrEnum):
    """Which way is better: the basis of the scoring rule."""

    POSITIVE = "positive"  # 正向：越大越好
    NEGATIVE = "negative"  # 反向：越小越好
    EQUAL = "equal"  # 等于目标
    TIME = "time"  # 时效：按时即可
    QUALITATIVE = "qualitative"  # 定性
    UNKNOWN = "unknown"  # 文本中看不出方向

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self]


_DIRECTION_LABELS = {
    Direction.POSITIVE: "正向",
    Direction.NEGATIVE: "反向",
    Direction.EQUAL: "等值",
    Direction.TIME: "时效",
    Direction.QUALITATIVE: "定性",
    Direction.UNKNOWN: "方向未定",
}


class ValueKind(StrEnum):
    QUANTITY = "quantity"  # one number: 8家, ≥95%, 260亿
    COMPOUND = "compound"  # labelled parts: 省级平台2个以上，市级平台25个以上
    TIME = "time"  # 12月, 12个月, 2024.12.31前
    QUALITATIVE = "qualitative"  # 效果明显, 已完成
    EMPTY = "empty"
    UNREADABLE = "unreadable"  # numbers present but no single reading


class Tier(StrEnum):
    """The three qualitative tiers of the national method."""

    ACHIEVED = "achieved"  # 达成
    PARTIAL = "partial"  # 部分达成
    NOT_ACHIEVED = "not_achieved"  # 未达成

    @property
    def label(self) -> str:
        return {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}[self.value]


class Quantity(NamedTuple):
    """A number with its magnitude and unit: ``308.6亿元`` is 308.6 × 10⁸, unit 元."""

    number: Decimal
    scale: Decimal = Decimal(1)
    unit: str | None = None
    magnitude: str | None = None  # the magnitude word as written: 万, 亿, 千, 百万…
    comparator: Comparator | None = None
    label: str | None = None  # text naming this number: 省级平台, 满意度, 每家奖励
    upper: Decimal | None = None  # a range's upper end ("3-5家": number 3, upper 5)

    @property
    def value(self) -> Decimal:
        return self.number * self.scale

    @property
    def top(self) -> Quantity:
        """The quantity at its upper end: a range target is far exceeded only above its top."""
        return self if self.upper is None else self._replace(number=self.upper, upper=None)

    @property
    def shown(self) -> str:
        """The number with its magnitude and unit, without comparator or label: 308.6亿元."""
        return f"{self.number}{self.magnitude or ''}{self.unit or ''}"

    def describe(self) -> str:
        comp = self.comparator.value if self.comparator else ""
        unit = f"{self.magnitude or ''}{self.unit or ''}"
        label = f"{self.label}：" if self.label else ""
        return f"{label}{comp}{self.number}{unit}"


class TimeValue(NamedTuple):
    """A deadline (2024.12.31前, 12月) or a duration (12个月)."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    months: Decimal | None = None  # a duration in months
    comparator: Comparator | None = None

    @property
    def is_duration(self) -> bool:
        return self.months is not None

    def key(self) -> tuple[int, int, int] | None:
        """A sortable (year, month, day) for a deadline; unknown parts sort to the end."""
        if self.month is None:
            return None
        return (self.year or 0, self.month, self.day or 31)

    def describe(self) -> str:
        if self.months is not None:
            return f"{self.months}个月"
        out = ""
        if self.year:
            out += f"{self.year}年"
        if self.month:
            out += f"{self.month}月"
        if self.day:
            out += f"{self.day}日"
        return out + ("前" if self.comparator in (Comparator.LE, Comparator.LT) else "")


class Value(NamedTuple):
    """A target or actual as understood, with a plain reason when it could not be decided."""

    text: str
    kind: ValueKind
    direction: Direction
    parts: tuple[Quantity, ...] = ()
    time: TimeValue | None = None
    comparator: Comparator | None = None
    reason: str | None = None

    @property
    def quantity(self) -> Quantity | None:
        return self.parts[0] if self.kind is ValueKind.QUANTITY else None

    @property
    def is_numeric(self) -> bool:
        return self.kind in (ValueKind.QUANTITY, ValueKind.COMPOUND)

    def describe(self) -> str:
        """A short Chinese reading, e.g. "≥95%（正向）"."""
        if self.kind is ValueKind.EMPTY:
            return "（空）"
        if self.kind is ValueKind.QUALITATIVE:
            return "定性描述"
        if self.kind is ValueKind.UNREADABLE:
            return f"无法识别：{self.reason}"
        if self.kind is ValueKind.TIME and self.time is not None:
            return f"{self.time.describe()}（时效）"
        body = "；".join(part.describe() for part in self.parts)
        return f"{body}（{self.direction.label}）"
