"""The official self-evaluation forms as an Excel workbook with live formulas.

One sheet per self-evaluation table (sub-directions each on their own sheet) and one per
基础数据表, laid out on the template's 10-column grid (财预〔2020〕10号 附件). The figures
the unit enters (budgets, weights, indicator scores) are values; 执行率, its score, the
subtotal of each 一级指标, 总分 and 等级 are formulas, so totals follow an edit in Excel or
WPS. The formulas follow the evaluation's scoring scheme (execution formula, decimals,
default funds weight, grade bands); each formula cell also carries, as its cached value,
the figure the evaluation states, so readers that do not calculate show the form as
written (see ``_sheet``). Where the written figure differs from what the formula gives, a
cell comment says both.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.model import Evaluation, FundsRow, Report
from jixiao.render import _layout as lay
from jixiao.render._basic_sheet import basic_data_sheet
from jixiao.render._sheet import (
    CENTER,
    TITLE,
    Cached,
    SheetWriter,
    Styles,
    literal,
    ref,
    workbook_bytes,
)
from jixiao.scoring import Scheme, score_funds

SchemeFor = Callable[[Evaluation], Scheme]
WIDTHS = (6, 14, 14, 26, 20, 20, 8, 8, 15, 15, 10)  # A-J the form, K the 一级 subtotals
LAST = 10
SUBTOTAL = 11
HUNDRED = Decimal(100)


def render_xlsx(report: Report, path: str | Path, *, scheme_for: SchemeFor) -> None:
    """Write the report's forms to ``path`` (overwritten; the caller makes it atomic)."""
    Path(path).write_bytes(xlsx_bytes(report, scheme_for))


def xlsx_bytes(report: Report, scheme_for: SchemeFor) -> bytes:
    book = Workbook()
    book.remove(book.active)
    entries: list[tuple[str, Evaluation | None, int]] = []
    for b, _basic in enumerate(report.basic_data):
        entries.append((f"基础数据表{b + 1 if len(report.basic_data) > 1 else ''}", None, b))
    numbered: list[tuple[Evaluation, str]] = []
    for i, top in enumerate(report.evaluations, start=1):
        numbered.append((top, lay.evaluation_label(top, str(i), None)))
        for j, child in enumerate(top.children, start=1):
            numbered.append((child, lay.evaluation_label(child, f"{i}.{j}", top)))
    labels = [label for label, _, _ in entries] + [label for _, label in numbered]
    names = lay.sheet_names(labels)
    cached: list[dict[str, Cached]] = []
    styles: Styles = {}
    for name, (_, _, index) in zip(names, entries, strict=False):
        sheet = book.create_sheet(name)
        cached.append(basic_data_sheet(sheet, report.basic_data[index], styles))
    for name, (evaluation, _) in zip(names[len(entries) :], numbered, strict=True):
        sheet = book.create_sheet(name)
        cached.append(evaluation_sheet(sheet, evaluation, scheme_for(evaluation), styles))
    if not book.worksheets:
        book.create_sheet("自评表")
        cached.append({})
    return workbook_bytes(book, cached)


def _print_setup(sheet: Worksheet, last_col: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_area = f"A1:{get_column_letter(last_col)}{sheet.max_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


def _rate_format(scheme: Scheme) -> str:
    decimals = scheme.execution.rate_decimals
    return ("0." + "0" * decimals if decimals else "0") + '"%"'


class _Form:
    """Lays one evaluation out, row by row, on a worksheet."""

    def __init__(
        self, sheet: Worksheet, evaluation: Evaluation, scheme: Scheme, styles: Styles
    ) -> None:
        self.w = SheetWriter(sheet, styles)
        self.ev = evaluation
        self.scheme = scheme
        self.row = 1
        self.funds_total: int | None = None  # sheet row of the 年度资金总额 row

    def title(self) -> None:
        self.w.boxed = False
        self.w.text(1, 1, lay.title_of(self.ev), to_col=LAST, font=TITLE, align=CENTER)
        self.w.boxed = True
        self.w.sheet.row_dimensions[1].height = 32
        self.row = 2

    def header(self) -> None:
        w, r = self.w, self.row
        w.label(r, 1, lay.name_label(self.ev), to_col=2)
        w.text(r, 3, self.ev.name, to_col=LAST)
        r += 1
        fields = lay.header_fields(self.ev)
        if fields[:1] == [("主管部门", self.ev.department)]:
            w.label(r, 1, "主管部门", to_col=2)
            w.text(r, 3, self.ev.department, to_col=6)
            w.label(r, 7, "实施单位", to_col=8)
            w.text(r, 9, self.ev.implementer, to_col=LAST)
            fields, r = fields[2:], r + 1
        for label, value in fields:
            w.label(r, 1, label, to_col=2)
            w.text(r, 3, value, to_col=LAST)
            r += 1
        self.row = r

    def funds(self) -> None:
        w, r = self.w, self.row
        layout = lay.funds_layout(self.ev)
        depth = max((len(b.rows) for b in layout.buckets), default=0)
        last = r + len(layout.regular) + depth
        w.label(r, 1, lay.funds_label(self.ev), to_row=last, to_col=2)
        w.text(r, 3, None, to_col=4)
        for k, head in enumerate(lay.FUNDS_HEADS):
            w.label(r, 5 + k, head)
        for i, row in enumerate(layout.regular):
            is_total = i == layout.total_index
            self._funds_row(r + 1 + i, lay.total_row(self.ev, row) if is_total else row, is_total)
        self._breakdown(r + 1 + len(layout.regular), layout.buckets, depth)
        self.row = last + 1

    def _funds_row(self, r: int, row: FundsRow, is_total: bool) -> None:
        w, scheme = self.w, self.scheme
        w.text(r, 3, row.label, to_col=4, align=CENTER)
        for k, value in enumerate(
            (row.initial_budget, row.annual_budget, row.executed, row.weight)
        ):
            w.number(r, 5 + k, value)
        budget, executed, weight, rate = ref(r, 6), ref(r, 7), ref(r, 8), ref(r, 9)
        digits = scheme.execution.rate_decimals
        w.formula(
            r,
            9,
            f'IF(OR({budget}="",{executed}="",N({budget})<=0),"",'
            f"ROUND({executed}/{budget}*100,{digits}))",
            row.rate,
            fmt=_rate_format(scheme),
        )
        if is_total:
            self.funds_total = r
            points = f'IF({weight}="",{literal(scheme.funds_weight)},{weight})'
            blank = f'{rate}=""'
        else:
            points, blank = weight, f'OR({rate}="",{weight}="")'
        decimals = scheme.score_decimals
        rule = scheme.execution
        if rule.formula == "linear":
            score = f"ROUND(MIN({rate},100)*{points}/100,{decimals})"
        elif rule.formula == "steps":
            fraction = "0"
            for minimum, part in reversed(rule.steps):
                fraction = f"IF({rate}>={literal(minimum)},{literal(part)},{fraction})"
            score = f"ROUND({points}*{fraction},{decimals})"
        else:  # a formula this renderer cannot write: the figure, and why
            w.number(r, 10, row.score)
            w.note(
                r,
                10,
                f"评分方案的执行率计分公式“{rule.formula}”无法写成 Excel 公式，此处为填报值。",
            )
            return
        w.formula(r, 10, f'IF({blank},"",{score})', row.score)
        if is_total:
            self._compare(r, 9, "执行率", row.rate, self._recomputed_funds()[0])
            self._compare(r, 10, "得分", row.score, self._recomputed_funds()[1])

    def _recomputed_funds(self) -> tuple[Decimal | None, Decimal | None]:
        result = score_funds(self.ev.funds, self.scheme)
        return result.rate, result.score

    def _compare(
        self, r: int, column: int, what: str, written: Decimal | None, computed: Decimal | None
    ) -> None:
        if written is not None and computed is not None and written != computed:
            self.w.note(
                r,
                column,
                f"{what}填报为 {lay.plain(written)}，按公式（评分方案“{self.scheme.title}”）计算为 "
                f"{lay.plain(computed)}。Excel / WPS 打开时按公式重算。",
            )

    def _breakdown(self, r: int, buckets: list[lay.Bucket], depth: int) -> None:
        """按收入性质分 / 按支出性质分: one column of "label：amount" cells per group."""
        if not buckets:
            return
        spans = _spans(len(buckets))
        for k, bucket in enumerate(buckets):
            first, last = spans[k]
            for i in range(depth):
                if i < len(bucket.rows):
                    text = lay.breakdown_text(bucket.rows[i])
                elif any(len(b.rows) > i for b in buckets[k + 1 :]):
                    text = "—"  # keeps the later groups' cells in their place
                else:
                    text = None
                self.w.text(r + i, first, text, to_col=last)

    def goals(self) -> None:
        w, r = self.w, self.row
        w.label(r, 1, "年度总体目标", to_row=r + 1, to_col=2)
        w.label(r, 3, "预期目标", to_col=6)
        w.label(r, 7, "实际完成情况", to_col=LAST)
        w.text(r + 1, 3, self.ev.goals.expected, to_col=6)
        w.text(r + 1, 7, self.ev.goals.actual, to_col=LAST)
        w.sheet.row_dimensions[r + 1].height = _height(
            (self.ev.goals.expected, sum(WIDTHS[2:6])), (self.ev.goals.actual, sum(WIDTHS[6:10]))
        )
        self.row = r + 2

    def indicators(self) -> tuple[int, int]:
        """The indicator block; returns its first and last sheet rows."""
        w, r, ev = self.w, self.row, self.ev
        first, last = r + 1, r + max(len(ev.indicators), 1)
        w.label(r, 1, "绩效指标", to_row=last)
        for k, head in enumerate(lay.INDICATOR_HEADS):
            w.label(r, 2 + k, head)
        w.label(r, 9, lay.DEVIATION_HEAD, to_col=LAST)
        w.label(r, SUBTOTAL, "一级指标小计")
        for i, item in enumerate(ev.indicators):
            row = first + i
            w.text(row, 4, item.name)
            w.text(row, 5, item.target)
            w.text(row, 6, item.actual)
            w.number(row, 7, item.weight)
            w.number(row, 8, item.score)
            w.text(row, 9, item.deviation, to_col=LAST)
            w.sheet.row_dimensions[row].height = _height(
                (item.name, WIDTHS[3]),
                (item.target, WIDTHS[4]),
                (item.actual, WIDTHS[5]),
                (item.deviation, WIDTHS[8] + WIDTHS[9]),
            )
        for a, b in lay.level_groups(ev):
            item = ev.indicators[a]
            w.text(first + a, 2, lay.level1_text(ev, item.level1), to_row=first + b, align=CENTER)
            scores = [x.score for x in ev.indicators[a : b + 1]]
            w.formula(
                first + a,
                SUBTOTAL,
                f"SUM({ref(first + a, 8)}:{ref(first + b, 8)})",
                sum((s for s in scores if s is not None), Decimal(0)),
                to_row=first + b,
                align=CENTER,
            )
            start = a
            for i in range(a, b + 2):
                if i > b or ev.indicators[i].level2 != ev.indicators[start].level2:
                    level2 = ev.indicators[start].level2
                    w.text(first + start, 3, level2, to_row=first + i - 1, align=CENTER)
                    start = i
        self.row = last + 1
        return first, last

    def total(self, first: int, last: int) -> None:
        w, r, ev, scheme = self.w, self.row, self.ev, self.scheme
        w.label(r, 1, "总分", to_col=6)
        weights = f"+SUM({ref(first, 7)}:{ref(last, 7)})" if ev.indicators else ""
        scores = f"+SUM({ref(first, 8)}:{ref(last, 8)})" if ev.indicators else ""
        if self.funds_total is not None:
            funds_weight = ref(self.funds_total, 8)
            weight_part = f'IF({funds_weight}="",{literal(scheme.funds_weight)},{funds_weight})'
            score_part = f"N({ref(self.funds_total, 10)})"
        else:
            weight_part = score_part = "0"
        w.formula(r, 7, weight_part + weights, ev.total.weight)
        w.formula(r, 8, f"ROUND({score_part}{scores},{scheme.score_decimals})", ev.total.score)
        funds_score = self._recomputed_funds()[1]
        if funds_score is not None:
            reported = sum((i.score for i in ev.indicators if i.score is not None), Decimal(0))
            computed = scheme.round_score(funds_score + reported)
            self._compare(r, 8, "总分", ev.total.score, computed)
        if scheme.grades:
            grade = '""'
            for band in reversed(scheme.grades):
                grade = f'IF({ref(r, 8)}>={literal(band.minimum)},"{band.grade}",{grade})'
            cached = f"等级：{ev.grade}" if ev.grade else None
            w.formula(r, 9, f'"等级："&{grade}', cached, to_col=LAST, align=CENTER)
        else:
            w.text(r, 9, f"等级：{ev.grade}" if ev.grade else None, to_col=LAST, align=CENTER)
        w.box(2, r, 1, LAST)
        w.box(first - 1, last, SUBTOTAL, SUBTOTAL)
        self.row = r + 1

    def footer(self) -> None:
        r = self.row + 1
        self.w.boxed = False
        spans = ((1, 4), (5, 7), (8, LAST))
        for (label, value), (a, b) in zip(lay.footer_fields(self.ev), spans, strict=True):
            self.w.text(r, a, f"{label}：{value or ''}", to_col=b)
        self.row = r + 1


def _spans(count: int) -> list[tuple[int, int]]:
    """Columns for ``count`` breakdown groups across C-J: C-D, E-G, H-J for two or three."""
    if count <= 3:
        return [(3, 4), (5, 7), (8, LAST)][:count]
    width = (LAST - 2) // count or 1
    return [(3 + k * width, min(3 + (k + 1) * width - 1, LAST)) for k in range(count)]


def _height(*cells: tuple[str | None, float]) -> float:
    """A row height that shows every wrapped text: a CJK character is about two width units."""
    lines = max((-(-len(text or "") * 2 // int(width - 1)) for text, width in cells), default=1)
    return max(20.0, 13.5 * max(lines, 1) + 6)


def evaluation_sheet(
    sheet: Worksheet, evaluation: Evaluation, scheme: Scheme, styles: Styles | None = None
) -> dict[str, Cached]:
    """Lay one evaluation out as the official form; returns the formulas' cached values."""
    form = _Form(sheet, evaluation, scheme, {} if styles is None else styles)
    form.title()
    form.header()
    form.funds()
    form.goals()
    first, last = form.indicators()
    form.total(first, last)
    form.footer()
    for k, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + k)].width = width
    _print_setup(sheet, SUBTOTAL)
    return form.w.cached
