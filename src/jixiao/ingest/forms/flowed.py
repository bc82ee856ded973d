"""A self-evaluation table whose grid was lost: text pulled out of a PDF, cells flowed.

Such text keeps each cell's lines together but not the rows and columns: a row shows as its
二级 category (perhaps broken over lines), the cells that fit on one line joined by spaces,
the long cells line by line, and a "分值 得分" line. This module puts the indicators back:
rows start at a 二级 category, the two numbers end them, and the remaining lines are split
into 三级指标, 年度指标值 and 实际完成值 — by the repeated text when target and actual say
the same thing, else by the blank lines between cells. The funds block cannot be put back
reliably and is only partly read; every reconstruction is reported as a note.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.ingest.cells import clean, key
from jixiao.ingest.forms.evaluation import HEADER_LABELS, label_key
from jixiao.ingest.forms.vocabulary import LEVEL1, LEVEL2
from jixiao.ingest.raw import Paragraph
from jixiao.model import Evaluation, Funds, FundsRow, Goals, Indicator, SourceRef, Total

_NUMBER = r"\d+(?:\.\d+)?"
_EMPTY_ROWS = ("上年结转", "其他资金")
_LONE = re.compile(rf"{_NUMBER}")
_LONE_RATE = re.compile(rf"{_NUMBER}%")
_SCORES = re.compile(rf"^(?P<cells>.*?)\s*(?P<weight>{_NUMBER})\s+(?P<score>{_NUMBER})$")
_TOTAL = re.compile(rf"^(?P<weight>{_NUMBER})\s+(?P<score>{_NUMBER})\s+等级[:：]\s*(?P<grade>\S+)$")
_DECLARED = re.compile(r"(产出指标|效益指标|满意度指标|成本指标)[（(](\d+)分[)）]")
_PARENT = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
NOTE = "此表在文字中已失去表格结构（多见于从 PDF 复制的文字），已按内容重建，请与原件核对"


@dataclass
class _Line:
    text: str
    paragraph: Paragraph
    gap_before: bool  # a blank line separates it from the line before


def looks_flowed(paragraphs: list[Paragraph]) -> bool:
    texts = [p.text for p in paragraphs]
    has_header = any("年初预算数" in t for t in texts)
    categories = sum(1 for t in texts if any(t.startswith(w) for w in LEVEL2))
    return has_header and categories >= 2 and any(_SCORES.match(t) for t in texts)


def _lines(paragraphs: list[Paragraph]) -> list[_Line]:
    out: list[_Line] = []
    previous: int | None = None
    for p in paragraphs:
        line = p.source.line if p.source else None
        gap = previous is not None and line is not None and line - previous > 1
        out.append(_Line(p.text.strip(), p, gap))
        previous = line
    return out


def _category_at(lines: list[_Line], i: int) -> tuple[str, int, str] | None:
    """A 二级 category starting at line ``i`` (maybe broken over lines): (word, lines, rest)."""
    text = ""
    for j in range(i, min(i + 3, len(lines))):
        text += lines[j].text.split(" ")[0] if j == i else lines[j].text
        for word in LEVEL2:
            if text == word:
                rest = lines[i].text[len(word) :].strip() if j == i else ""
                return word, j - i + 1, rest
            if j == i and lines[i].text.startswith(word + " "):
                return word, 1, lines[i].text[len(word) :].strip()
        if not any(w.startswith(text) for w in LEVEL2) or len(text) < 2:
            return None
    return None


def _split_values(rest: list[_Line], has_name: bool) -> tuple[str | None, str | None, str | None]:
    """(三级指标, 年度指标值, 实际完成值) from the lines between a category and its scores."""
    texts = [line.text for line in rest]
    for name_lines in [0] if has_name else range(1, len(texts) - 1):
        values = texts[name_lines:]
        half = len(values) // 2
        if values and len(values) % 2 == 0 and "".join(values[:half]) == "".join(values[half:]):
            name = "".join(texts[:name_lines]) or None
            return name, "".join(values[:half]), "".join(values[half:])
    chunks: list[list[str]] = []
    for line in rest:
        if line.gap_before or not chunks:
            chunks.append([line.text])
        else:
            chunks[-1].append(line.text)
    wanted = 2 if has_name else 3
    while len(chunks) > wanted:  # a cell broken by a stray blank line: join its tail back
        shortest = min(range(1, len(chunks)), key=lambda k: len("".join(chunks[k])))
        chunks[shortest - 1].extend(chunks.pop(shortest))
    joined = ["".join(c) for c in chunks] + [None] * (wanted - len(chunks))
    if has_name:
        return None, joined[0], joined[1]
    return joined[0], joined[1], joined[2]


def _level1_at(lines: list[_Line], i: int) -> int:
    """How many lines from ``i`` spell a 一级 label such as "满意度/指标/（10分）" (0 if none)."""
    text = ""
    for j in range(i, min(i + 3, len(lines))):
        text += lines[j].text
        bare = re.sub(r"[（(]\d+分[)）]$", "", text)
        if bare in LEVEL1:
            follows = j + 1 < len(lines) and re.fullmatch(r"[（(]\d+分[)）]", lines[j + 1].text)
            return j - i + 1 + (1 if follows else 0)
        if not any(w.startswith(bare) for w in LEVEL1):
            return 0
    return 0


@dataclass
class _Row:
    level1: str | None
    level2: str
    first: _Line
    name: str | None = None
    cells: list[str] | None = None  # cells given on one line, space-separated
    body: list[_Line] | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation: list[str] | None = None


def recognise_flowed(
    paragraphs: list[Paragraph], title: str | None, year: int | None
) -> tuple[Evaluation, list[tuple[str, SourceRef | None]]]:
    lines = _lines(paragraphs)
    header = next(i for i, line in enumerate(lines) if "年初预算数" in line.text)
    rows: list[_Row] = []
    level1: str | None = None
    total, grade = Total(), None
    i = header + 1
    while i < len(lines):
        line = lines[i]
        found_total = _TOTAL.match(line.text)
        if found_total:
            total = Total(
                Decimal(found_total["weight"]),
                Decimal(found_total["score"]),
                source=line.paragraph.source,
            )
            grade = found_total["grade"]
            break
        marker = _level1_at(lines, i)
        if marker:
            level1 = re.sub(r"[（(]\d+分[)）]$", "", "".join(x.text for x in lines[i : i + marker]))
            i += marker
            continue
        category = _category_at(lines, i)
        if category is not None:
            word, used, rest = category
            rows.append(
                _Row(
                    level1 if level1 == _PARENT.get(word) else _PARENT.get(word),
                    word,
                    line,
                    body=[],
                    deviation=[],
                )
            )
            i += used
            if rest:
                _take(rows[-1], rest, line)
            continue
        if rows:
            _take(rows[-1], line.text, line)
        i += 1
    indicators = tuple(_indicator(row) for row in rows if row.score is not None)
    notes: list[tuple[str, SourceRef | None]] = [(NOTE, lines[header].paragraph.source)]
    fields = _header_fields(lines[max(0, header - _HEADER_REACH) :])
    funds, put_back = _funds(lines, header)
    if put_back:
        notes.append((SCATTERED, funds.source))
    evaluation = Evaluation(
        kind="department" if title and "整体" in title else "project",
        title=title,
        name=fields.name,
        department=fields.department,
        implementer=fields.implementer,
        year=year,
        funds=funds,
        goals=_goals(lines),
        level1_weights=_declared(lines),
        indicators=indicators,
        total=total,
        grade=grade,
        extra=fields.extra,
        source=lines[header].paragraph.source,
    )
    return evaluation, notes


# How many lines above the funds header the table's own header labels may start.
_HEADER_REACH = 8
# Words of the table's body: a line holding one is no header field's value.
_BODY_WORDS = ("年初预算", "三级指标", "绩效指标", "年度总体目标", "自评表")


@dataclass
class _Header:
    name: str | None = None
    department: str | None = None
    implementer: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class _Token:
    text: str
    line: int  # index into the lines


class _HeaderReader:
    """Header labels and their values in flowed lines, read word by word."""

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.tokens = [_Token(w, i) for i, line in enumerate(lines) for w in line.text.split()]
        self.first: dict[int, int] = {}  # line index → its first token
        for n, token in enumerate(self.tokens):
            self.first.setdefault(token.line, n)

    def label_at(self, i: int) -> tuple[str, int] | None:
        """The longest header label spelled by the tokens from ``i`` (a label may be broken
        over lines, "项目支/出名称"): (label as written, tokens used), or ``None``."""
        text, found = "", None
        for j in range(i, min(i + 4, len(self.tokens))):
            text += self.tokens[j].text
            compared = label_key(text)
            if compared in HEADER_LABELS:
                found = (key(text).rstrip(":："), j - i + 1)
            if not any(label.startswith(compared) for label in HEADER_LABELS):
                break
        return found

    def value_after(self, end: int) -> str | None:
        """The value of a label ending before token ``end``: the rest of its line up to the
        next label, else the cell below it (the lines that follow without a blank line)."""
        tokens, line = self.tokens, self.tokens[end - 1].line
        k, words = end, []
        while k < len(tokens) and tokens[k].line == line and self.label_at(k) is None:
            words.append(tokens[k].text)
            k += 1
        if words or (k < len(tokens) and tokens[k].line == line):
            return clean(" ".join(words)) or None
        if k >= len(tokens) or self.label_at(k) is not None:
            return None
        parts: list[str] = []
        for n in range(tokens[k].line, len(self.lines)):
            text = self.lines[n].text
            if any(w in key(text) for w in _BODY_WORDS):
                break
            if parts and (self.lines[n].gap_before or self._starts_label(n)):
                break
            parts.append(text)
        return clean("".join(parts)) or None

    def _starts_label(self, n: int) -> bool:
        first = self.first.get(n)
        return first is not None and self.label_at(first) is not None

    def values(self) -> dict[str, str | None]:
        """Each label found, as written, with the first value given for it."""
        out: dict[str, str | None] = {}
        i = 0
        while i < len(self.tokens):
            text = self.tokens[i].text
            inline = re.split(r"[:：]", text, maxsplit=1)
            if len(inline) == 2 and inline[1] and label_key(inline[0]) in HEADER_LABELS:
                label, value, used = key(inline[0]), clean(inline[1]) or None, 1
            else:
                found = self.label_at(i)
                if found is None:
                    i += 1
                    continue
                label, used = found
                value = self.value_after(i + used)
            if out.get(label) is None:
                out[label] = value
            i += used
        return out


def _header_fields(lines: list[_Line]) -> _Header:
    """名称 / 主管部门 / 实施单位 and the form's other header fields (专项名称, 支出方向名称…),
    wherever the extraction put their labels."""
    values = _HeaderReader(lines).values()
    header = _Header()
    has_project_name = any("项目" in k and _field(k) == "name" for k in values)
    for label, value in values.items():
        if value is None:
            continue
        kind = _field(label)
        if kind == "name" and has_project_name and "项目" not in label:
            kind = "department"  # 部门名称 beside 项目支出名称 names the department
        if kind == "extra":
            header.extra.setdefault(label, value)
        elif getattr(header, kind) is None:
            setattr(header, kind, value)
    return header


def _field(label: str) -> str:
    return HEADER_LABELS[label_key(label)]


def _take(row: _Row, text: str, line: _Line) -> None:
    """Feed one line of text to the row being read."""
    assert row.body is not None and row.deviation is not None
    if row.score is not None:  # after the scores: the deviation explanation
        row.deviation.append(text)
        return
    scores = _SCORES.match(text)
    if scores:
        row.weight, row.score = Decimal(scores["weight"]), Decimal(scores["score"])
        if scores["cells"]:
            row.cells = scores["cells"].split()
        return
    if not row.body and row.name is None and line is row.first:
        row.name = text  # "质量指标 奖励范围": the 三级指标 on the category's line
        return
    row.body.append(_Line(text, line.paragraph, line.gap_before))


def _indicator(row: _Row) -> Indicator:
    assert row.body is not None and row.deviation is not None
    name, target, actual = row.name, None, None
    cells = row.cells or []
    if len(cells) >= 3:
        name, target, actual = " ".join(cells[:-2]), cells[-2], cells[-1]
    elif len(cells) == 2 and name is not None:
        target, actual = cells
    else:
        found_name, target, actual = _split_values(row.body, has_name=name is not None)
        name = name or found_name
    return Indicator(
        level1=row.level1,
        level2=row.level2,
        name=name,
        target=target,
        actual=actual,
        weight=row.weight,
        score=row.score,
        deviation="".join(row.deviation) or None,
        source=row.first.paragraph.source,
    )


def _declared(lines: list[_Line]) -> dict[str, Decimal | None]:
    joined = key("".join(line.text for line in lines))
    found = dict(_DECLARED.findall(joined))
    return {name: Decimal(found[name]) for name in LEVEL1 if name in found}


def _goals(lines: list[_Line]) -> Goals:
    for i, line in enumerate(lines[:-1]):
        if "预期目标" in line.text and "实际完成情况" in line.text:
            parts = [p for p in re.split(r"\s{2,}|\u3000{2,}", lines[i + 1].text) if p.strip()]
            if len(parts) == 2:
                return Goals(parts[0].strip(), parts[1].strip())
    return Goals()


def _funds(lines: list[_Line], header: int) -> tuple[Funds, bool]:
    """Only the 年初 / 全年预算数 pairs that follow the header can be placed with certainty."""
    rows: list[FundsRow] = []
    labels = iter(("年度资金总额", "其中：当年财政拨款"))
    for line in lines[header + 1 : header + 6]:
        pair = re.fullmatch(rf"({_NUMBER})\s+({_NUMBER})", line.text)
        label = next(labels, None) if pair else None
        if pair is None or label is None:
            continue
        rows.append(
            FundsRow(
                label=label,
                initial_budget=Decimal(pair[1]),
                annual_budget=Decimal(pair[2]),
                source=line.paragraph.source,
            )
        )
    first = rows[0] if rows else FundsRow(label="年度资金总额")
    scattered = _scattered(lines[header + 6 :], first.annual_budget)
    if scattered is not None and rows:
        executed, rate, weight, score = scattered
        first = dataclasses.replace(first, executed=executed, rate=rate, weight=weight, score=score)
        rows[0] = first
    # rows with no figures (上年结转资金, 其他资金) stand as labels alone, wherever they are
    for line in lines[header + 1 :]:
        fresh = all(r.label != line.text for r in rows)
        if line.text.startswith(_EMPTY_ROWS) and len(line.text) <= 8 and fresh:
            rows.append(FundsRow(label=line.text, source=line.paragraph.source))
    funds = Funds(
        initial_budget=first.initial_budget,
        annual_budget=first.annual_budget,
        executed=first.executed,
        weight=first.weight,
        rate=first.rate,
        score=first.score,
        rows=tuple(rows),
        source=lines[header].paragraph.source,
    )
    return funds, scattered is not None and bool(rows)


SCATTERED = (
    "资金栏的全年执行数、分值、执行率和得分在文字中离开了它们的行，"
    "已按“执行率 = 全年执行数 ÷ 全年预算数、得分 = 执行率 × 分值”配回年度资金总额行，请与原件核对"
)


def _scattered(
    lines: list[_Line], budget: Decimal | None
) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """全年执行数, 分值, 执行率 and 得分 printed on lines of their own, away from their row:
    put back only when exactly one choice of the lone figures makes the arithmetic hold
    (executed ÷ budget = rate, rate × weight = score)."""
    if not budget:
        return None
    numbers = [Decimal(m) for line in lines for m in [line.text.strip()] if _LONE.fullmatch(m)]
    rates = [
        Decimal(m[:-1]) for line in lines for m in [line.text.strip()] if _LONE_RATE.fullmatch(m)
    ]
    found = {
        (e, r, w, s)
        for r in rates
        for i, e in enumerate(numbers)
        if abs(e / budget * 100 - r) <= 1
        for j, w in enumerate(numbers)
        if j != i
        for k, s in enumerate(numbers)
        if k not in (i, j) and s <= w and abs(r / 100 * w - s) <= Decimal("0.01") * w
    }
    if len(found) != 1:
        return None
    ((executed, rate, weight, score),) = found
    return executed, rate, weight, score
