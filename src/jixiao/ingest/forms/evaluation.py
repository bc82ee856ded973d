"""Recognise a self-evaluation table (项目支出 / 部门整体支出绩效自评表) in a cell grid.

Reads the header fields, the funds block (with the 按收入/按支出性质分 rows of department
tables), the goals, the indicators (一级 / 二级 carried down from merged cells, declared
weights such as "产出指标 (50分)") and the 总分 row. It copes with what real files do:
header rows that sit one column left of their data, rows pushed one column sideways, a
score typed into the deviation column. What it repairs it reports as a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.ingest.cells import amount, clean, is_blank, key, labelled, split_declared
from jixiao.ingest.forms.columns import find_row, joined_target, map_columns
from jixiao.ingest.forms.continued import is_continuation_row
from jixiao.ingest.forms.roles import funds_role
from jixiao.ingest.forms.vocabulary import (
    FUNDS_COLUMNS,
    INDICATOR_COLUMNS,
    LEVEL1,
    LEVEL2_ONLY,
    NAME_LABELS,
    PLACEHOLDER,
    is_level2,
)
from jixiao.ingest.raw import RawTable
from jixiao.model import Evaluation, Funds, FundsRow, Goals, Indicator, SourceRef, Total
from jixiao.model.source import CellBox

# Header fields of form variants that the model has no field for, kept in ``extra`` under
# the label as written: the 2020 专项 form (seed 003) names its fund, its sub-direction
# (支出方向) and the fund's total instead of a 实施单位.
EXTRA_LABELS = (
    "专项名称",
    "支出方向名称（子项目）",
    "支出方向名称",
    "项目总投资（万元）",
    "项目总投资",
    "其中：财政拨款",
    "项目总实施期",
    "项目实施期",
    "负责人及电话",
)
_BRACKETS = str.maketrans("()", "（）")


def label_key(text: str) -> str:
    """A header label as compared: no blanks, full-width brackets, no trailing colon."""
    return key(text).translate(_BRACKETS).rstrip(":：")


# Every header label, as compared, with the evaluation field it fills.
# Other forms' spellings (transfer-payment and county forms), read as the same fields.
OTHER_LABELS = {
    "转移支付(项目)名称": "name",
    "转移支付名称": "name",
    "项目(转移支付)名称": "name",
    "专项资金名称": "name",
    "地方主管部门": "department",
    "县级主管部门": "department",
    "主管部门及代码": "department",
    "项目主管部门": "department",
    "项目主管单位": "department",
    "资金使用单位": "implementer",
    "项目实施单位": "implementer",
    "中央主管部门": "extra",
}
HEADER_LABELS: dict[str, str] = {
    **{label_key(label): "name" for label in NAME_LABELS},
    "主管部门": "department",
    "实施单位": "implementer",
    **{label_key(label): "extra" for label in EXTRA_LABELS},
    **{label_key(label): kind for label, kind in OTHER_LABELS.items()},
}


def is_header_label(text: str) -> bool:
    """A header label, alone ("专项名称") or with its value ("项目总实施期：2020年")."""
    pair = labelled(text)
    return label_key(text) in HEADER_LABELS or (
        pair is not None and label_key(pair[0]) in HEADER_LABELS
    )


def header_value(cells: Sequence[str], label: str) -> str | None:
    """The first cell of ``cells`` that is neither blank, a copy of ``label`` (a merged cell)
    nor another header label; ``None`` when a label or nothing comes first."""
    for text in cells:
        if is_blank(text) or key(text) == label:
            continue
        return None if is_header_label(text) else clean(text)
    return None


@dataclass
class Recognised:
    """An evaluation read from a table, and what was repaired on the way."""

    evaluation: Evaluation
    notes: list[tuple[str, SourceRef | None]] = field(default_factory=list)


# Other forms' words for the expected goal's column (the actual's holds 实际完成)
_EXPECTED_GOAL = frozenset(("年初设定目标", "总体目标", "年度目标", "绩效目标"))


def looks_like_evaluation(table: RawTable) -> bool:
    rows = table.texts()
    return find_row(rows, "三级指标") is not None or (
        find_row(rows, "年初预算") is not None and find_row(rows, "年度总体目标") is not None
    )


def _text(value: str) -> str | None:
    cleaned = clean(value)
    return cleaned or None


def _is_breakdown(text: str) -> bool:
    """ "一般公共预算：1452.61" or "政府性基金拨款：" (not "其中：当年财政拨款")."""
    pair = labelled(text)
    return pair is not None and (pair[1] == "" or amount(pair[1]) is not None)


# The funds rows a 绩效目标申报表 plans, each with one amount beside its label.
DECLARED_FUNDS = ("资金总额", "财政拨款", "其他资金", "上年结转", "自筹资金", "一般公共预算")


def _declared_row(row: Sequence[str]) -> tuple[int, Decimal] | None:
    """(label column, amount) of a declared funds row: a funds label and, right of it, a
    cell that is an amount."""
    for c, text in enumerate(row):
        if not any(word in key(text) for word in DECLARED_FUNDS):
            continue
        for value in row[c + 1 :]:
            if key(value) == key(text) or is_blank(value):
                continue
            figure = amount(value)
            return (c, figure) if figure is not None else None
    return None


class _Reader:
    def __init__(self, table: RawTable, repair: bool = True) -> None:
        self.repair = repair
        self.table = table
        self.rows = table.texts()
        self.notes: list[tuple[str, SourceRef | None]] = []
        self.columns: dict[str, int] = {}

    def row_source(self, row: int, texts: Mapping[str, str], lead: int | None) -> SourceRef | None:
        """The source of a row (its ``lead`` cell's), with the box of each field's cell when
        the row was read by OCR: the cell holding the field's text (a row put back in its
        columns has moved its texts, not its cells)."""
        source = self.source(row, lead)
        cells = [c for c in self.table.rows[row] if c.source is not None and c.source.box]
        boxes = []
        for name, text in texts.items():
            cell = next((c for c in cells if text.strip() and c.text == text), None)
            if cell is not None and cell.source is not None and cell.source.box:
                boxes.append(CellBox(name, cell.source.box))
        return replace(source, cells=tuple(boxes)) if source and boxes else source

    def source(self, row: int, column: int | None = None) -> SourceRef | None:
        cells = self.table.rows[row]
        if column is not None and column < len(cells) and cells[column].source is not None:
            return cells[column].source
        return next((c.source for c in cells if c.source is not None), self.table.source)

    def after_label(self, labels: Sequence[str]) -> tuple[str | None, int | None]:
        """The first cell right of a label (one of ``labels``) that is neither blank nor a
        copy of the label (a merged label repeats itself across the columns it covers);
        ``None`` when another header label comes first (the field is blank)."""
        for r, row in enumerate(self.rows):
            for c, text in enumerate(row):
                label = key(text)
                if label in labels:
                    return header_value(row[c + 1 :], label), r
        return None, None

    def header(self) -> tuple[str | None, str | None, str | None, bool]:
        labels = [k for row in self.rows for t in row for k in [key(t)] if k in NAME_LABELS]
        projects = tuple(k for k in labels if "项目" in k)
        name, _ = self.after_label(projects or NAME_LABELS)
        department, _ = self.after_label(("主管部门",))
        if department is None and projects:  # 部门名称 beside 项目支出名称 names the department
            department, _ = self.after_label(tuple(k for k in labels if "项目" not in k))
        implementer, _ = self.after_label(("实施单位",))
        label = projects[0] if projects else next(iter(labels), "")
        is_department = ("部门" in label or "单位" in label) and "项目" not in label
        return name, department, implementer, is_department

    def extra(self) -> dict[str, str]:
        """Header fields of form variants (``EXTRA_LABELS``), above the funds block: as
        "专项名称 | 市经济信息产业发展专项" in two cells or "项目总实施期：2020年" in one."""
        end = find_row(self.rows, "年初预算")
        if end is None:
            end = find_row(self.rows, "三级指标")
        found: dict[str, str] = {}
        for row in self.rows[: len(self.rows) if end is None else end]:
            for c, text in enumerate(row):
                written = key(text).rstrip(":：")
                if HEADER_LABELS.get(label_key(text)) == "extra":
                    value = header_value(row[c + 1 :], key(text))
                else:
                    pair = labelled(text)
                    if pair is None or HEADER_LABELS.get(label_key(pair[0])) != "extra":
                        continue
                    written, value = pair[0], clean(pair[1]) or None
                if value is not None:
                    found.setdefault(written, value)
        return found

    def _funds_header(self, end: int) -> int | None:
        """The funds header: the 年初预算数 row, or a row naming two funds columns (a
        transfer-payment form has 全年预算数（A）/ 全年执行数（B）/ 执行率 only)."""
        start = find_row(self.rows, "年初预算")
        if start is not None:
            return start
        wanted = {"initial_budget", "annual_budget", "executed", "rate"}
        for r, row in enumerate(self.rows[:end]):
            if len({funds_role(label_key(t)) for t in row} & wanted) >= 2:
                return r
        return None

    def funds(self, end: int) -> Funds:
        start = self._funds_header(end)
        if start is None:
            return self._declared_funds(end)
        columns = map_columns(self.rows[start], FUNDS_COLUMNS)
        first_value = min(columns.values(), default=1)
        scale = self._yuan(start)
        rows: list[FundsRow] = []
        groups: dict[int, list[FundsRow]] = {}
        for r in range(start + 1, end):
            row = self.rows[r]
            values = {f: amount(row[c]) if c < len(row) else None for f, c in columns.items()}
            for f in ("initial_budget", "annual_budget", "executed"):
                value = values.get(f)
                values[f] = value / scale if value is not None and scale != 1 else value
            label_cells = [c for c in range(first_value) if not is_blank(row[c])]
            has_values = any(v is not None for v in values.values())
            if not has_values and any(_is_breakdown(t) for t in row[1:]):
                self._breakdown(r, row, groups)
            elif label_cells:  # every row of the block, 上年结转资金 with no figures included
                label = clean(row[label_cells[-1]])
                rows.append(
                    FundsRow(
                        label=label,
                        initial_budget=values.get("initial_budget"),
                        annual_budget=values.get("annual_budget"),
                        executed=values.get("executed"),
                        weight=values.get("weight"),
                        rate=values.get("rate"),
                        score=values.get("score"),
                        source=self.row_source(
                            r,
                            {f: row[c] for f, c in columns.items() if c < len(row)},
                            label_cells[-1],
                        ),
                    )
                )
        for index in sorted(groups):
            rows.extend(groups[index])
        total = next((row for row in rows if row.amount is None and "总额" in row.label), None)
        total = total or next((row for row in rows if row.amount is None), None)
        if total is None:
            return Funds(rows=tuple(rows), source=self.source(start))
        return Funds(
            initial_budget=total.initial_budget,
            annual_budget=total.annual_budget,
            executed=total.executed,
            weight=total.weight,
            rate=total.rate,
            score=total.score,
            rows=tuple(rows),
            source=self.source(start),
        )

    def _declared_funds(self, end: int) -> Funds:
        """The funds block of a 绩效目标申报表 (no 年初预算数 / 执行数 columns): rows of a
        funds label ("年度资金总额", "其中：财政拨款", "其他资金") and one amount, read as the
        budget each row plans (年初预算数 and 全年预算数 alike, as declared)."""
        rows: list[FundsRow] = []
        top = next((r for r, row in enumerate(self.rows[:end]) if _declared_row(row)), None)
        scale = self._yuan(top) if top is not None else Decimal(1)
        for r in range(top if top is not None else end, end):
            row = self.rows[r]
            found = _declared_row(row)
            if found is None:
                continue
            column, figure = found
            figure = figure / scale
            rows.append(
                FundsRow(
                    label=clean(row[column]),
                    initial_budget=figure,
                    annual_budget=figure,
                    source=self.source(r, column),
                )
            )
        total = next((row for row in rows if "总额" in row.label), rows[0] if rows else None)
        if total is None:
            return Funds()
        return Funds(
            initial_budget=total.initial_budget,
            annual_budget=total.annual_budget,
            rows=tuple(rows),
            source=total.source,
        )

    def _yuan(self, start: int) -> Decimal:
        """10000 when the funds block says its amounts are in 元 ("项目资金（元）"), else 1:
        the model keeps 万元."""
        for row in self.rows[max(0, start - 1) : start + 1]:
            for text in row:
                k = label_key(text)
                if "（元）" in k or "单位：元" in k or "单位:元" in k:
                    self.notes.append(("资金栏金额单位为元，已换算为万元", self.source(start)))
                    return Decimal(10000)
        return Decimal(1)

    def _breakdown(self, r: int, row: Sequence[str], groups: dict[int, list[FundsRow]]) -> None:
        """按收入性质分 / 按支出性质分 cells: the k-th labelled cell of a row is in group k."""
        merged = self.table.rows[r]
        cells = [  # a merged cell counts once, not once per column it covers
            (c, labelled(t) if _is_breakdown(t) else None)
            for c, t in enumerate(row)
            if c > 0 and not is_blank(t) and not (c < len(merged) and merged[c].merged)
        ]
        for index, (c, pair) in enumerate(cells):
            if pair is None:
                continue
            label, value = pair
            bucket = groups.setdefault(index, [])
            heading = next((x.label for x in bucket if x.label.startswith("按")), None)
            number = amount(value) if value else None
            if label.startswith("按"):
                bucket.append(FundsRow(label=label, amount=number, source=self.source(r, c)))
            else:
                bucket.append(
                    FundsRow(label=label, group=heading, amount=number, source=self.source(r, c))
                )

    def goals(self) -> tuple[Goals, int | None]:
        r = find_row(self.rows, "年度总体目标")
        if r is None:  # transfer-payment forms: "总体目标完成情况 | 总体目标 | 全年实际完成情况"
            r = find_row(self.rows, "总体目标完成情况")
        if r is None:
            return Goals(), None
        row = self.rows[r]
        cols = {key(t): c for c, t in reversed(list(enumerate(row)))}
        exp_col = next((c for k, c in cols.items() if "预期目标" in k or k in _EXPECTED_GOAL), None)
        act_col = next((c for k, c in cols.items() if "实际完成" in k), None)
        if exp_col is None:  # a 绩效目标申报表: the goal beside its label, no 实际完成情况
            label = next(c for c, t in enumerate(row) if "总体目标" in key(t))
            return Goals(header_value(row[label + 1 :], key(row[label]))), r
        if r + 1 >= len(self.rows):
            return Goals(), r
        following = self.rows[r + 1]
        if find_row([following], "一级指标") is not None or find_row([following], "绩效指标"):
            return Goals(), r
        expected = _text(following[exp_col]) if exp_col < len(following) else None
        actual = (
            _text(following[act_col]) if act_col is not None and act_col < len(following) else None
        )
        return Goals(expected, actual), r

    def indicators(self) -> tuple[tuple[Indicator, ...], dict[str, Decimal | None], int | None]:
        header_row = find_row(self.rows, "三级指标")
        if header_row is None:
            return (), {}, None
        columns = map_columns(self.rows[header_row], INDICATOR_COLUMNS)
        total_row = next(
            (
                r
                for r in range(header_row + 1, len(self.rows))
                if any(key(t).startswith(("总分", "合计")) for t in self.rows[r][:3])
            ),
            None,
        )
        if total_row is None:
            total_row = self._unlabelled_total(header_row + 1)
        end = total_row if total_row is not None else len(self.rows)
        offset = self._offset(columns, header_row + 1, end) if self.repair else 0
        columns = {f: c + offset for f, c in columns.items()}
        declared: dict[str, Decimal | None] = {}
        out: list[Indicator] = []
        level1 = level2 = None
        for r in range(header_row + 1, end):
            if is_continuation_row(self.rows[r]):
                continue  # the header repeated on a new page, or a 续表 line
            row = list(self.rows[r])
            row = self._aligned(row, columns, r) if self.repair else row
            cell = {f: row[c] if c < len(row) else "" for f, c in columns.items()}
            if not is_blank(cell.get("level1", "")):
                level1, weight = split_declared(cell["level1"])
                if weight is not None or level1 in LEVEL1:
                    declared.setdefault(level1, weight) if weight is not None else None
                level2 = None
            if not is_blank(cell.get("level2", "")):
                level2 = key(cell["level2"])
            values = [cell.get(f, "") for f in ("name", "target", "actual", "weight", "score")]
            if all(is_blank(v) for v in values) or (
                PLACEHOLDER.match(key(values[0])) and all(is_blank(v) for v in values[1:])
            ):
                continue  # an empty row, or one the template's "指标2" / "……" left unfilled
            score = amount(cell.get("score", ""))
            deviation = _text(cell.get("deviation", ""))
            if score is None and deviation is not None and amount(deviation) is not None:
                self.notes.append(
                    (
                        f"“{clean(cell.get('name', ''))}”的得分栏为空，偏差说明栏只有数字"
                        f"“{deviation}”，按得分读取",
                        self.source(r, columns.get("deviation")),
                    )
                )
                score, deviation = amount(deviation), None
            target, actual = cell.get("target", ""), cell.get("actual", "")
            if "nature" in cell or "unit" in cell:
                target, actual = joined_target(
                    cell.get("nature", ""), clean(target), cell.get("unit", ""), clean(actual)
                )
            out.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=_text(cell.get("name", "")),
                    target=_text(target),
                    actual=_text(actual),
                    weight=amount(cell.get("weight", "")),
                    score=score,
                    deviation=deviation,
                    source=self.row_source(r, cell, columns.get("name")),
                )
            )
        self.columns = columns
        return tuple(out), {k: v for k, v in declared.items() if v is not None}, total_row

    def _unlabelled_total(self, start: int) -> int | None:
        """A last row holding only two numbers (and perhaps 等级：优): the 总分 row whose
        label cell was lost, as in PDF extractions."""
        for r in range(len(self.rows) - 1, start - 1, -1):
            cells = [t for t in self.rows[r] if not is_blank(t)]
            if not cells:
                continue
            numbers = [t for t in cells if amount(t) is not None]
            rest = [t for t in cells if amount(t) is None]
            grade_only = all((labelled(t) or ("", ""))[0] == "等级" for t in rest)
            if len(numbers) == 2 and grade_only and len(set(map(key, numbers))) == 2:
                return r
            return None
        return None

    def _offset(self, columns: dict[str, int], start: int, end: int) -> int:
        """Data rows one column right of their header (the 绩效指标 cell took a row of its own)."""
        col = columns.get("level1")
        if col is None:
            return 0
        for r in range(start, end):
            row = self.rows[r]
            for c, text in enumerate(row[: col + 3]):
                name, _ = split_declared(text)
                if name in LEVEL1:
                    return c - col
        return 0

    def _aligned(self, row: list[str], columns: dict[str, int], r: int) -> list[str]:
        """Put back a row that the extraction pushed one column sideways."""
        l1, l2, name = columns.get("level1"), columns.get("level2"), columns.get("name")
        if l1 is None or l2 is None or name is None or max(l1, l2, name) >= len(row):
            return row
        shift = 0
        if key(row[l1]) in LEVEL2_ONLY and not is_level2(key(row[l2])):
            shift = 1  # 二级 written in the 一级 column
        elif is_blank(row[l2]) and is_level2(key(row[name])) and is_blank(row[l1]):
            shift = -1  # 二级 written in the 三级 column
        if shift == 0:
            return row
        self.notes.append((f"第{r + 1}行整体错位一栏，已按表头对齐", self.source(r)))
        if shift > 0:
            return [*row[:l1], "", *row[l1:]]
        return [*row[:l1], *row[l1 + 1 :], ""]

    def total(self, total_row: int | None) -> tuple[Total, str | None]:
        grade = None
        for row in self.rows:
            for text in row:
                pair = labelled(text)
                if pair and pair[0] == "等级":
                    grade = pair[1] or None
        if total_row is None:
            return Total(), grade
        row = self.rows[total_row]
        source = self.source(total_row)
        weight_col, score_col = self.columns.get("weight"), self.columns.get("score")
        label_cols = [c for c, t in enumerate(row[:3]) if key(t).startswith(("总分", "合计"))]
        if weight_col is not None and score_col is not None and label_cols:
            # the 总分 row's figures stand under 分值 and 得分 (a blank one stays blank)
            cells = {c: t for c, t in enumerate(row) if c > label_cols[-1] and not is_blank(t)}
            if set(cells) <= {weight_col, score_col} and cells:
                return Total(
                    weight=amount(row[weight_col]), score=amount(row[score_col]), source=source
                ), grade
        numbers = [n for t in row for n in [amount(t)] if n is not None]
        if len(numbers) >= 2:
            return Total(weight=numbers[0], score=numbers[1], source=source), grade
        return Total(score=numbers[0] if numbers else None, source=source), grade


def recognise_evaluation(
    table: RawTable, title: str | None, year: int | None, *, repair: bool = True
) -> Recognised:
    """Read the evaluation a table holds (call ``looks_like_evaluation`` first)."""
    # ``repair``: put back rows a file's extraction shifted; a grid rebuilt from cells
    # (forms.stream) is laid out already and must not be "repaired"
    reader = _Reader(table, repair)
    name, department, implementer, is_department = reader.header()
    goals, goals_row = reader.goals()
    indicator_start = find_row(reader.rows, "三级指标")
    funds_end = goals_row if goals_row is not None else (indicator_start or len(reader.rows))
    funds = reader.funds(funds_end)
    indicators, declared, total_row = reader.indicators()
    total, grade = reader.total(total_row)
    if title and "整体" in title:
        is_department = True
    evaluation = Evaluation(
        kind="department" if is_department else "project",
        title=title,
        name=name,
        department=department,
        implementer=implementer,
        year=year,
        funds=funds,
        goals=goals,
        level1_weights=declared,
        indicators=indicators,
        total=total,
        grade=grade,
        extra=reader.extra(),
        source=table.source,
    )
    return Recognised(evaluation, reader.notes)
