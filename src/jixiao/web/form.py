"""The 自评表 as an HTML grid: the official layout, each cell knowing its field path.

The words and the grouping come from ``jixiao.render._layout`` (what every rendering of the
table shares); this module only adds what a web page needs: the path of each cell (as the
API names fields: ``funds.score``, ``indicators[3].actual``), whether it may be edited, and
the findings that point at it. The template ``_form.html`` prints the grid as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markupsafe import Markup, escape

from jixiao.model import Evaluation, FieldPath, FieldPathError, FundsRow
from jixiao.render._layout import (
    DEVIATION_HEAD,
    FUNDS_HEADS,
    INDICATOR_HEADS,
    breakdown_text,
    funds_label,
    funds_layout,
    header_fields,
    level1_text,
    name_label,
    plain,
    title_of,
    total_row,
)
from jixiao.store.policy import Right

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
FUNDS_FIELDS = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
# What the person looking may do to the field at a path (policy.field_right for the user
# and the table's state): a cell is editable, or correctable with a reason, or neither.
Rights = Callable[[FieldPath], Right]


def read_only(_path: FieldPath) -> Right:
    return Right.NONE


# Column widths in percent, in the proportions of the printed form (render.forms).
WIDTHS = (5.5, 8, 9, 17, 11.5, 11.5, 8, 8, 10.5, 11)
# Indicator rows on one page of a big table: a 10,000-indicator form drawn whole was 16 MB
# of HTML; in parts of this many rows each page stays small and quick.
PART_ROWS = 500
FUNDS, GOALS, TOTAL = FieldPath.of("funds"), FieldPath.of("goals"), FieldPath.of("total")
_UNSAFE = re.compile(r"[\s\[\].#\"'<>&]")


def anchor(path: FieldPath) -> str:
    """The id of a cell: ``indicators[3].actual`` → ``cell-indicators-3--actual``."""
    return anchor_of(str(path))


def anchor_of(path: str) -> str:
    """``anchor`` of a path already written out."""
    return "cell-" + _UNSAFE.sub("-", path)


@dataclass(slots=True)
class Cell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    kind: str = "value"  # head | label | value | number
    path: FieldPath | None = None
    also: tuple[FieldPath, ...] = ()  # the same figure kept twice (年度资金总额 = funds.*)
    editable: bool = False
    correct: bool = False  # editable only with a stated reason (a budget-time field)
    number: bool = False  # sent to the API as a JSON number
    findings: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return anchor(self.path) if self.path else None

    @property
    def severity(self) -> str | None:
        levels = sorted((f.get("severity", "info") for f in self.findings), key=_rank)
        return levels[0] if levels else None

    @property
    def tooltip(self) -> str:
        return "\n".join(f"{f.get('code', '')} {f.get('message', '')}" for f in self.findings)

    def paths(self) -> tuple[FieldPath, ...]:
        return ((self.path,) if self.path else ()) + self.also


def _rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, 3)


@dataclass(frozen=True, slots=True)
class Part:
    """Which indicator rows a page of the form shows: part ``number`` of ``count``."""

    number: int
    count: int
    shown: range

    @classmethod
    def of(cls, indicators: int, asked: int = 1) -> Part:
        """The ``asked``-th part (clamped to the parts there are) of a table with this many
        indicators; a table of at most ``PART_ROWS`` indicators is one part."""
        count = max(1, -(-indicators // PART_ROWS))
        number = min(max(1, asked), count)
        start = (number - 1) * PART_ROWS
        return cls(number, count, range(start, min(indicators, start + PART_ROWS)))

    def holding(self, indicator: int) -> int:
        """The part that shows this indicator."""
        return indicator // PART_ROWS + 1

    @property
    def last(self) -> bool:
        return self.number == self.count


@dataclass(slots=True)
class Grid:
    title: str
    rows: list[list[Cell]]
    table_findings: list[Mapping[str, Any]]  # null path or a path no cell shows
    findings: list[Mapping[str, Any]]  # this part's, worst first, each with "anchor" if placed
    part: Part = field(default_factory=lambda: Part.of(0))
    elsewhere: dict[int, int] = field(default_factory=dict)  # findings on other parts' rows


def _opened(cell: Cell, rights: Rights, may: bool = True) -> Cell:
    """The cell made editable (or correctable) as ``rights`` allow its path (``may``: the
    form has an input there at all)."""
    right = rights(cell.path) if may and cell.path is not None else Right.NONE
    cell.editable = right is not Right.NONE
    cell.correct = right is Right.CORRECT
    return cell


def _figure(value: Decimal | None, path: FieldPath, rights: Rights, percent: bool = False) -> Cell:
    text = plain(value) + ("%" if percent and value is not None else "")
    return _opened(Cell(text, kind="number", path=path, number=True), rights)


def _funds_rows(evaluation: Evaluation, rights: Rights) -> list[list[Cell]]:
    layout = funds_layout(evaluation)
    rows_in_data = list(evaluation.funds.rows)
    depth = max((len(bucket.rows) for bucket in layout.buckets), default=0)
    regular = layout.regular or [FundsRow(label="年度资金总额")]
    head = [
        Cell(funds_label(evaluation), rowspan=1 + len(regular) + depth, colspan=2, kind="label")
    ]
    head += [Cell("", colspan=2, kind="head")] + [Cell(h, kind="head") for h in FUNDS_HEADS]
    out = [head]
    for k, row in enumerate(regular):
        position = next((i for i, r in enumerate(rows_in_data) if r is row), None)
        own = FieldPath.of("funds", "rows", position) if position is not None else None
        is_total = k == layout.total_index
        shown = total_row(evaluation, row) if is_total else row
        line = [Cell(row.label, colspan=2, kind="label")]
        for name in FUNDS_FIELDS:
            primary = FUNDS.child(name) if is_total or own is None else own.child(name)
            cell = _figure(getattr(shown, name), primary, rights, percent=name == "rate")
            _opened(cell, rights, is_total or own is not None)
            if is_total and own is not None:
                cell.also = (own.child(name),)
            line.append(cell)
        out.append(line)
    if layout.buckets:
        span = 8 // len(layout.buckets)
        for i in range(depth):
            line = []
            for k, bucket in enumerate(layout.buckets):
                cols = span if k < len(layout.buckets) - 1 else 8 - span * k
                text = breakdown_text(bucket.rows[i]) if i < len(bucket.rows) else ""
                line.append(Cell(text, colspan=cols, kind="value"))
            out.append(line)
    return out


def _runs(values: Sequence[str | None]) -> Iterable[tuple[int, int]]:
    """(first, count) of each run of equal consecutive values."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            yield start, i - start
            start = i


def _indicator_rows(evaluation: Evaluation, rights: Rights, part: Part) -> list[list[Cell]]:
    """The indicator rows of ``part`` (level-1 and level-2 cells spanning within it; the
    level-1 weights no indicator uses after the last part's rows)."""
    items = evaluation.indicators[part.shown.start : part.shown.stop]
    used = {item.level1 for item in evaluation.indicators}
    declared_only = (
        [name for name in evaluation.level1_weights if name not in used] if part.last else []
    )
    heads = [Cell("绩效指标", rowspan=1 + len(items) + len(declared_only), kind="label")]
    heads += [Cell(h, kind="head") for h in INDICATOR_HEADS]
    heads.append(Cell(DEVIATION_HEAD, colspan=2, kind="head"))
    rows: list[list[Cell]] = [[] for _ in items]
    level1 = [item.level1 for item in items]
    for first, count in _runs(level1):
        name = level1[first]
        path = FieldPath.of("level1_weights", name) if name else None
        rows[first].append(
            Cell(level1_text(evaluation, name), rowspan=count, kind="label", path=path)
        )
        level2 = [item.level2 for item in items[first : first + count]]
        for second, n in _runs(level2):
            rows[first + second].append(Cell(level2[second] or "", rowspan=n, kind="label"))
    for i, item in enumerate(items):
        position = part.shown.start + i
        texts = (
            ("name", item.name or "", False),
            ("target", item.target or "", False),
            ("actual", item.actual or "", False),
            ("weight", plain(item.weight), True),
            ("score", plain(item.score), True),
            ("deviation", item.deviation or "", False),
        )
        rows[i] += [
            _opened(
                Cell(
                    text,
                    colspan=2 if name == "deviation" else 1,
                    kind="number" if number else "value",
                    path=FieldPath.of("indicators", position, name),
                    number=number,
                ),
                rights,
            )
            for name, text, number in texts
        ]
    for name in declared_only:
        head = Cell(
            level1_text(evaluation, name),
            kind="label",
            path=FieldPath.of("level1_weights", name),
        )
        rows.append([head] + [Cell() for _ in range(6)])
        rows[-1].append(Cell(colspan=2))
    return [heads, *rows]


def build_rows(
    evaluation: Evaluation, rights: Rights = read_only, part: Part | None = None
) -> list[list[Cell]]:
    """Every row of the form, top to bottom, on a 10-column grid (of the indicators, those
    of ``part``; all by default), each cell open to editing as ``rights`` allow."""
    rows = [
        [
            Cell(name_label(evaluation), colspan=2, kind="label"),
            _opened(Cell(evaluation.name or "", colspan=8, path=FieldPath.of("name")), rights),
        ]
    ]
    fields = header_fields(evaluation)
    paths = {"主管部门": FieldPath.of("department"), "实施单位": FieldPath.of("implementer")}
    for k in range(0, len(fields), 2):
        pair = fields[k : k + 2]
        line: list[Cell] = []
        for j, (label, value) in enumerate(pair):
            wide = 8 if len(pair) == 1 else (4 if j == 0 else 2)
            line += [
                Cell(label, colspan=2, kind="label"),
                _opened(Cell(value or "", colspan=wide, path=paths.get(label)), rights),
            ]
        rows.append(line)
    rows += _funds_rows(evaluation, rights)
    goals = evaluation.goals
    rows += [
        [
            Cell("年度总体目标", rowspan=2, colspan=2, kind="label"),
            Cell("预期目标", colspan=4, kind="head"),
            Cell("实际完成情况", colspan=4, kind="head"),
        ],
        [
            _opened(Cell(goals.expected or "", colspan=4, path=GOALS.child("expected")), rights),
            _opened(Cell(goals.actual or "", colspan=4, path=GOALS.child("actual")), rights),
        ],
    ]
    shown = part or Part(1, 1, range(len(evaluation.indicators)))
    rows += _indicator_rows(evaluation, rights, shown)
    total = evaluation.total
    rows.append(
        [
            Cell("总分", colspan=6, kind="label"),
            _figure(total.weight, TOTAL.child("weight"), rights),  # derived: never opened
            _figure(total.score, TOTAL.child("score"), rights),
            Cell("等级", kind="label"),
            _opened(Cell(evaluation.grade or "", path=FieldPath.of("grade")), rights),
        ]
    )
    return rows


def _finding_paths(finding: Mapping[str, Any]) -> list[FieldPath]:
    """The paths of a finding as the API gives them (a text no path reads marks no cell)."""
    out = []
    for text in finding.get("paths") or ():
        try:
            out.append(FieldPath.parse(text))
        except FieldPathError:
            continue
    return out


def _cells_inside(rows: Sequence[Sequence[Cell]]) -> dict[tuple[Any, ...], list[Cell]]:
    """The cells within each path a finding may name (every prefix of a cell's paths), in
    the form's order: a finding finds its cells in one look-up, not by scanning every cell
    (findings × cells made a 10,000-indicator page take minutes)."""
    inside: dict[tuple[Any, ...], list[Cell]] = {}
    for row in rows:
        for cell in row:
            prefixes = {p.parts[:n] for p in cell.paths() for n in range(1, len(p.parts) + 1)}
            for prefix in prefixes:
                inside.setdefault(prefix, []).append(cell)
    return inside


def build_grid(
    evaluation: Evaluation,
    findings: Sequence[Mapping[str, Any]],
    rights: Rights = read_only,
    part: int = 1,
) -> Grid:
    """The form (of a big table, the indicator rows of one ``part``) with each finding
    placed on the cells of the first of its paths that a cell shows (a finding marks the
    cell it names, or every cell inside what it names). A finding whose place is an
    indicator of another part is counted for that part, not listed: each part lists the
    findings it marks, numbered as in the whole list."""
    shown = Part.of(len(evaluation.indicators), part)
    rows = build_rows(evaluation, rights, shown)
    inside = _cells_inside(rows)
    ordered = sorted(findings, key=lambda f: _rank(str(f.get("severity", "info"))))
    placed: list[Mapping[str, Any]] = []
    table_level: list[Mapping[str, Any]] = []
    elsewhere: dict[int, int] = {}
    for index, finding in enumerate(ordered, start=1):
        targets: list[Cell] = []
        other = None
        for path in _finding_paths(finding):
            other = _hidden_indicator(path, evaluation, shown)
            targets = [] if other is not None else inside.get(path.parts, [])
            if targets or other is not None:
                break
        if other is not None:
            holder = shown.holding(other)
            elsewhere[holder] = elsewhere.get(holder, 0) + 1
            continue
        entry = {**finding, "index": index}
        if targets:
            entry["anchor"] = targets[0].id
            for target in targets:
                target.findings.append(entry)
        else:
            table_level.append(entry)
        placed.append(entry)
    return Grid(
        title_of(evaluation), rows, table_level, placed, shown, dict(sorted(elsewhere.items()))
    )


CORRECT_TITLE = "预算编制时确定的数据：只能更正录入错误，须写明原因"
_SPECIAL = re.compile(r"[&<>\"']")


def _escaped(value: Any) -> str:
    """A value as HTML text, as Jinja writes it (markupsafe's escape); most cells' texts
    hold nothing to escape and are returned as they are."""
    text = value if isinstance(value, str) else str(value)
    return text if _SPECIAL.search(text) is None else str(escape(text))


@functools.lru_cache(maxsize=4096)
def _label_of(path: FieldPath) -> str:
    """How people call the field at ``path`` (the same paths recur on every table's form)."""
    return path.label()


def rows_html(
    rows: Sequence[Sequence[Cell]],
    noted: Set[str] = frozenset(),
    corrections: Mapping[str, Mapping[str, Any]] | None = None,
) -> Markup:
    """The form's rows as HTML (``<tr>`` by ``<tr>``): each cell's classes, its path, label
    and findings, its input when it is open, a correction's 原 → 新 — the one place a cell
    is drawn, written out here rather than in the template: a form has hundreds of cells
    and a template spends its time on the lookups of each, twice the page's own work."""
    corrected = corrections or {}
    out: list[str] = []
    for row in rows:
        out.append("    <tr>\n")
        for cell in row:
            out.append(_cell_html(cell, noted, corrected))
        out.append("    </tr>\n")
    return Markup("".join(out))


def _cell_html(cell: Cell, noted: Set[str], corrections: Mapping[str, Mapping[str, Any]]) -> str:
    key = str(cell.path) if cell.path is not None else None
    correction = corrections.get(key) if key is not None else None
    classes = "k-" + cell.kind
    severity = cell.severity
    if severity:
        classes += " sev-" + severity
    if cell.editable:
        classes += " editable"
    if key is not None and key in noted:
        classes += " has-note"
    if cell.correct:
        classes += " correctable"
    if correction is not None:
        classes += " corrected"
    out = ["      <td"]
    if cell.rowspan > 1:
        out.append(f' rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        out.append(f' colspan="{cell.colspan}"')
    out += ['\n        class="', _escaped(classes), '"']
    if cell.path is not None and key is not None:
        out += [' id="', _escaped(anchor_of(key)), '" data-path="', _escaped(key)]
        out += ['" data-label="', _escaped(_label_of(cell.path)), '"']
    if cell.also:
        out += [' data-also="', _escaped(" ".join(str(p) for p in cell.also)), '"']
    if cell.findings:
        codes = " ".join(str(f.get("code", "")) for f in cell.findings)
        out += [' title="', _escaped(cell.tooltip), '" data-findings="', _escaped(codes), '"']
    out.append(">")
    text = _escaped(cell.text)
    if cell.editable:
        out.append('<div class="edit" contenteditable="true" role="textbox" spellcheck="false"')
        if cell.number:
            out.append(' data-number="1"')
        if cell.correct:
            out += [' data-reason="1" title="', CORRECT_TITLE, '"']
        out += [' data-original="', text, '">', text, "</div>"]
    else:
        out.append(text)
    for f in cell.findings:
        out += ['<a class="mark sev-', _escaped(f.get("severity")), '" href="#finding-']
        out += [_escaped(f.get("index")), '" title="', _escaped(f.get("message")), '">']
        out += [_escaped(f.get("code")), "</a>"]
    if correction is not None:
        out += ['<span class="was" title="', _escaped(correction.get("user") or "")]
        out += [" 更正：", _escaped(correction.get("note") or "未写原因"), '">原：']
        out += [_escaped(correction.get("old")), " → 新：", _escaped(correction.get("new"))]
        out.append("</span>")
    out.append("</td>\n")
    return "".join(out)


def _hidden_indicator(path: FieldPath, evaluation: Evaluation, part: Part) -> int | None:
    """The indicator ``path`` is in when the table has it but ``part`` does not show it."""
    number = path.indicator
    if number is None or number in part.shown or number >= len(evaluation.indicators):
        return None
    return number
