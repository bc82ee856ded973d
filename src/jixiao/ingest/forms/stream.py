"""Rebuild a self-evaluation table's rows from its cells in reading order (``forms.tokens``).

What the table says places every cell: header labels take the cell after them; the funds
header names the columns of the funds rows; the indicator header names the columns of the
indicator rows. Where the row boundaries are lost (merged 一级 / 二级 cells appear only in
their first row; an empty cell may have vanished), every plausible reading of the indicator
rows is tried and the one whose cells fit their columns best is kept: categories where
categories go, numbers under 分值 and 得分, a score not above its weight, funds figures whose
execution rate is executed ÷ budget. The result is an ordinary grid in the official layout,
read by ``forms.evaluation`` like any other table, with notes saying what was rebuilt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.ingest.cells import key, split_declared
from jixiao.ingest.forms.columns import joined_target
from jixiao.ingest.forms.columnwise import NOTE as COLUMNWISE
from jixiao.ingest.forms.columnwise import read_columnwise
from jixiao.ingest.forms.confidence import assess, with_notes
from jixiao.ingest.forms.evaluation import (
    HEADER_LABELS,
    Recognised,
    label_key,
    recognise_evaluation,
)
from jixiao.ingest.forms.funds_cells import (
    is_breakdown,
    is_row_label,
    place_funds,
    stops_funds,
    without_unit,
)
from jixiao.ingest.forms.roles import MONEY, funds_role, indicator_role
from jixiao.ingest.forms.rows import COMPARATOR_CELLS, Row, RowReader
from jixiao.ingest.forms.spelling import normalise
from jixiao.ingest.forms.tokens import Token, rejoin, tokenise
from jixiao.ingest.forms.vocabulary import (
    BROKEN_LABELS,
    LEVEL1_WORDS,
    LEVEL2,
    LEVEL2_WORDS,
    NAME_LABELS,
)
from jixiao.ingest.raw import RawCell, RawDocument, RawTable
from jixiao.model import SourceRef

# Below this, a rebuilt table is more guess than reading: it is reported as not read.
UNREADABLE = Decimal("0.5")
NOTE = "此表的行列结构在文字中已丢失，已按表头和数值关系重建，请与原件核对"
FUNDS_ORDER = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
FUNDS_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_HEADER = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
    "偏差原因分析及改进措施",
)  # fmt: skip
_TOTAL = ("总分", "合计", "总计", "综合得分", "总得分", "自评总分", "得分合计", "分值合计")
_GRADE = ("等级", "自评等级", "评价等级", "绩效等级", "评定等级")
_END = (
    "评价结论", "存在问题", "改进措施", "填表人", "填报人", "项目负责人", "财务负责人",
    "联系电话", "审核人", "单位负责人", "备注：", "说明：", "注：", "其他需要说明", "备注:",
    "说明:", "注:", "说明注",
)  # fmt: skip
# A heading of the report's text ("二、项目资金申报情况", "（三）项目自评步骤"): the table is over.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\S{2,}")
_BLOCK_WEIGHT = re.compile(r"[（(](\d+(?:\.\d+)?)分")
# How far into the rows a header's scattered words are looked for, the value columns in the
# forms' order, and the block's label written down its side.
_SCATTERED = 24
_VALUE_ROLES = ("nature", "target", "unit", "actual", "explanation", "weight", "score", "deviation")
_SIDE = "绩效指标"
_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff（）()]{2,28}(?:中心|局|委员会|办公室|学校|中学|小学|医院|公司|大队|站|所|馆)"
)
# The funds rows' own labels (the labels' column is headed 项目资金)
_FUNDS_ROW = re.compile(r"(?:年度资金总额|资金总额|其中|当年|本年|上年|其他资金|财政拨款|自筹)")
# A label of a form's head with no value after it ("承担单位:(盖章)"): not a value itself
_BARE_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}[:：](?:[（(][^)）]{0,10}[)）])*")
_BLOCK_LABELS = ("项目资金", "资金情况", "资金来源")  # the funds block's label: the head is over
# The notes under a table ("说明:", "说明无注:", "注:"), as the text may run them together
_NOTE_LINE = re.compile(r"^(?:其他)?说明.{0,3}[:：]|^注[:：]")
_SHORT_ACTUAL = 12  # the most an actual goal run onto the expected one is taken to be
_FIGURES = frozenset(("target", "actual", "weight", "score"))
_CLAUSE = re.compile(r"[,，;；。]")  # a clause of an explanation, not an indicator's name
_HEADING_WORDS = ("情况", "问题", "措施", "分析", "概况", "结论", "建议", "评价", "步骤", "方法")


def _is_heading(k: str) -> bool:
    """A heading of the report's text, not a numbered indicator ("一、示范区建立")."""
    return bool(_HEADING.match(k)) and len(k) >= 8 and any(w in k for w in _HEADING_WORDS)


_GRADES = ("优", "良", "中", "差", "优秀", "良好", "合格", "不合格")
_GOAL_EXPECTED = ("预期目标", "年初设定目标", "项目年度目标", "年度目标", "绩效目标", "总体目标")
_GOAL_ACTUAL = (
    "实际完成情况", "年度目标完成情况", "目标完成情况", "完成情况", "实际完成",
    "全年实际完成情况", "年度总体目标完成情况", "年度总体目标完成情况综述", "总体目标完成情况",
)  # fmt: skip
_YEAR = re.compile(r"(\d{4})\s*年度?")
_YEAR_BRACKET = re.compile(r"[（(]\d{4}年度?[)）]")


_OFFICIAL = {"name": "项目名称", "department": "主管部门", "implementer": "实施单位"}


def _uncut(k: str) -> str:
    return re.sub(r"[（(]盖章[)）]", "", label_key(k))


def header_field(k: str) -> tuple[str, str] | None:
    """(label, field) when a cell is a header label, also when its start was cut off
    (``级预算单位名称``) or it carries a remark (``实施单位(盖章)``)."""
    k = _uncut(k)
    if k in HEADER_LABELS:
        return k, HEADER_LABELS[k]
    if len(k) >= 4:
        for label, kind in HEADER_LABELS.items():
            if label.endswith(k) and kind != "extra":
                return label, kind
    return None


@lru_cache(maxsize=1 << 14)
def level1_like(k: str, strict: bool = False) -> bool:
    name, weight = split_declared(k)
    return name in LEVEL1_WORDS or (not strict and weight is not None and 2 <= len(name) <= 8)


@lru_cache(maxsize=1 << 14)
def level2_like(k: str, strict: bool = False) -> bool:
    name, _ = split_declared(k)
    name = name.removesuffix("等")  # "服务对象满意度指标等"
    if name in LEVEL2_WORDS:
        return True
    return (
        not strict
        and 3 <= len(name) <= 10
        and name.endswith("指标")
        and not any(c.isdigit() for c in name)
    )


@dataclass
class Rebuilt:
    """A grid rebuilt from cells, with what was done to get it."""

    table: RawTable
    title: str | None
    year: int | None
    dropped: int  # cells the text lost, put back by their columns
    cut: bool  # the text ends inside the table
    scored: bool  # its indicator header has 分值 or 得分
    stray: int = 0  # cells of the indicator rows that fit in no column, left out
    notes: list[tuple[str, SourceRef | None]] = field(default_factory=list)
    paired: bool = False  # rows whose names and values were paired by their order alone


_TITLE = re.compile(r"[\u4e00-\u9fff\d]{0,30}?自评表(?:[（(]\d{4}年度?[)）])?")


def _title(text: str) -> str:
    """The title itself out of a cell that holds more ("附件1", a page's note, the title
    twice): its last "…自评表(2023年度)"."""
    found = _TITLE.findall(text)
    return re.sub(r"^附件\d?", "", found[-1]) if found else text


def _is_title(token: Token) -> bool:
    return "自评表" in token.key and len(token.key) <= 60


def looks_streamed(tokens: Sequence[Token]) -> bool:
    """A funds header or an indicator header among the cells (or indicator rows whose header
    the text cut off): a table to rebuild."""
    return (
        _window(tokens, funds_role, FUNDS_ORDER, 3) is not None
        or _window(tokens, indicator_role, ("level1", "level2", "name"), 3) is not None
        or _headless(tokens) is not None
    )


HEADLESS = "此表的表头不在文字中（从表格中间开始），已按单元格内容推断各列，请与原件核对"


def _category(token: Token) -> bool:
    return level1_like(token.key, True) or level2_like(token.key, True)


def _headless(tokens: Sequence[Token]) -> tuple[int, list[str]] | None:
    """Indicator rows with no header above them (the text starts inside the table): where
    they start and their columns as their cells show them — a 指标性质 column when
    comparators (=, ≥, 定性) stand in cells of their own, the official order otherwise."""
    rows = [  # a category followed by a row's figures, not by running text
        i
        for i, t in enumerate(tokens)
        if _category(t)
        and sum(x.number for x in tokens[i + 1 : i + 8]) >= 2
        and all(len(x.key) <= 40 for x in tokens[i + 1 : i + 8])
    ]
    if len(rows) < 3:
        return None
    split = sum(t.key in COMPARATOR_CELLS for t in tokens) >= 2
    start = next((i for i, t in enumerate(tokens) if not t.key.startswith("http")), 0)
    roles = ["level1", "level2", "name"]
    roles += ["nature", "target", "unit", "actual"] if split else ["target", "actual"]
    return start, [*roles, "weight", "score", "deviation"]


def split_tables(tokens: Sequence[Token]) -> list[list[Token]]:
    """One list of cells per table: a table starts at a title or a name label that follows
    a finished table (one whose indicator or funds header has been seen)."""
    tables: list[list[Token]] = [[]]
    seen_body = False
    for token in tokens:
        starts = _is_title(token) or (header_field(token.key) or ("", ""))[1] == "name"
        if starts and seen_body:
            tables.append([])
            seen_body = False
        tables[-1].append(token)
        body = funds_role(token.key) in FUNDS_ORDER or indicator_role(token.key) == "name"
        seen_body |= body or _category(token)  # a category: rows whose header was cut off
    return [t for t in tables if looks_streamed(t)]


def _window(
    tokens: Sequence[Token], role: Callable[[str], str | None], first: tuple[str, ...], wanted: int
) -> int | None:
    """Where a header starts: a cell of one of the ``first`` roles with cells of ``wanted``
    roles of its kind in a row from it."""
    for i, token in enumerate(tokens):
        if role(token.key) not in first:
            continue
        roles, _ = _header_run(tokens, i, role)
        if len(set(roles) - {None, "reason"}) >= wanted:
            return i
    return None


def _header_run(
    tokens: Sequence[Token], start: int, role: Callable[[str], str | None]
) -> tuple[list[str | None], int]:
    """The column roles of a header starting at ``start`` and the position after it."""
    roles: list[str | None] = []
    i = start
    while i < len(tokens):
        found = role(tokens[i].key)
        if found is None and _interloper(tokens, i, role):
            i += 1  # "一级指标 | 二级指标 | 数量指标 | 三级指标": a category read into the header
            continue
        if found is None:
            if tokens[i].blank and any(role(t.key) for t in tokens[i + 1 : i + 3]):
                roles.append(None)  # an empty header cell between two (a colspan lost)
                i += 1
                continue
            break
        if found not in roles:  # "年度 实际 … / 指标值 完成值": a header
            roles.append(found)  # broken over two lines names its columns once
        i += 1
    return roles, i


def _interloper(tokens: Sequence[Token], i: int, role: Callable[[str], str | None]) -> bool:
    """A 二级 read between the indicator header's words (a merged cell's text printed
    beside the header's line): the words go on after it."""
    if role is not indicator_role or i + 1 >= len(tokens) or not _category(tokens[i]):
        return False
    return role(tokens[i - 1].key) == "level2" and role(tokens[i + 1].key) == "name"


def _joined_target(cells: dict[str, Token]) -> tuple[str, str]:
    """年度指标值 and 实际完成值 of a row (its target maybe split: 指标性质 / 指标值 / 度量单位)."""
    text = {r: cells[r].text if r in cells else "" for r in ("nature", "target", "unit", "actual")}
    if "nature" not in cells and "unit" not in cells:
        return text["target"], text["actual"]
    return joined_target(text["nature"], text["target"], text["unit"], text["actual"])


class _Builder:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = list(tokens)
        self.rows: list[list[Token]] = []
        self.notes: list[tuple[str, SourceRef | None]] = []
        self.used: set[int] = set()
        self.dropped = 0
        self.cut = False
        self.scored = False  # the indicator header has a 分值 or 得分 column
        self.stray = 0
        self.apart_total: tuple[Token, Token] | None = None
        self.paired = False  # rows paired by order (``_paired``, ``read_columnwise``)

    def add(self, *cells: Token | str) -> None:
        self.rows.append([c if isinstance(c, Token) else Token(c) for c in cells])

    def build(self) -> Rebuilt:
        tokens = self.tokens
        funds_at = _window(tokens, funds_role, FUNDS_ORDER, 3)
        indicators_at = _window(tokens, indicator_role, ("level1", "level2", "name"), 3)
        body = min(x for x in (funds_at, indicators_at, len(tokens)) if x is not None)
        titles = [i for i, t in enumerate(tokens[:body]) if _is_title(t)]
        title = _title(key(tokens[titles[-1]].text)) if titles else None
        after = titles[-1] + 1 if titles else len(tokens)
        if (
            title
            and after < len(tokens)
            and _same_line(tokens[titles[-1]], tokens[after])  # (not a year on its own line)
            and _YEAR_BRACKET.fullmatch(tokens[after].key)
        ):
            title += tokens[after].key  # "项目支出绩效自评表 (2022年度)" on one line: as written
        # the year in the title, or on a line of its own under it ("（2019年度）")
        near = (
            [t.key for t in tokens[titles[-1] : titles[-1] + 12] if not t.blank][:3]
            if titles
            else []
        )
        years = [m for k in near for m in [_YEAR.search(k)] if m]
        year = int(years[0].group(1)) if years else None
        goals = self._goals(indicators_at if indicators_at is not None else len(tokens))
        self._header(body)
        if funds_at is not None:
            end = indicators_at if indicators_at and indicators_at > funds_at else len(tokens)
            self._funds(funds_at, end)
        if goals:
            self.add("年度总体目标", "预期目标", "实际完成情况")
            self.add("", *goals)
        if indicators_at is not None:
            self._indicators(indicators_at)
        elif funds_at is None and (found := _headless(tokens)) is not None:
            self.notes.append((HEADLESS, tokens[found[0]].source))
            self._rows(found[0], list(found[1]))
            self.cut = True  # its start is missing: a part of a table
        self.notes.insert(0, (NOTE, tokens[0].source if tokens else None))
        grid = tuple(tuple(RawCell(t.text, source=t.source) for t in row) for row in self.rows)
        width = max((len(r) for r in grid), default=0)
        padded = tuple(r + (RawCell(""),) * (width - len(r)) for r in grid)
        source = tokens[0].source if tokens else None
        table = RawTable(padded, source)
        return Rebuilt(
            table,
            title,
            year,
            self.dropped,
            self.cut,
            self.scored,
            self.stray,
            self.notes,
            self.paired,
        )

    def _header(self, end: int) -> None:
        i = 0
        while i < end:
            token = self.tokens[i]
            found = header_field(token.key) if i not in self.used else None
            if found is None:
                i += 1
                continue
            label, kind = found
            if label != _uncut(token.key):
                self.notes.append((f"表头“{token.text}”不完整，按“{label}”读取", token.source))
            # the grid reader knows the official spelling of each field
            label = _OFFICIAL.get(kind, label) if label not in NAME_LABELS else label
            # its value: the next cell, or the one after an empty cell or two (colspans lost)
            at = next((j for j in range(i + 1, min(i + 4, end)) if not self.tokens[j].blank), end)
            following = self.tokens[at] if at < end else None
            if (
                following is not None
                and header_field(following.key) is None
                and not _BARE_LABEL.fullmatch(following.key)
                and not following.key.startswith(_BLOCK_LABELS)
            ):
                self.add(Token(label, token.source), following)
                self.used.update((i, at))
                i = at + 1
            else:
                self.add(Token(label, token.source), self._placed_apart(kind, end))
                i += 1

    def _placed_apart(self, kind: str, body: int) -> Token | str:
        """The value of a unit's label with none beside it, where the text moved it into the
        table's body: the one cell there that names an organisation and fits no column
        ("稷山县医疗保险服务中心" among the indicator rows)."""
        if kind not in ("department", "implementer"):
            return ""
        found = [
            j
            for j, t in enumerate(self.tokens[body:], body)
            if j not in self.used and _ORGANISATION.fullmatch(t.key) and not _category(t)
        ]
        if len(found) != 1:
            return ""
        self.used.add(found[0])
        return self.tokens[found[0]]

    def _goals(self, end: int) -> tuple[Token, Token] | None:
        keys = [t.key for t in self.tokens[:end]]
        expected = next((i for i, k in enumerate(keys) if k in _GOAL_EXPECTED), None)
        if expected is None:
            return None
        actual = next((i for i, k in enumerate(keys) if i > expected and k in _GOAL_ACTUAL), None)
        if actual is None:
            return None

        def filled(after: int, count: int) -> list[int]:
            return [j for j in range(after + 1, end) if not self.tokens[j].blank][:count]

        if filled(expected, 1) == [actual]:  # 预期目标 | 实际完成情况 | value | value
            places = filled(actual, 2)  # (empty cells between: colspans the text kept)
        else:  # 预期目标 | value | 实际完成情况 | value
            places = [*filled(expected, 1), *filled(actual, 1)]
        if len(places) == 1 and places[0] == len(self.tokens) - 1 and end == len(self.tokens):
            places.append(-1)  # the text ends inside the expected goal: no actual
        if len(places) < 2:
            return None
        cells = tuple(self.tokens[p] if p >= 0 else Token("") for p in places)
        if cells[1].key.startswith(_SIDE):  # "…设备。已完成 | 绩效指标": the text ran the
            places[1] = -1  # two goals together and the indicators' block follows
            cells = (*_parted(cells[0]),)
        if any(funds_role(c.key) or indicator_role(c.key) or header_field(c.key) for c in cells):
            return None
        self.used.update({expected, actual, *(p for p in places if p >= 0)})
        return cells[0], cells[1]

    def _funds(self, start: int, end: int) -> None:
        roles, i = _header_run(self.tokens, start, funds_role)
        around = "".join(t.key for t in self.tokens[max(0, start - 3) : i])
        money = MONEY.search(around)
        unit = "元" if money and "万元" not in money.group(0) else "万元"
        self.add(f"项目资金（{unit}）", *FUNDS_HEADER)
        rows: list[tuple[Token, list[Token]]] = []
        breakdown: list[Token] = []
        roles, pending = self._before_funds(start, roles)
        waiting: list[tuple[Token, list[Token]]] = [(label, []) for label in pending]
        rows.extend(waiting)
        while i < end:
            token = Token(self.tokens[i].money, self.tokens[i].source)
            if i in self.used or stops_funds(token):
                break
            if is_breakdown(token, started=bool(breakdown)):
                breakdown.append(without_unit(token))
            elif is_row_label(token):
                rows.append((token, []))
            elif waiting:  # labels the text put before the header take the figures in turn
                waiting[0][1].append(token)
                if _funds_full(waiting[0][1], roles):
                    waiting.pop(0)
            elif rows and len(rows[-1][1]) < len(roles):
                rows[-1][1].append(token)
            i += 1
        # no 分值 column, but the block says its weight: "预算执行情况(万元)(20分)",
        # "得分(20分*执行率)"
        declared = _BLOCK_WEIGHT.search(around) if "weight" not in roles else None
        for n, (label, values) in enumerate(rows):
            placed = place_funds(values, roles)
            if declared and n == 0:
                placed["weight"] = Token(declared.group(1))
            self.add(label, *(placed.get(role, Token("")) for role in FUNDS_ORDER))
        for pair in _breakdown_rows(breakdown):
            self.add("", *pair)

    def _before_funds(
        self, start: int, roles: list[str | None]
    ) -> tuple[list[str | None], list[Token]]:
        """Funds header words and row labels the text put just before the header's run
        ("年初预算数 | (万元) | 年度资金总额 | 其中:当年财政拨款 | 实施单位 | 全年预算数 | …", a
        sheet flowed cell by cell): the columns added in the forms' order, the labels kept
        as rows waiting for the figures after the header."""
        labels: list[Token] = []
        extra: list[str] = []
        for j in range(start - 1, max(-1, start - _SCATTERED // 3), -1):
            token = self.tokens[j]
            if j in self.used:
                continue
            role = funds_role(token.key)
            if role in FUNDS_ORDER and role not in roles:
                extra.append(role)
            elif is_row_label(token) and _FUNDS_ROW.match(token.key):
                labels.insert(0, token)
        if not extra:
            return roles, []
        self.used.update(
            j
            for j in range(max(0, start - _SCATTERED // 3), start)
            if funds_role(self.tokens[j].key) in extra or self.tokens[j] in labels
        )
        known = {*roles, *extra}
        return [r for r in FUNDS_ORDER if r in known], labels

    def _two_row_header(self, start: int, roles: list[str | None]) -> list[str | None]:
        """A header in two rows ("年度指标值 实际完成值 分值 得分 …" above "一级指标 二级指标
        三级指标 指标性质 指标值 度量单位"): the columns of both, the lower row's parts in
        place of the upper cell that spans them."""
        upper: list[str | None] = []
        j = start - 1
        while j >= 0 and start - j <= 12:
            found = indicator_role(self.tokens[j].key) if j not in self.used else None
            if found is None and upper:
                break
            if found is not None:
                upper.insert(0, found)
            j -= 1
        if (
            len(upper) < 3
            or "target" not in upper
            or any(r in ("level1", "level2", "name") for r in upper)
        ):
            return roles
        levels = [r for r in roles if r in ("level1", "level2", "name")]
        parts = [r for r in roles if r not in ("level1", "level2", "name")]
        merged: list[str | None] = list(levels)
        for role in upper:
            if role == "target" and parts:
                merged.extend(parts)
            elif role not in merged:
                merged.append(role)
        return merged

    def _indicators(self, start: int) -> None:
        roles, i = _header_run(self.tokens, start, indicator_role)
        roles = self._two_row_header(start, roles)
        if not set(roles) & {"target", "actual", "weight", "score"}:
            roles = self._scattered_header(i, roles)
        carried = [self.tokens[j] for j in range(start, i) if _category(self.tokens[j])]
        self._rows(i, roles, carried)

    def _scattered_header(self, start: int, roles: list[str | None]) -> list[str | None]:
        """A header whose value columns the text put among the first rows ("一级指标 二级指标
        三级指标 数量指标 指标1:… 实际 指标值 完成值 8755 分值 得分 偏差原因分析…", as a sheet
        flowed cell by cell gives it): their words taken out of the rows, their columns in
        the forms' order."""
        found: dict[str, list[int]] = {}
        for j in range(start, len(self.tokens)):
            role = indicator_role(self.tokens[j].key)
            if role in _VALUE_ROLES and j not in self.used and len(self.tokens[j].key) <= 12:
                found.setdefault(role, []).append(j)
        near = {r for r, places in found.items() if places[0] < start + _SCATTERED}
        if len(near) < 2:
            return roles
        self.used.update(j for places in found.values() for j in places)
        return [*roles, *(r for r in _VALUE_ROLES if r in found)]

    def _rows(self, i: int, roles: list[str | None], carried: Sequence[Token] = ()) -> None:
        end = next(
            (
                j
                for j in range(i, len(self.tokens))
                if self.tokens[j].key.startswith(_TOTAL + _END)
                or _NOTE_LINE.match(self.tokens[j].key)
                or _is_title(self.tokens[j])
                or (_is_heading(self.tokens[j].key) and not self._valued(j))
            ),
            len(self.tokens),
        )
        known = [r for r in roles if r is not None]
        self.scored = "weight" in known or "score" in known
        reader = RowReader(known, level1_like, level2_like)
        body = _level1_first(
            [
                *carried,
                *(
                    t
                    for j, t in enumerate(self.tokens[i:end], i)
                    if j not in self.used and t.key != _SIDE
                ),
            ]
        )
        rows = reader.read(body)
        self.stray = reader.stray
        rows = self._paired(rows)
        by_columns = read_columnwise(body, known, level1_like, level2_like)
        if by_columns is not None and _fuller(by_columns.rows, rows):
            rows = [Row(cells, 0) for cells in by_columns.rows]
            reader.stray = self.stray = 0
            self.apart_total = by_columns.total
            self.notes.append((COLUMNWISE, body[0].source if body else None))
            self.paired = any({"weight", "score"} & cells.keys() for cells in by_columns.rows)
        if reader.stray:
            self.notes.append(
                (
                    f"有 {reader.stray} 个单元格放不进任何一列，已略去：请与原件核对",
                    self.tokens[i].source,
                )
            )
        self.add(*INDICATOR_HEADER)
        short = lost = 0
        for row in rows:
            cells = row.cells
            target, actual = _joined_target(cells)
            self.add(
                *(cells.get(r, Token("")) for r in ("level1", "level2", "name")),
                target,
                actual,
                *(cells.get(r, Token("")) for r in ("weight", "score", "deviation")),
            )
            short += row.dropped
            lost += row.lost
        self.dropped = lost
        if end == len(self.tokens) and rows:
            self.cut = True
            self.notes.append(
                ("文字在此表中途结束，没有总分行：表格可能不完整", self.tokens[-1].source)
            )
        if short:
            where = self.tokens[i].source if i < len(self.tokens) else None
            self.notes.append(
                (f"指标行共缺少 {short} 个单元格（提取时丢失），已按数值和表头位置补齐", where)
            )
        self._total(end)

    def _paired(self, rows: list[Row]) -> list[Row]:
        """Rows whose names and values the text put apart (names in one run, values in
        another, as a sheet flowed partly column by column gives them) paired in order when
        as many names as value runs stand apart; a lone pair of figures after the values is
        the 总分 row's; an explanation's broken-off end put back with it."""
        joined: list[Row] = []
        for row in rows:
            name = row.cells.get("name")
            previous = joined[-1] if joined else None
            if (
                name is not None
                and row.cells.keys() == {"name"}
                and previous is not None
                and "deviation" in previous.cells
                and _CLAUSE.search(name.key)
            ):  # "建档立卡中有新增死亡" / "人员,导致有偏差"
                end = previous.cells["deviation"]
                cells = {**previous.cells, "deviation": Token(end.text + name.text, end.source)}
                joined[-1] = Row(cells, previous.dropped)
                continue
            joined.append(row)
        rows = joined
        values = [k for k, r in enumerate(rows) if "name" not in r.cells and "score" in r.cells]
        totals = []
        if values and rows[values[-1]].cells.keys() == {"weight", "score"}:
            totals.append(values.pop())
            total = rows[totals[0]].cells
            self.apart_total = (total["weight"], total["score"])
        names = [
            k for k, r in enumerate(rows) if "name" in r.cells and not r.cells.keys() & _FIGURES
        ]
        if not values or len(values) != len(names):
            return [r for k, r in enumerate(rows) if k not in totals]
        merged = {
            k: Row({**rows[k].cells, **rows[v].cells}, rows[v].dropped)
            for k, v in zip(names, values, strict=True)
        }
        self.paired = True
        self.notes.append(
            (
                f"有 {len(names)} 行指标的名称与数值在文字中分处两处，已按先后顺序配对，"
                "请与原件核对",
                rows[names[0]].cells["name"].source,
            )
        )
        return [merged.get(k, r) for k, r in enumerate(rows) if k not in values and k not in totals]

    def _valued(self, at: int) -> bool:
        """Whether a cell is followed by a figure, as an indicator's name is by its target
        (a heading of the report's text is followed by more text)."""
        return any(any(c.isdigit() for c in t.key) for t in self.tokens[at + 1 : at + 3])

    def _total(self, at: int) -> None:
        tokens = self.tokens
        at = next(  # "其他需要说明事项 | 无 | 总分 | 100 | 96"
            (j for j in range(at, min(at + 4, len(tokens))) if tokens[j].key.startswith(_TOTAL)),
            at,
        )
        if at < len(tokens) and tokens[at].key.startswith(_TOTAL):
            after = tokens[at + 1 : at + 5]
            numbers = [t for t in after if t.number]
            if len(numbers) < 2 and self.apart_total is not None:
                numbers = list(self.apart_total)  # its figures stood among the rows' values
            values = (
                numbers[:2] if len(numbers) >= 2 else [t for t in after[:2] if t.number or t.blank]
            )
            values += [Token("")] * (2 - len(values))
            self.add(tokens[at], "", "", "", "", values[0], values[1], "")
            grade = next((t for t in after[2:4] if t.key in _GRADES), None)
            if grade is not None:  # "总分 | 100 | 96 | 优"
                self.add(f"等级：{grade.text}")
                return
        for j in range(at, len(tokens)):
            k = tokens[j].key
            if k in _GRADE and j + 1 < len(tokens) and not tokens[j + 1].blank:
                self.add(f"等级：{tokens[j + 1].text}")
                break
            if k.startswith(_GRADE) and ("：" in k or ":" in k):
                self.add(tokens[j])
                break


def _fuller(columns: list[dict[str, Token]], rows: list[Row]) -> bool:
    """Whether the column-by-column reading finds more than the row-by-row one: rows with a
    weight and a score, then rows with a 二级."""

    def found(cells: list[dict[str, Token]]) -> tuple[int, int]:
        named = [c for c in cells if "name" in c]
        return (
            sum({"weight", "score"} <= c.keys() for c in named),
            sum("level2" in c for c in named),
        )

    return found(columns) > found([r.cells for r in rows])


def _same_line(a: Token, b: Token) -> bool:
    """Whether two cells stand on one line of the file."""
    return (
        a.source is not None
        and b.source is not None
        and a.source.line is not None
        and a.source.line == b.source.line
        and not b.first
    )


def _parted(goals: Token) -> tuple[Token, Token]:
    """Expected and actual goals run into one cell: parted after its last full stop when
    what follows is short, as an actual so often is ("…所必需的演出设备。已完成"); the text
    whole as the expected goal otherwise."""
    text = goals.text.rstrip()
    cut = max(text.rfind("。"), text.rfind("；"))
    tail = text[cut + 1 :].strip()
    if cut > 0 and 0 < len(tail) <= _SHORT_ACTUAL:
        return Token(text[: cut + 1], goals.source), Token(tail, goals.source)
    return goals, Token("")


def _funds_full(values: list[Token], roles: Sequence[str | None]) -> bool:
    """A funds row with all its figures: one a column, or fewer where the row ends in its
    rate and score ("65.66 65.07 10 99% 9": 年初预算数 left empty)."""
    if len(values) >= len(roles):
        return True
    ends = roles[-2:] == ["rate", "score"] and len(values) >= 3
    return ends and values[-2].key.endswith(("%", "％"))


def _level1_first(tokens: list[Token]) -> list[Token]:
    """A 一级 cell with its weight that the text put after its block's first 二级 and 三级
    (a merged cell's text printed at its middle: "数量指标 | 指标1:… | 产出指标(50分) | 8755
    …"): put back before that 二级."""
    out = list(tokens)
    for p, token in enumerate(tokens):
        if not (level1_like(token.key, True) and split_declared(token.key)[1] is not None):
            continue
        if p + 1 < len(tokens) and _category(tokens[p + 1]):
            continue  # it opens its own block
        q = next((j for j in range(p - 1, max(-1, p - 4), -1) if _category(out[j])), None)
        if q is None or q == p - 1 or level1_like(out[q].key, True):
            continue
        if q > 0 and level1_like(out[q - 1].key, True):
            continue  # its 二级 has a 一级 of its own
        out.insert(q, out.pop(p))
    return out


def _breakdown_rows(cells: list[Token]) -> list[list[Token]]:
    """The rows of a department table's breakdown: under the two headings "按收入性质分" and
    "按支出性质分" side by side, each cell goes to the column its words belong to (an
    expenditure speaks of 支出), the text having interleaved the two columns only as far as
    the shorter one goes; a single column as it comes."""
    headings = cells[:2]
    if len(cells) < 3 or not all(t.key.startswith("按") for t in headings):
        return [[c] for c in cells]
    spending = next((i for i, t in enumerate(headings) if "支出" in t.key), 1)
    columns: list[list[Token]] = [[headings[0]], [headings[1]]]
    for cell in cells[2:]:
        columns[spending if "支出" in cell.key else 1 - spending].append(cell)
    height = max(map(len, columns))
    return [[c[r] if r < len(c) else Token("") for c in columns] for r in range(height)]


def rebuild(tokens: Sequence[Token]) -> Rebuilt:
    """The grid of one table's cells (see ``split_tables``), in the official layout."""
    return _Builder(tokens).build()


_TABLE_WORDS = ("自评表", "年度资金总额", "年初预算", "三级指标", "一级指标", "全年执行数")


def _table_start(lines: Sequence[str]) -> int:
    """Where the tables start: a little above the first line with a table's words (the
    running text above is left out of the cells)."""
    for n, line in enumerate(lines):
        k = normalise(line)
        cells = k.split("|")
        if any(w in k for w in _TABLE_WORDS) or header_field(cells[0]) is not None:
            return max(0, n - 12) if len(k) < 200 else n
        if sum(_category(Token(c)) for c in cells) >= 1 and len(cells) > 3:
            return max(0, n - 3)  # rows of a table whose header is not in the text
        if sum(k.count(w) for w in LEVEL2) >= 2:
            return max(0, n - 3)  # such rows run together on one line
    return len(lines)


def read_streamed(document: RawDocument, year: int | None) -> list[Recognised]:
    """Every self-evaluation table in a document's text whose grid was lost."""
    lines = list(document.lines) or [p.text for p in document.paragraphs]
    text = normalise("".join(lines))
    if not any(w in text for w in (*_TABLE_WORDS, "二级指标", "指标值", *LEVEL2)):
        return []  # no table's words anywhere: running text only
    start = _table_start(lines)
    tokens, _ = tokenise(lines[start:], document.path, start + 1)
    out: list[Recognised] = []
    for cells in split_tables(rejoin(tokens, BROKEN_LABELS)):
        rebuilt = rebuild(cells)
        recognised = recognise_evaluation(
            rebuilt.table, rebuilt.title, rebuilt.year or year, repair=False
        )
        evaluation = recognised.evaluation
        figures = [(r.annual_budget, r.executed, r.initial_budget) for r in evaluation.funds.rows]
        header = evaluation.title and evaluation.name
        if not evaluation.indicators and not header and all(v is None for r in figures for v in r):
            continue  # header words in running text, not a table (a titled head is kept)
        repairs = len(recognised.notes)  # cells the grid reader had to move
        recognised.notes[:0] = rebuilt.notes
        recognised.evaluation = assess(
            evaluation,
            rebuilt=True,
            dropped=rebuilt.dropped,
            repairs=repairs,
            stray=rebuilt.stray,
            cut=rebuilt.cut,
            scored=rebuilt.scored,
            paired=rebuilt.paired,
        )
        recognised.evaluation = with_notes(recognised.evaluation, recognised.notes)
        if (
            recognised.evaluation.confidence is not None
            and recognised.evaluation.confidence < UNREADABLE
        ):
            continue  # cells in no order that holds: said as a table not read (CP05), not shown
        out.append(recognised)
    return out
