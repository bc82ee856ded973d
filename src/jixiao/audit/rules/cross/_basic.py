"""Helpers shared by the rules on 基础数据表 and allocation tables (XC05, XC06, XC08, XC09)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.rule import show
from jixiao.model import BasicData, ExpenseLine, SourceRef

# The three money columns of 经费控制情况: field, word, year offset from the table's year.
COLUMNS = (
    ("prior_final", "决算数", -1),
    ("budget", "预算数", 0),
    ("final", "决算数", 0),
)
_PLAIN = {"prior_final": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}
_YEAR = re.compile(r"(\d{4})\s*年")
# Rows the form repeats on purpose ("一个专项一行"); any other repeated key is ambiguous.
REPEATED = ("special_fund",)

Part = tuple[str, Decimal | None]  # a part as a message names it, and the figure it counts for


def table_name(data: BasicData) -> str:
    return data.title or "基础数据表"


def column_label(data: BasicData, field: str) -> str:
    """The column as the form heads it: 2022年决算数 in a 2023 table, else 上年决算数."""
    for name, word, offset in COLUMNS:
        if name == field and data.year is not None:
            return f"{data.year + offset}年{word}"
    return _PLAIN[field]


def title_year(title: str | None) -> int | None:
    """The year a title states (2023 for 2023年度…), None when it states none."""
    found = _YEAR.search(title or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True, slots=True)
class ControlRate:
    """One 控制率 of the form with the two figures it is computed from."""

    label: str  # 在职人数控制率
    numerator_label: str  # 实际在职人数
    numerator: Decimal | None
    denominator_label: str  # 编制数
    denominator: Decimal | None
    written: Decimal | None  # the rate as a percent number, as written
    unit: str
    field: str
    source: SourceRef | None

    @property
    def computed(self) -> Decimal | None:
        """numerator ÷ denominator × 100, None when either is missing or the base is 0."""
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator * 100


def control_rates(data: BasicData) -> Iterator[ControlRate]:
    """在职人数控制率, then 规模控制率 and 投资概算控制率 of each 楼堂馆所 row."""
    staff = data.staffing

    def number(value: int | None) -> Decimal | None:
        return Decimal(value) if value is not None else None

    yield ControlRate(
        "在职人数控制率",
        "实际在职人数",
        number(staff.actual),
        "编制数",
        number(staff.authorized),
        staff.control_rate,
        "人",
        "staffing.control_rate",
        staff.source or data.source,
    )
    for building in data.buildings:
        where = building.source or data.source
        yield ControlRate(
            "规模控制率",
            "实际规模",
            building.actual_area,
            "批复规模",
            building.approved_area,
            building.area_control_rate,
            "㎡",
            "buildings.area_control_rate",
            where,
        )
        yield ControlRate(
            "投资概算控制率",
            "实际投资",
            building.actual_investment,
            "预算投资",
            building.budget_investment,
            building.investment_control_rate,
            "万元",
            "buildings.investment_control_rate",
            where,
        )


def breakdowns(lines: Sequence[ExpenseLine]) -> Iterator[tuple[ExpenseLine, list[ExpenseLine]]]:
    """Each row of 经费控制情况 that has parts, with its parts (``parent`` = its key).

    A key read twice (a fund row named …专项资金 taken for 市级专项资金) leaves the
    breakdown ambiguous: such rows are neither checked nor used as parts.
    """
    keys = _keys(lines)
    for whole in lines:
        if whole.key is None or keys[whole.key] > 1 or whole.key in REPEATED:
            continue
        parts = [line for line in lines if line.parent == whole.key and line is not whole]
        if parts and not any(keys[p.key] > 1 for p in parts if p.key and p.key not in REPEATED):
            yield whole, parts


def part_figure(line: ExpenseLine, field: str, lines: Sequence[ExpenseLine]) -> Part:
    """A part with its figure: as written, or when blank, the sum of its own filled parts."""
    value = _value(line, field, lines, _keys(lines), frozenset())
    if getattr(line, field) is not None:
        return f"{line.label} {show(value)}", value
    if value is None:
        return f"{line.label}（空）", None
    return f"{line.label}（空，按其分项计 {show(value)}）", value


def _keys(lines: Sequence[ExpenseLine]) -> Counter[str]:
    return Counter(line.key for line in lines if line.key)


def _value(
    line: ExpenseLine,
    field: str,
    lines: Sequence[ExpenseLine],
    keys: Counter[str],
    seen: frozenset[str],
) -> Decimal | None:
    written: Decimal | None = getattr(line, field)
    if written is not None or line.key is None or keys[line.key] > 1 or line.key in seen:
        return written
    below = [other for other in lines if other.parent == line.key and other is not line]
    values = [_value(other, field, lines, keys, seen | {line.key}) for other in below]
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None
