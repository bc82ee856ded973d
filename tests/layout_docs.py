"""Builds self-evaluation tables in the layout families of real reports from an evaluation.

An evaluation document (the contract's shape, as in ``src/jixiao/samples/*.yaml``) is laid
out on a grid the way real forms are: header fields, the funds block under a label merged
down over it, the goals merged across, 一级 / 二级 merged down over their indicators, the
总分 row. A ``Layout`` picks the family (split target columns, no 一级 column, amounts in 元,
a transfer-payment form without scores, a 部门整体 form, a table continued as 续表); the
grid is then written as docx, xlsx or html with the helpers of ``office_docs``, and pdf is
the docx converted by LibreOffice. ``expected`` gives the gold a reader should produce.
"""

from __future__ import annotations

import copy
import html
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.loading import load_data
from tests import office_docs
from tests.corpus import score
from tests.office_docs import Region

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples"
FORMATS = ("docx", "xlsx", "html", "pdf", "pdf-borderless", "pdf-rules")
# PDFs printed from Word: the table ruled, with no lines, or with horizontal rules only.
PDF_BORDERS = {"pdf": "grid", "pdf-borderless": "none", "pdf-rules": "rules"}
AMOUNTS = ("initial_budget", "annual_budget", "executed")
FIGURES = (*AMOUNTS, "weight", "rate", "score")
INDICATOR = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
MIN_WIDTH = 10  # the official template's grid; wider forms get more columns
CONTINUED = "续表"
XLSX_TOP = 3  # the sheet row of a table's first row: title, blank, table
COMPARATORS = ("≥", "≤", ">", "<", "＞", "＜")
# A quantitative target: comparator, number, a short unit ("≥95%", "8家", "19000人年").
_QUANTITY = re.compile(r"([≥≤><＞＜=＝]?)(\d+(?:\.\d+)?)([^\d\s.]{0,4})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

Evaluation = dict[str, Any]


@dataclass(frozen=True)
class Layout:
    """How the form is laid out; the defaults give the official 10-column 项目支出 form."""

    split_target: bool = False  # 指标性质 / 指标值 / 度量单位 instead of one 年度指标值 column
    level1_column: bool = True  # False: no 一级指标 column (nor its declared weights)
    yuan: bool = False  # amounts in 元 (万元 × 10000), the funds header says 元
    scores: bool = True  # False: transfer-payment form, 全年预算数 / 执行数 / 执行率 only
    continued: bool = False  # indicators continued in a second table, header repeated
    department: bool = False  # 部门整体 form: 预算单位名称, 年度预算申请 with 按…性质分 rows


# The families generated: those of tests/corpus/README.md that a grid can show, the
# official form itself (standard) and a table continued over two (continued).
FAMILIES: dict[str, Layout] = {
    "standard": Layout(),
    "split": Layout(split_target=True),
    "no-level1": Layout(level1_column=False),
    "process": Layout(),
    "transfer": Layout(scores=False),
    "yuan": Layout(yuan=True),
    "department": Layout(department=True),
    "continued": Layout(continued=True),
}

# Those of them that the corpus README names (standard and continued have no name there).
CORPUS_FAMILIES = frozenset(FAMILIES) - {"standard", "continued"}


@dataclass
class Table:
    """A grid of merged regions; ``values`` are the typed values of number cells (by their
    top-left position) that a spreadsheet stores as numbers, with their number format."""

    width: int
    regions: list[Region] = field(default_factory=list)
    values: dict[tuple[int, int], tuple[object, str | None]] = field(default_factory=dict)
    height: int = 0

    def add(self, c0: int, c1: int, text: str, rows: int = 1) -> None:
        """A region from column ``c0`` to ``c1`` on the next row, ``rows`` tall (the rows
        below it are added by later ``add`` / ``next`` calls)."""
        self.regions.append((self.height, c0, self.height + rows - 1, c1, text))

    def next(self) -> None:
        self.height += 1

    def texts(self) -> list[list[str]]:
        """The dense grid: every position holds its region's text."""
        grid = [[""] * self.width for _ in range(self.height)]
        for r0, c0, r1, c1, text in self.regions:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    grid[r][c] = text
        return grid

    def part(self, rows: list[int]) -> Table:
        """The table made of ``rows`` (in order); a region crossing left-out rows is cut,
        each part keeping the text (as a merged cell split by a page break does)."""
        new = {r: i for i, r in enumerate(rows)}
        out = Table(self.width, height=len(rows))
        for r0, c0, r1, c1, text in self.regions:
            kept = [new[r] for r in range(r0, r1 + 1) if r in new]
            if kept:
                assert kept == list(range(kept[0], kept[-1] + 1)), "a cut region must stay whole"
                out.regions.append((kept[0], c0, kept[-1], c1, text))
                if (r0, c0) in self.values:
                    out.values[(kept[0], c0)] = self.values[(r0, c0)]
        return out


@dataclass
class Form:
    """A laid-out evaluation: its title, its table(s) and the line under them."""

    title: str
    tables: list[Table]
    footer: str | None = None


# ---- numbers and targets as written ----


def number(value: Any) -> str:
    """A number as a person types it: 100.0 → 100, 4465.5 → 4465.5."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


def _amount_text(value: Any, yuan: bool) -> str:
    if value is None:
        return ""
    if yuan:
        return f"{Decimal(str(value)) * 10000:,.2f}"
    return number(value)


def _amount_value(value: Any, yuan: bool) -> tuple[object, str | None]:
    decimal = Decimal(str(value)) * (10000 if yuan else 1)
    return _typed(decimal), "#,##0.00" if yuan else None


def _typed(decimal: Decimal) -> int | float:
    return int(decimal) if decimal == decimal.to_integral_value() else float(decimal)


def _rate_value(value: Any) -> tuple[object, str]:
    exponent = Decimal(number(value)).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return float(Decimal(str(value)) / 100), "0" + ("." + "0" * places if places else "") + "%"


def split_target(target: str | None) -> tuple[str, str, str]:
    """指标性质 / 指标值 / 度量单位 of a target: "≥95%" → ≥, 95, %; "8家" → =, 8, 家;
    a qualitative one → 定性, the text, ""."""
    if not target:
        return "", "", ""
    match = _QUANTITY.fullmatch(target)
    if match is None:
        return "定性", target, ""
    comparator, value, unit = match.groups()
    return comparator or "=", value, unit


def _joined_target(target: str | None) -> str | None:
    """The target a gold reads back from its split columns (README: = and 定性 dropped)."""
    nature, value, unit = split_target(target)
    joined = (nature if nature in COMPARATORS else "") + value + unit
    return joined or None


def _written_actual(actual: str | None, unit: str) -> str:
    """The 完成值 cell under a 度量单位: the bare number when the actual carries the unit."""
    if actual and unit and actual.endswith(unit) and _NUMBER.fullmatch(actual[: -len(unit)]):
        return actual[: -len(unit)]
    return actual or ""


def _read_actual(actual: str | None, unit: str) -> str | None:
    """The actual a gold reads back: the unit appended to a bare number."""
    written = _written_actual(actual, unit)
    if written and unit and _NUMBER.fullmatch(written):
        return written + unit
    return written or None


# ---- the grid ----


def _indicator_columns(layout: Layout) -> list[tuple[str, str]]:
    """(header, field) of the indicator block's columns after the 绩效指标 column."""
    columns = [("一级指标", "level1")] if layout.level1_column else []
    columns += [("二级指标", "level2"), ("三级指标", "name")]
    scores = [("权重" if layout.split_target else "分值", "weight"), ("得分", "score")]
    if layout.split_target:  # the Sichuan form: 完成值 before 权重 / 得分
        columns += [("指标性质", "nature"), ("指标值", "value"), ("度量单位", "unit")]
        columns += [("完成值", "actual"), *(scores if layout.scores else [])]
        columns.append(("未完成原因分析", "deviation"))
    elif layout.scores:
        columns += [("年度指标值", "target"), ("实际完成值", "actual"), *scores]
        columns.append(("偏差原因分析及改进措施", "deviation"))
    else:
        columns += [("年度指标值", "target"), ("全年实际值", "actual")]
        columns.append(("未完成原因分析及改进措施", "deviation"))
    return columns


def _funds_columns(layout: Layout) -> list[tuple[str, str]]:
    if not layout.scores:
        heads = ["全年预算数（A）", "全年执行数（B）", "执行率（B/A）"]
        return list(zip(heads, ("annual_budget", "executed", "rate"), strict=True))
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    return list(
        zip(
            heads,
            ("initial_budget", "annual_budget", "executed", "weight", "rate", "score"),
            strict=True,
        )
    )


def _funds_rows(
    evaluation: Evaluation,
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """The figure rows (年度资金总额, 其中：…) and the groups of a department's breakdown,
    each with its heading row (made up when the evaluation has none) and its items."""
    funds = evaluation.get("funds") or {}
    rows = list(funds.get("rows") or [])
    if not rows:
        rows = [{"label": "年度资金总额", **{k: funds.get(k) for k in FIGURES}}]
    names = list(dict.fromkeys(row["group"] for row in rows if row.get("group")))
    headings = {row["label"]: row for row in rows if not row.get("group") and row["label"] in names}
    figures = [row for row in rows if not row.get("group") and row["label"] not in names]
    groups = [
        (
            headings.get(name, {"label": name, "amount": None}),
            [row for row in rows if row.get("group") == name],
        )
        for name in names
    ]
    return figures, groups


def _halves(width: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """Column spans of the left and right halves right of the two label columns."""
    middle = 2 + (width - 2) // 2
    return (2, middle - 1), (middle, width - 1)


def layout_table(evaluation: Evaluation, layout: Layout) -> tuple[Table, int, int]:
    """The whole form as one table, with the row of the indicator header and of the first
    indicator (where a continued form breaks it)."""
    if (evaluation["kind"] == "department") != layout.department:
        raise ValueError("a department evaluation needs the department layout and only it")
    columns = _indicator_columns(layout)
    width = max(MIN_WIDTH, 1 + len(columns))
    table = Table(width)
    left, right = _halves(width)
    if layout.department:
        table.add(0, 1, "预算单位名称")
        table.add(2, width - 1, evaluation.get("name") or "")
        table.next()
    else:
        table.add(0, 1, "项目支出名称" if layout.scores else "项目名称")
        table.add(2, width - 1, evaluation.get("name") or "")
        table.next()
        table.add(0, 1, "主管部门")
        table.add(left[0], left[1], evaluation.get("department") or "")
        table.add(right[0], right[0] + 1, "实施单位")
        table.add(right[0] + 2, right[1], evaluation.get("implementer") or "")
        table.next()
    _funds_block(table, evaluation, layout)
    goals = evaluation.get("goals") or {}
    table.add(0, 1, "年度总体目标", rows=2)
    table.add(left[0], left[1], "预期目标")
    table.add(right[0], right[1], "实际完成情况")
    table.next()
    table.add(left[0], left[1], goals.get("expected") or "")
    table.add(right[0], right[1], goals.get("actual") or "")
    table.next()
    header = table.height
    indicators = evaluation.get("indicators") or []
    table.add(0, 0, "绩效指标", rows=1 + len(indicators))
    for c, (head, _) in enumerate(columns, start=1):
        table.add(c, width - 1 if c == len(columns) else c, head)
    table.next()
    _indicator_rows(table, evaluation, layout, columns)
    if layout.scores:
        _total_row(table, evaluation, layout, columns)
    return table, header, header + 1


def _funds_block(table: Table, evaluation: Evaluation, layout: Layout) -> None:
    figures, groups = _funds_rows(evaluation)
    if not layout.department and groups:
        raise ValueError("按收入 / 支出性质分 rows belong to a department form")
    columns = _funds_columns(layout)
    first = table.width - len(columns)  # the first value column; row labels left of it
    breakdown = max((1 + len(items) for _, items in groups), default=0)
    unit = "元" if layout.yuan else "万元"
    label = (
        ("年度预算申请" if layout.department else "项目资金") if layout.scores else "资金投入情况"
    )
    table.add(0, 1, f"{label}\n（{unit}）", rows=1 + len(figures) + breakdown)
    table.add(2, first - 1, "")
    for k, (head, _) in enumerate(columns):
        table.add(first + k, first + k, head)
    table.next()
    for row in figures:
        table.add(2, first - 1, row["label"])
        for k, (_, key) in enumerate(columns):
            value = None if key in ("weight", "score") and not layout.scores else row.get(key)
            _figure(table, first + k, key, value, layout)
        table.next()
    halves = _halves(table.width)
    cells: list[list[str]] = []
    for heading, items in groups:
        amount = _amount_text(heading.get("amount"), layout.yuan)
        column = [f"{heading['label']}：{amount}"]
        for i, item in enumerate(items):
            amount = _amount_text(item.get("amount"), layout.yuan)
            column.append(("其中：" if i == 0 else "") + f"{item['label']}：{amount}")
        cells.append(column + [""] * (breakdown - len(column)))
    if len(cells) > 2:
        raise ValueError("a department form has two breakdown columns")
    cells += [[""] * breakdown] * (2 - len(cells))
    for r in range(breakdown):
        for (c0, c1), column in zip(halves, cells, strict=True):
            table.add(c0, c1, column[r])
        table.next()


def _figure(table: Table, column: int, key: str, value: Any, layout: Layout) -> None:
    if key in AMOUNTS:
        text = _amount_text(value, layout.yuan)
        typed = _amount_value(value, layout.yuan) if value is not None else None
    elif key == "rate":
        text = f"{number(value)}%" if value is not None else ""
        typed = _rate_value(value) if value is not None else None
    else:
        text = number(value)
        typed = (_typed(Decimal(text)), None) if value is not None else None
    table.add(column, column, text)
    if typed is not None:
        table.values[(table.height, column)] = typed


def _indicator_rows(
    table: Table, evaluation: Evaluation, layout: Layout, columns: list[tuple[str, str]]
) -> None:
    indicators = evaluation.get("indicators") or []
    weights = evaluation.get("level1_weights") or {}
    # 二级 merges only within its 一级 (the same 二级 may follow under the next 一级)
    level2 = [(i.get("level1"), i["level2"]) if i.get("level2") else None for i in indicators]
    spans = {"level1": _runs([i.get("level1") for i in indicators]), "level2": _runs(level2)}
    for n, indicator in enumerate(indicators):
        nature, value, unit = split_target(indicator.get("target"))
        texts = {
            "target": indicator.get("target") or "",
            "nature": nature,
            "value": value,
            "unit": unit,
            "actual": _written_actual(indicator.get("actual"), unit)
            if layout.split_target
            else indicator.get("actual") or "",
            "deviation": indicator.get("deviation") or "",
            "name": indicator.get("name") or "",
        }
        for c, (_, key) in enumerate(columns, start=1):
            last = table.width - 1 if c == len(columns) else c
            if key in spans:
                rows = spans[key].get(n)
                if rows is None:
                    continue  # covered by the merged cell above
                text = indicator.get(key) or ""
                if key == "level1" and layout.scores and weights.get(text) is not None:
                    text += f"\n（{number(weights[text])}分）"
                table.add(c, last, text, rows=rows)
            elif key in ("weight", "score"):
                _figure(table, c, key, indicator.get(key), layout)
            else:
                table.add(c, last, texts[key])
        table.next()


def _runs(values: list[Any]) -> dict[int, int]:
    """Start index → length of each run of equal values (a merged cell down the run); a
    blank value is a run of its own."""
    out: dict[int, int] = {}
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start] or not values[start]:
            out[start] = i - start
            start = i
    return out


def _total_row(
    table: Table, evaluation: Evaluation, layout: Layout, columns: list[tuple[str, str]]
) -> None:
    total = evaluation.get("total") or {}
    at = {key: c for c, (_, key) in enumerate(columns, start=1)}
    table.add(0, at["weight"] - 1, "总分")
    _figure(table, at["weight"], "weight", total.get("weight"), layout)
    _figure(table, at["score"], "score", total.get("score"), layout)
    grade = evaluation.get("grade")
    if at["score"] + 1 < table.width:
        table.add(at["score"] + 1, table.width - 1, f"等级：{grade}" if grade else "")
    table.next()


def form(evaluation: Evaluation, layout: Layout) -> Form:
    """The evaluation laid out: one table, or two when ``layout.continued`` (the indicators
    broken in the middle, the indicator header repeated on top of the second)."""
    table, header, first = layout_table(evaluation, layout)
    tables = [table]
    if layout.continued:
        count = len(evaluation.get("indicators") or [])
        cut = first + max(1, count // 2)
        tables = [
            table.part(list(range(cut))),
            table.part([header, *range(cut, table.height)]),
        ]
    filler = [
        f"{label}：{evaluation[key]}"
        for label, key in (("填表人", "filled_by"), ("填报日期", "filled_on"))
        if evaluation.get(key)
    ]
    return Form(evaluation.get("title") or "", tables, "　　".join(filler) or None)


# ---- the formats ----


def build(evaluation: Evaluation, layout: Layout, fmt: str, path: Path) -> Path:
    """``evaluation`` laid out as ``layout`` says, written to ``path`` as ``fmt`` (docx,
    xlsx, html, or a pdf of ``PDF_BORDERS``: the docx converted by LibreOffice, which must
    be installed)."""
    laid = form(evaluation, layout)
    if fmt == "docx":
        return _docx(laid, path)
    if fmt == "xlsx":
        return _xlsx(laid, path)
    if fmt == "html":
        return _html(laid, path)
    if fmt in PDF_BORDERS:
        with tempfile.TemporaryDirectory(prefix="jixiao-layout-") as folder:
            source = _docx(laid, Path(folder) / f"{path.stem}.docx", PDF_BORDERS[fmt])
            return _pdf(source, path)
    raise ValueError(f"unknown format {fmt!r}")


def _docx(laid: Form, path: Path, borders: str = "grid") -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph(laid.title)
    for i, table in enumerate(laid.tables):
        if i:  # a continued table starts on a new page
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        office_docs.docx_table(document, table.regions, table.width, table.height, borders)
    if laid.footer:
        document.add_paragraph(laid.footer)
    document.save(str(path))
    return path


def _xlsx(laid: Form, path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    width = max(t.width for t in laid.tables)
    sheet.cell(1, 1, laid.title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    top = XLSX_TOP
    for i, table in enumerate(laid.tables):
        if i:  # a blank row, the 续表 line, then the block
            sheet.cell(top + 1, 1, CONTINUED)
            top += 2

        def value(
            text: str, row: int, column: int, table: Table = table
        ) -> tuple[object, str | None]:
            return table.values.get((row, column), (text or None, None))

        office_docs.xlsx_regions(sheet, table.regions, top, value)
        top += table.height
    if laid.footer:
        sheet.cell(top + 1, 1, laid.footer)
    book.save(str(path))
    return path


def _html(laid: Form, path: Path) -> Path:
    tables = f"\n<p>{CONTINUED}</p>\n".join(
        office_docs.html_table(t.regions, t.height) for t in laid.tables
    )
    footer = f"<p>{html.escape(laid.footer)}</p>" if laid.footer else ""
    title = html.escape(laid.title)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<style>td {{ border: 1px solid }}</style></head><body>
<nav><a href="/">首页</a> <a href="/xxgk">信息公开</a></nav>
<p>附件2</p><h2>{title}</h2>
{tables}
{footer}
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def _pdf(docx: Path, path: Path) -> Path:
    converted = office_docs.convert(docx, "pdf", path.parent)
    if converted != path:
        shutil.move(str(converted), path)
    return path


# ---- what a reader should read ----


def expected(evaluation: Evaluation, layout: Layout) -> Evaluation:
    """The gold of the document ``build`` makes: ``evaluation`` with what the layout cannot
    show set to null (README rules: no 一级 column → level1 null and no declared weights;
    a transfer form → no scores, weights or 年初预算数; split targets read back joined)."""
    form(evaluation, layout)  # the same checks as building
    indicators = evaluation.get("indicators") or []
    shown = {i.get("level1") for i in indicators}
    weights = evaluation.get("level1_weights") or {}
    hidden = set() if layout.scores else {"initial_budget", "weight", "score"}

    def figures(source: dict[str, Any]) -> dict[str, Any]:
        return {k: None if k in hidden else source.get(k) for k in FIGURES}

    rows_figures, groups = _funds_rows(evaluation)
    rows: list[dict[str, Any]] = [{"label": r["label"], **figures(r)} for r in rows_figures]
    for heading, items in groups:
        rows.append({"label": heading["label"], "amount": heading.get("amount")})
        rows += [
            {"label": i["label"], "group": i["group"], "amount": i.get("amount")} for i in items
        ]
    goals = evaluation.get("goals") or {}
    total = evaluation.get("total") or {}
    out: Evaluation = {
        "kind": evaluation["kind"],
        "title": evaluation.get("title"),
        "name": evaluation.get("name"),
        "department": None if layout.department else evaluation.get("department"),
        "implementer": None if layout.department else evaluation.get("implementer"),
        "year": evaluation.get("year"),
        "funds": {**figures(evaluation.get("funds") or {}), "rows": rows},
        "goals": {"expected": goals.get("expected"), "actual": goals.get("actual")},
        "level1_weights": {k: v for k, v in weights.items() if k in shown and v is not None}
        if layout.level1_column and layout.scores
        else {},
        "indicators": [_expected_indicator(i, layout) for i in indicators],
        "total": {
            "weight": total.get("weight") if layout.scores else None,
            "score": total.get("score") if layout.scores else None,
        },
        "grade": evaluation.get("grade") if layout.scores else None,
        "filled_by": evaluation.get("filled_by"),
        "filled_on": evaluation.get("filled_on"),
    }
    return copy.deepcopy(out)


def _expected_indicator(indicator: dict[str, Any], layout: Layout) -> dict[str, Any]:
    out = {k: indicator.get(k) for k in INDICATOR}
    if not layout.level1_column:
        out["level1"] = None
    if not layout.scores:
        out["weight"] = out["score"] = None
    if layout.split_target:
        unit = split_target(indicator.get("target"))[2]
        out["target"] = _joined_target(indicator.get("target"))
        out["actual"] = _read_actual(indicator.get("actual"), unit)
    return out


# ---- the generated corpus ----


def sample(name: str) -> Evaluation:
    """A bundled sample evaluation as plain data (numbers as the loader gives them: int or
    Decimal, as in a loaded gold file)."""
    data: Evaluation = load_data(SAMPLES / f"{name}.yaml").data
    return data


# The 决策 / 管理 indicators of the process variant: 一级, 二级, 三级, target = actual, 分值,
# 得分, deviation.
_PROCESS = [
    ("项目决策", "项目立项", "立项依据充分性", "依据充分", 5, 5, None),
    ("项目决策", "绩效目标", "绩效目标明确性", "目标明确、细化", 5, 4, "个别指标未量化"),
    ("项目管理", "资金管理", "资金使用合规性", "合规", 10, 10, None),
    ("项目管理", "组织实施", "管理制度健全性", "制度健全", 10, 10, None),
]


def process_variant(evaluation: Evaluation) -> Evaluation:
    """A 决策 / 管理 / 产出 / 效益 form: 项目决策 and 项目管理 indicators put before three
    产出 and three 效益 indicators of ``evaluation`` (weights 10 / 20 / 30 / 30 + funds 10)."""
    out = copy.deepcopy(evaluation)
    keys = ("level1", "level2", "name", "target", "weight", "score", "deviation")
    added = [dict(zip(keys, row, strict=True)) for row in _PROCESS]
    for indicator in added:
        indicator["actual"] = indicator["target"]
    kept = [i for i in evaluation["indicators"] if i["level1"] == "产出指标"][:3]
    kept += [i for i in evaluation["indicators"] if i["level1"] == "效益指标"][:3]
    out["indicators"] = added + kept
    out["level1_weights"] = {"项目决策": 10, "项目管理": 20, "产出指标": 30, "效益指标": 30}
    scores = sum(i["score"] for i in out["indicators"]) + (out["funds"].get("score") or 0)
    out["total"] = {"weight": 100, "score": scores}
    return out


def transfer_variant(evaluation: Evaluation) -> Evaluation:
    """A transfer-payment form of ``evaluation``: its funds split into 中央补助 / 地方资金."""
    out = copy.deepcopy(evaluation)
    out["title"] = f"{out['year']}年度转移支付项目绩效自评表"
    budget = Decimal(number(out["funds"]["annual_budget"]))
    central = (budget * Decimal("0.6")).quantize(Decimal(1))
    out["funds"].update(rate=100)
    parts = [("年度资金总额", budget), ("其中：中央补助", central), ("地方资金", budget - central)]
    out["funds"]["rows"] = [
        {"label": label, "annual_budget": _typed(value), "executed": _typed(value), "rate": 100}
        for label, value in parts
    ]
    return out


def family_evaluation(family: str) -> Evaluation:
    """The evaluation each family is built from: a bundled sample, or a variant of one."""
    children = sample("zhuzhou-2022-keji-zhuanxiang")["children"]
    return {
        "standard": lambda: sample("yueyang-2024-project"),
        "split": lambda: children[2],
        "no-level1": lambda: sample("zhuzhou-2020-tech-center"),
        "process": lambda: process_variant(sample("yueyang-2024-project")),
        "transfer": lambda: transfer_variant(children[3]),
        "yuan": lambda: sample("zhuzhou-2022-keji-zhuanxiang"),
        "department": lambda: sample("lusong-2023-department"),
        "continued": lambda: children[0],
    }[family]()


def gold(evaluation: Evaluation, layout: Layout, family: str) -> dict[str, Any]:
    """A gold document in the shape of ``tests/corpus/real/*.gold.yaml``."""
    return {
        "province": "湖南",  # every bundled sample is from Hunan
        "year": evaluation.get("year"),
        "families": [family] if family in CORPUS_FAMILIES else [],
        "evaluations": [expected(evaluation, layout)],
    }


def file_name(name: str, fmt: str) -> str:
    """``<name>.<fmt>``; a pdf variant as ``<name>.borderless.pdf``, ``<name>.rules.pdf``."""
    return f"{name}.{fmt.removeprefix('pdf-')}.pdf" if fmt.startswith("pdf-") else f"{name}.{fmt}"


def generated_corpus(
    folder: Path, families: tuple[str, ...] = tuple(FAMILIES), formats: tuple[str, ...] = FORMATS
) -> list[tuple[Path, str, str, dict[str, Any]]]:
    """(path, family, format, gold) for every family in every format, built in ``folder``
    as ``<family>.<format>`` (``file_name``); pdf only with LibreOffice, converted once
    per folder (an existing pdf is kept: the conversion takes a second or two)."""
    built = [(family, family_evaluation(family), FAMILIES[family], family) for family in families]
    return _corpus(folder, built, formats)


def seed_corpus(
    folder: Path, formats: tuple[str, ...] = ("pdf-borderless", "pdf-rules")
) -> list[tuple[Path, str, str, dict[str, Any]]]:
    """(path, seed, format, gold) for every table of the five seed reports (the bundled
    samples: the whole, and each table of a 专项 on its own), on the form of its kind."""
    built = []
    for name, layout in SEED_LAYOUTS.items():
        evaluation = sample(name)
        tables = [evaluation, *(evaluation.get("children") or [])]
        for i, table in enumerate(tables):
            table = {k: v for k, v in table.items() if k != "children"}
            built.append((f"{name}-{i}" if i else name, table, layout, "seeds"))
    return _corpus(folder, built, formats)


# The seeds' own forms: 部门整体 for a department, 元 for the 科技专项, no 一级 column for
# the 2020 form.
SEED_LAYOUTS = {
    "yueyang-2024-project": Layout(),
    "yueyang-2024-department": Layout(department=True),
    "lusong-2023-department": Layout(department=True),
    "zhuzhou-2020-tech-center": Layout(level1_column=False),
    "zhuzhou-2022-keji-zhuanxiang": Layout(yuan=True),
}


def _corpus(
    folder: Path, built: list[tuple[str, Evaluation, Layout, str]], formats: tuple[str, ...]
) -> list[tuple[Path, str, str, dict[str, Any]]]:
    """Each (name, evaluation, layout, family) written in every format, with its gold."""
    folder.mkdir(parents=True, exist_ok=True)
    if not office_docs.libreoffice():
        formats = tuple(f for f in formats if f not in PDF_BORDERS)
    out: list[tuple[Path, str, str, dict[str, Any]]] = []
    sources: dict[Path, Path] = {}  # pdf to make → the docx it is made from
    for name, evaluation, layout, family in built:
        want = gold(evaluation, layout, family)
        laid = form(evaluation, layout)
        if family == "seeds":
            score.pushed_back(want["evaluations"][0])
        for fmt in formats:
            path = folder / file_name(name, fmt)
            if fmt in ("docx", "xlsx", "html"):
                {"docx": _docx, "xlsx": _xlsx, "html": _html}[fmt](laid, path)
            elif not path.exists():
                source = path.with_suffix(".docx")
                if fmt != "pdf" or "docx" not in formats:  # else the docx is built above
                    _docx(laid, source, PDF_BORDERS[fmt])
                sources[path] = source
            out.append((path, name if family == "seeds" else family, fmt, want))
    # side by side where there are cores to spare
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda pdf: _pdf(sources[pdf], pdf), sources))
    return out
