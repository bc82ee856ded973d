"""部门（单位）整体支出绩效评价基础数据表 on a worksheet, laid out as the official form.

Entered figures are values; 控制率 (在职 / 编制), the building control rates and each
经费 row that has parts (三公经费, 公务用车购置和维护, 项目支出, 公用经费, 市级专项资金) are
formulas over the rows below them, with the figures as written for cached values.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.model import BasicData, ExpenseLine
from jixiao.render._sheet import CENTER, TITLE, Cached, SheetWriter, Styles, ref

LAST = 7
WIDTHS = (34, 14, 14, 14, 14, 14, 14)
RATE_FORMAT = '0.00"%"'


def _rate(
    w: SheetWriter, row: int, column: int, part: str, whole: str, value: Decimal | None
) -> None:
    formula = f'IF(OR({whole}="",{part}="",N({whole})=0),"",ROUND({part}/{whole}*100,2))'
    w.formula(row, column, formula, value, fmt=RATE_FORMAT)


def _depth(line: ExpenseLine, by_key: dict[str, ExpenseLine]) -> int:
    depth, parent = 0, line.parent
    while parent is not None and parent in by_key and depth < 5:
        depth, parent = depth + 1, by_key[parent].parent
    return depth


def basic_data_sheet(
    sheet: Worksheet, data: BasicData, styles: Styles | None = None
) -> dict[str, Cached]:
    w = SheetWriter(sheet, {} if styles is None else styles)
    year = data.year
    title = data.title or f"{year or ''}{'年度' if year else ''}部门整体支出绩效评价基础数据表"
    w.boxed = False
    w.text(1, 1, title, to_col=LAST, font=TITLE, align=CENTER)
    w.boxed = True
    sheet.row_dimensions[1].height = 32
    staff = data.staffing
    w.label(2, 1, "财政供养人员情况（人）", to_row=3)
    w.label(2, 2, "编制数")
    w.label(2, 3, f"{year}年实际在职人数" if year else "实际在职人数")
    w.label(2, 4, "控制率")
    w.number(3, 2, Decimal(staff.authorized) if staff.authorized is not None else None)
    w.number(3, 3, Decimal(staff.actual) if staff.actual is not None else None)
    _rate(w, 3, 4, ref(3, 3), ref(3, 2), staff.control_rate)
    w.label(4, 1, "经费控制情况（万元）")
    heads = ("决算数", "预算数", "决算数")
    years = (year - 1, year, year) if year else (None, None, None)
    for k, (y, head) in enumerate(zip(years, heads, strict=True)):
        w.label(4, 2 + k, f"{y}年{head}" if y else ("上年" if k == 0 else "本年") + head)
    first = 5
    by_key = {line.key: line for line in data.expenses if line.key}
    rows = {id(line): first + i for i, line in enumerate(data.expenses)}
    for i, line in enumerate(data.expenses):
        r = first + i
        w.text(r, 1, line.label)
        sheet.cell(r, 1).alignment = Alignment(
            horizontal="left", vertical="center", wrap_text=True, indent=2 * _depth(line, by_key)
        )
        parts = [p for p in data.expenses if line.key and p.parent == line.key]
        for k, field in enumerate(("prior_final", "budget", "final")):
            value = getattr(line, field)
            if parts and any(getattr(p, field) is not None for p in parts):
                cells = ",".join(ref(rows[id(p)], 2 + k) for p in parts)
                w.formula(r, 2 + k, f"SUM({cells})", value)
            else:
                w.number(r, 2 + k, value)
    r = first + len(data.expenses)
    w.label(r, 1, "楼堂馆所控制情况")
    heads2 = (
        "批复规模（㎡）",
        "实际规模（㎡）",
        "规模控制率",
        "预算投资（万元）",
        "实际投资（万元）",
    )
    for k, head in enumerate((*heads2, "投资概算控制率")):
        w.label(r, 2 + k, head)
    for b, building in enumerate(data.buildings or (None,)):
        row = r + 1 + b
        w.text(row, 1, None)
        if building is None:
            continue
        w.number(row, 2, building.approved_area)
        w.number(row, 3, building.actual_area)
        _rate(w, row, 4, ref(row, 3), ref(row, 2), building.area_control_rate)
        w.number(row, 5, building.budget_investment)
        w.number(row, 6, building.actual_investment)
        _rate(w, row, 7, ref(row, 6), ref(row, 5), building.investment_control_rate)
    r += 1 + max(len(data.buildings), 1)
    w.label(r, 1, "厉行节约保障措施")
    w.text(r, 2, data.savings_measures, to_col=LAST)
    sheet.row_dimensions[r].height = max(20, 14 * (1 + len(data.savings_measures or "") // 60))
    w.box(2, r, 1, LAST)
    for k, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + k)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    return w.cached
