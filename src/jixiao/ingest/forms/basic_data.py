"""部门（单位）整体支出绩效评价基础数据表: staffing, 三公经费, 项目支出, 公用经费, buildings."""

from __future__ import annotations

import re

from jixiao.ingest.cells import amount, clean, is_blank, key
from jixiao.ingest.forms.columns import find_row
from jixiao.ingest.raw import RawTable
from jixiao.model import BasicData, BuildingControl, ExpenseLine, Staffing

# (row key, parent key, words the label contains), checked in order.
LINES = (
    ("three_public", None, ("三公经费",)),
    ("vehicles", "three_public", ("公务用车购置和维护",)),
    ("vehicle_purchase", "vehicles", ("公车购置",)),
    ("vehicle_operation", "vehicles", ("公车运行维护",)),
    ("overseas", "three_public", ("出国",)),
    ("reception", "three_public", ("公务接待",)),
    ("projects", None, ("项目支出",)),
    ("business", "projects", ("业务工作经费",)),
    ("operation", "projects", ("运行维护经费",)),
    ("special_funds", "projects", ("专项资金",)),
    ("public_funds", None, ("公用经费",)),
    ("office", "public_funds", ("办公经费",)),
    ("utilities_travel", "public_funds", ("水费", "电费", "差旅费")),
    ("meetings_training", "public_funds", ("会议费", "培训费")),
    ("procurement", None, ("政府采购",)),
    ("basic_adjustment", None, ("基本支出预算调整",)),
)
_NUMBERING = re.compile(r"^(?:其中[:：])?\s*(?:\d+[、.．]\s*)?")


def looks_like_basic_data(table: RawTable) -> bool:
    rows = table.texts()
    return find_row(rows, "三公经费") is not None or find_row(rows, "财政供养人员") is not None


def _line_key(label: str, after_special: bool) -> tuple[str | None, str | None]:
    for row_key, parent, words in LINES:
        if any(w in label for w in words):
            return row_key, parent
    if after_special:
        return "special_fund", "special_funds"  # one row per 市级专项资金
    return None, None


def recognise_basic_data(table: RawTable, title: str | None, year: int | None) -> BasicData:
    rows = table.texts()
    staffing = Staffing()
    staff_row = find_row(rows, "编制数")
    if staff_row is not None and staff_row + 1 < len(rows):
        header, values = rows[staff_row], rows[staff_row + 1]
        cols = {k: c for c, t in enumerate(header) for k in [key(t)] if k}

        def at(word: str) -> str:
            col = next((c for k, c in cols.items() if word in k), None)
            return values[col] if col is not None and col < len(values) else ""

        authorized, actual = amount(at("编制数")), amount(at("在职人数"))
        staffing = Staffing(
            authorized=int(authorized) if authorized is not None else None,
            actual=int(actual) if actual is not None else None,
            control_rate=amount(at("控制率")),
            source=table.rows[staff_row + 1][0].source,
        )
    expenses: list[ExpenseLine] = []
    money_row = find_row(rows, "经费控制情况")
    stop = find_row(rows, "楼堂馆所") or len(rows)
    if money_row is not None:
        after_special = False
        for r in range(money_row + 1, stop):
            row = rows[r]
            label_col = next((c for c, t in enumerate(row) if not is_blank(t)), None)
            if label_col is None:
                continue
            label = _NUMBERING.sub("", clean(row[label_col])).rstrip("：:")
            row_key, parent = _line_key(label, after_special)
            if row_key == "special_funds":
                after_special = True
            elif row_key is not None and row_key != "special_fund":
                after_special = False
            numbers = [row[c] if c < len(row) else "" for c in range(label_col + 1, label_col + 4)]
            expenses.append(
                ExpenseLine(
                    label=label,
                    key=row_key,
                    parent=parent,
                    prior_final=amount(numbers[0]),
                    budget=amount(numbers[1]),
                    final=amount(numbers[2]),
                    source=table.rows[r][label_col].source,
                )
            )
    buildings: list[BuildingControl] = []
    if stop < len(rows) and stop + 1 < len(rows):
        figures = [amount(t) for t in rows[stop + 1][1:7]]
        figures += [None] * (6 - len(figures))
        buildings.append(
            BuildingControl(
                approved_area=figures[0],
                actual_area=figures[1],
                area_control_rate=figures[2],
                budget_investment=figures[3],
                actual_investment=figures[4],
                investment_control_rate=figures[5],
                source=table.rows[stop + 1][0].source,
            )
        )
    savings_row = find_row(rows, "厉行节约")
    savings = None
    if savings_row is not None:
        savings = next((clean(t) for t in rows[savings_row][1:] if not is_blank(t)), None)
    return BasicData(
        year=year,
        title=title,
        staffing=staffing,
        expenses=tuple(expenses),
        buildings=tuple(buildings),
        savings_measures=savings,
        source=table.source,
    )
