"""Indicator rows from text that gives a table column by column.

Some PDF text layers (pdf.js mirrors of published reports) and sheets flowed by sharing sites
keep a table's cells but not its rows: the 一级 and 二级 categories come in one run, the 三级
names in another, the values in a third ("=100% 100% 10 10 =100% 100% 20 20 及时 及时 20 20 …
100 98.62", the last pair the 总分's). Nothing places a value beside its name but the order,
so the rows are put together only where the order leaves no doubt: as many names as runs of
values (and as many 二级 as names, for the 二级), each run holding a target, a result, a
weight and a score not above it. A reading that does not come out even is no reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jixiao.ingest.cells import amount
from jixiao.ingest.forms.tokens import Token
from jixiao.ingest.forms.vocabulary import LEVEL1, LEVEL2, PLACEHOLDER

Like = Callable[..., bool]  # level1_like / level2_like (key, strict=False)
SHAPE = ("target", "actual", "weight", "score")
TOTALS = (100, 90)  # what a 总分 row weighs (90 where the funds are not scored)
NOTE = "此表的文字按列排列（类别、名称、数值各成一串），已按先后顺序把名称与数值配对，请与原件核对"
_SHORT = frozenset(("满意度", "产出", "效益", "成本", "质量", "数量", "时效"))
_PAGE = re.compile(r"^[-—－]\s*\d{1,3}\s*[-—－]$|^第\d{1,3}页")  # "-1-", "第2页"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# a short word that stands where a value does ("及时", "达标")
_VALUE_WORD = re.compile(r"^(?:及时|按时|达标|合格|显著|明显|良好|完成|是|否|有|无|优|良|高|好)$")
_QUANTITY = re.compile(r"^[≥≤<>＞＜≧≦=]{0,2}\d+(?:\.\d+)?[%％]?[\u4e00-\u9fff]{0,3}$")


@dataclass(frozen=True)
class Columnwise:
    rows: list[dict[str, Token]]  # role → cell, in the table's order
    total: tuple[Token, Token] | None  # the 总分 row's weight and score


def _is_value(token: Token) -> bool:
    k = token.key
    return bool(_QUANTITY.match(k) or _VALUE_WORD.match(k)) or amount(token.text) is not None


def _points(token: Token) -> float | None:
    """A weight's or a score's figure (not a rate: no %)."""
    if "%" in token.key or "％" in token.key:
        return None
    value = amount(token.text)
    return float(value) if value is not None and value <= 100 else None


def _runs(values: list[Token]) -> tuple[list[list[Token]], tuple[Token, Token] | None] | None:
    """A run of values cut into (target, result, weight, score), the last two figures the
    总分's when they are left over; None when the run does not cut evenly."""
    quads: list[list[Token]] = []
    i = 0
    while i < len(values):
        rest = values[i:]
        if len(rest) == 2:
            weight, score = (_points(t) for t in rest)
            if weight in TOTALS and score is not None and score <= weight:
                return quads, (rest[0], rest[1])
            return None
        if len(rest) < 4:
            return None
        weight, score = _points(rest[2]), _points(rest[3])
        if weight is None or score is None or score > weight:
            return None
        quads.append(rest[:4])
        i += 4
    return quads, None


def _level1_of(level2: str, level1s: list[Token]) -> Token | None:
    """The 一级 of a 二级 read in a separate run: by the family its words name (效益 /
    可持续 under 效益, 满意 under 满意度, the rest under 产出), when that 一级 is there."""
    if "满意" in level2:
        family = "满意"
    elif "效益" in level2 or "可持续" in level2:
        family = "效益"
    elif "成本" in level2 and any("成本" in t.key for t in level1s):
        family = "成本"
    else:
        family = "产出"
    return next((t for t in level1s if family in t.key), None)


def read_columnwise(
    tokens: Sequence[Token], roles: Sequence[str], level1_like: Like, level2_like: Like
) -> Columnwise | None:
    """The rows of a table given column by column, or None when its runs do not pair."""
    if "name" not in roles:
        return None
    level1s: list[Token] = []
    level2s: list[Token] = []
    names: list[Token] = []
    values: list[Token] = []
    runs = 0
    previous_value = False
    # where the table spells its 一级 as the forms do, a short spelling is a name ("满意度")
    official = any(t.key in LEVEL1 for t in tokens)
    for token in tokens:
        k = token.key
        if token.blank or _PAGE.match(k) or PLACEHOLDER.match(k):
            continue
        is_value = _is_value(token)
        if is_value:
            values.append(token)
            runs += not previous_value
        elif official and k in _SHORT:
            names.append(token)
        elif level1_like(k, True) and k not in LEVEL2 and "level1" in roles:
            level1s.append(token)  # ("成本指标" is a 二级 of the older forms)
        elif level2_like(k, True):
            level2s.append(token)
        elif len(_CJK.findall(k)) <= 2 and names and not any(c.isdigit() for c in k):
            # "与委托运营方合同完成" … "率": a name's broken-off end
            last = names[-1]
            names[-1] = Token(last.text + token.text, last.source, last.first)
        else:
            names.append(token)
        previous_value = is_value
    if len(names) < 2 or runs > 2:
        return None  # values beside their names: a table read row by row
    cut = _runs(values)
    if cut is None or (values and not set(SHAPE) <= set(roles)):
        return None
    quads, total = cut
    if quads and len(quads) != len(names):
        return None
    paired_level2 = len(level2s) == len(names)
    rows: list[dict[str, Token]] = []
    for n, name in enumerate(names):
        row: dict[str, Token] = {"name": name}
        if paired_level2:
            row["level2"] = level2s[n]
            level1 = _level1_of(level2s[n].key, level1s)
            if level1 is not None:
                row["level1"] = level1
        if quads:
            row.update(zip(SHAPE, quads[n], strict=True))
        rows.append(row)
    return Columnwise(rows, total)
