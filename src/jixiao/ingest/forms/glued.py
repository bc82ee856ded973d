"""Cells run together with nothing between them, as document-sharing sites and some PDF
extractions give a table: "项目资金(万元)全年预算数(A)全年执行数(B)执行率(B/A)年度资金总额
194.9194.9100%其中:…".

The text is cut where the forms' own words stand (header labels, funds and indicator
headers, categories, 总分), and where text meets a number. A run of figures with nothing
between them ("194.9194.9100%") is cut into the figures it can be — each a plain amount
with at most two decimals, a percentage at the end — preferring the cut whose figures
agree with each other (two equal amounts and their rate, executed ÷ budget = rate).
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from functools import lru_cache

from jixiao.ingest.cells import clean
from jixiao.ingest.forms.evaluation import EXTRA_LABELS, OTHER_LABELS
from jixiao.ingest.forms.roles import indicator_role
from jixiao.ingest.forms.spelling import PINYIN, simplified
from jixiao.ingest.forms.vocabulary import (
    BROKEN_LABELS,
    LEVEL1_WORDS,
    LEVEL2_WORDS,
    PLACEHOLDER,
)
from jixiao.values.parse import UNITS

_WORDS = sorted(
    {
        *BROKEN_LABELS, *EXTRA_LABELS, *OTHER_LABELS,
        *(w for w in LEVEL1_WORDS | LEVEL2_WORDS if w.endswith("指标")),
        "资金情况", "资金投入情况", "(万元)", "（万元）", "(元)", "（元）", "执行率", "分值",
        "得分", "权重", "其他资金", "年初设定目标", "全年实际完成情况", "绩效指标", "全年实际值",
        "全年完成值", "全年实际完成值", "指标值", "未完成原因分析及改进措施",
        "未完成原因和改进措施", "总分", "合计", "专项资金名称", "项目负责人及电话",
        "填报日期", "项目类别", "项目属性", "项目类型", "预算执行情况",
        "年度财政资金总额",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# "指标1:" — a template's placeholder for an indicator the unit left empty: a cell of its own.
# 预算数 / 执行数 as column heads only, with their letter ("预算数(A)"): in running text
# they stand inside names ("结余率(计算方法为:结余数/预算数)").
_LABEL = re.compile(
    "("
    + "|".join(re.escape(w) for w in _WORDS)
    + r"|指标\d{1,2}[:：]|(?:预算|执行)数(?=[（(][A-Z]))"
)
# "(A)" after a label, also as OCR reads it ("(八)")
_REMARK = re.compile(r"^(?:[（(][A-Za-z八/×*0-9万元分%.]{1,10}[)）]|[:：])")
# how a column's figure is worked out, after its label: "得分(20分*执行率)"
_FORMULA = re.compile(r"[（(]\d+分[*×][^)）]{1,6}[)）]")
_PIECE = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,2})?%?$")


def looks_glued(line: str) -> bool:
    """A long line of table words with no spaces between its cells: (almost) none at all,
    or only where a PDF wrapped a cell's text ("产 出 指 标", "指标县级储备粮管理制 度严格"):
    the forms' words then stand inside longer pieces, seldom as pieces of their own."""
    text = simplified(PINYIN.sub("", line.strip()))
    if len(text) <= 80 or not _LABEL.search(text):
        return False
    if text.count(" ") < len(text) / 40:
        return True
    words = len(_LABEL.findall(re.sub(r"\s+", "", text)))
    alone = sum(bool(_LABEL.fullmatch(part)) for part in text.split())
    return words >= 4 and alone <= words * 0.3


def holds_table(cell: str) -> bool:
    """A cell that holds a whole table run together (a page's summary field), not a note
    that names a few of the forms' words: six different ones at least."""
    return looks_glued(cell) and len(set(_LABEL.findall(simplified(PINYIN.sub("", cell))))) >= 6


_RUN = re.compile(r"\d[\d.%]{5,}")


def holds_cells(cell: str) -> bool:
    """A cell that is several cells run together: a whole table (``looks_glued``), or a short
    row: two of the forms' words ("全年预算数(A)全年执行数(B)预算执行率(B/A)"), a category
    fused with the cells after it ("数量指标建设普通省道二级公路32.1公里2020"), or a label and
    a run of figures that parts into several ("年度资金总额:40004000100%")."""
    if looks_glued(cell):
        return True
    text = simplified(re.sub(r"\s+", "", cell))
    if not text or _LABEL.fullmatch(text):
        return False
    words = [w for w in _LABEL.findall(text) if not PLACEHOLDER.match(w)]
    if len(set(words)) >= 2:
        return True
    if len(text) > 40:
        return False  # a sentence (a goal, an explanation) that names a figure
    category = bool(words) and text.startswith(words[0]) and words[0].endswith("指标")
    if category and text[-1].isdigit():
        return True
    run = _RUN.search(text)  # the figures end the cell: a row's label and its figures
    ends = run is not None and run.end() == len(text) and len(split_figures(run.group(0))) > 1
    return ends and not text[0].isdigit()


def _rate_holds(a: Decimal, b: Decimal, rate: Decimal) -> bool:
    return a > 0 and b > 0 and rate > 0 and abs(b / a * 100 - rate) <= 1


def _weigh(pieces: tuple[str, ...]) -> float:
    values = [Decimal(p.rstrip("%")) for p in pieces]
    fit = -0.6 * len(pieces)
    for p, v in zip(pieces, values, strict=True):
        if p.endswith("%") and v > 200:
            fit -= 3
    for i in range(len(pieces) - 2):
        for gap in (2, 3):  # budget, executed, rate, or with 分值 before the rate
            at = i + gap
            if at < len(pieces) and pieces[at].endswith("%"):
                holds = _rate_holds(values[i], values[i + 1], values[at])
                fit += 4 * holds
                if holds and gap == 3:  # 分值 between the amounts and the rate: up to 100
                    fit += 0.5 if values[i + 2] <= 100 else -0.5
    fit += sum(0.8 for a, b in itertools.pairwise(values) if a == b)
    return fit


@lru_cache(maxsize=4096)
def split_figures(run: str) -> tuple[str, ...]:
    """The figures a run of digits stands for: "194.9194.9100%" → 194.9, 194.9, 100%."""
    plausible = _PIECE.match(run) and (not run.endswith("%") or Decimal(run[:-1]) <= 200)
    if plausible and len(run) <= 10:
        return (run,)  # one figure
    if len(run) > _LONGEST_TRIED:
        return _repeated(run)
    best: tuple[float, tuple[str, ...]] = (float("-inf"), (run,))
    n = len(run)
    for k in range(1, min(5, n)):
        for cuts in itertools.combinations(range(1, n), k):
            pieces = tuple(run[a:b] for a, b in itertools.pairwise((0, *cuts, n)))
            if all(_PIECE.match(p) for p in pieces):
                fit = _weigh(pieces)
                if fit > best[0]:
                    best = (fit, pieces)
    return best[1]


_LONGEST_TRIED = 18  # longer runs have too many cuts to weigh each


def _repeated(run: str) -> tuple[str, ...]:
    """A long run that opens with the same amount written two or three times (年初预算数 =
    全年预算数 = 全年执行数: "355503555035550" + "1082.12%8.5"): the repeats peeled off, the
    rest cut as a short run; otherwise the run as it is."""
    size = next(
        (
            n
            for n in range(min(12, len(run) // 2), 1, -1)
            if run[:n] == run[n : 2 * n] and _PIECE.match(run[:n])
        ),
        0,
    )
    if not size:
        return (run,)
    pieces: list[str] = []
    rest = run
    while rest.startswith(run[:size]) and len(pieces) < 3:
        pieces.append(run[:size])
        rest = rest[size:]
    if not rest:
        return tuple(pieces)
    if len(rest) > _LONGEST_TRIED:
        return (run,)
    return (*pieces, *(_scored_rate(rest) or split_figures(rest)))


def _scored_rate(rest: str) -> tuple[str, str, str] | None:
    """What follows the amounts of a funds row with 分值 / 执行率 / 得分: a weight up to 100,
    the rate and a score not above the weight ("1082.12%8.5" → 10, 82.12%, 8.5)."""
    rate_at = rest.find("%")
    if rate_at < 0 or rest.count("%") != 1:
        return None
    for cut in range(1, rate_at):
        weight, rate, score = rest[:cut], rest[cut : rate_at + 1], rest[rate_at + 1 :]
        if not all(_PIECE.match(p) for p in (weight, rate, score)):
            continue
        if Decimal(score) <= Decimal(weight) <= 100 and Decimal(rate[:-1]) <= 200:
            return weight, rate, score
    return None


_CJK_END = re.compile(r"[\u4e00-\u9fff]$")
_COMPARATOR = "[≥≤＞＜><=]|不低于|不少于|不高于|不超过|大于等于|小于等于"
_MORE_UNITS = (
    "厘米",
    "立方米",
    "万亩",
    "万人次",
    "万人",
    "万粒",
    "万株",
    "粒",
    "起",
    "公斤",
    "工作日",
    "个月",
)
_UNIT = "|".join(
    re.escape(u) for u in sorted({*UNITS, *_MORE_UNITS}, key=len, reverse=True) if not u.isascii()
)
# A value cell: a comparator, its figures, their unit ("≥266米", "100%", "0起").
# ("指标1免费发放原原种": a template's numbered name, no value)
# ("2021年度财政项目绩效自评表": a title's year, no value)
_VALUE = re.compile(
    rf"((?<!指标)(?:{_COMPARATOR})?(?<![\d.])(?!\d{{4}}年度)\d[\d.,%]*(?:{_UNIT})?)"
)
# A block's weight written after its name: "项目决策(10分)", "产出指标（50分）".
BLOCK_WEIGHT = re.compile(r"([（(]\d{1,3}(?:\.\d)?分[)）])")
_PARTS = re.compile(rf"^(?P<pre>(?:{_COMPARATOR})?)(?P<run>\d[\d.,%]*)(?P<unit>.*)$")


def _values(bit: str) -> list[str]:
    """The cells of a value run: "≥1000人" one, "194.9194.9100%" three (by their arithmetic)."""
    parts = _PARTS.match(bit)
    if parts is None or len(parts["run"]) > 40 or "," in parts["run"]:
        return [bit]
    pieces = list(split_figures(parts["run"]))
    if len(pieces) == 1 and not parts["pre"] and not parts["unit"]:
        pieces = list(_weight_and_score(parts["run"]))
    pieces[0] = parts["pre"] + pieces[0]
    pieces[-1] += parts["unit"]
    return pieces


def _weight_and_score(run: str) -> tuple[str, ...]:
    """An indicator's 分值 and 得分 run together ("2020" → 20, 20; "10098" → 100, 98): a
    weight up to 100 and a score not above it nor below its half, else the run as it is."""
    if not run.isdigit() or not 3 <= len(run) <= 6:
        return (run,)
    for cut in range(1, len(run)):
        weight, score = run[:cut], run[cut:]
        if weight[0] == "0" or (score[0] == "0" and len(score) > 1):
            continue
        if 0 < int(weight) <= 100 and int(weight) / 2 <= int(score) <= int(weight):
            return weight, score
    return (run,)


def _texts(bit: str) -> list[str]:
    """A text cell, or more when a target and its equal result ran together: "显著提升显著提升",
    "是是", "高高"; "服装质量等合格合格" → 服装质量等, 合格, 合格."""
    for size in range(len(bit) // 2, 0, -1):
        twice = bit[-2 * size :]
        rest = bit[: -2 * size]
        if twice[:size] != twice[size:] or twice[:size].isdigit():
            continue
        if not rest:
            return [twice[:size], twice[size:]]
        if (size >= 2 or twice[0] in _ONE_WORD) and len(rest) >= 2:
            return [rest, twice[:size], twice[size:]]
    return [bit]


# One-character values a target and its result may both be ("安全性高高" → 安全性, 高, 高).
_ONE_WORD = frozenset("高低是否有无好优良强")


def _at_labels(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where the forms' words stand (found in its simplified spelling, the
    pieces as written): (piece, whether it is one of the words)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for found in _LABEL.finditer(simplified(text)):
        if found.start() < at:
            continue  # inside the formula of the last word
        if found.start() > at:
            out.append((text[at : found.start()], False))
        formula = _FORMULA.match(text, found.end())  # "得分" + "(20分*执行率)"
        at = formula.end() if formula else found.end()
        out.append((text[found.start() : at], True))
    if at < len(text):
        out.append((text[at:], False))
    return out


def _weight_first(out: list[str]) -> list[str]:
    """Where the 分值 column stands before the 指标值 column, an indicator's weight runs into
    its target, and the actual that follows often equals the target: "8550万粒" + "550万粒"
    → 8, 550万粒, 550万粒 (the figures as their equal actual shows them)."""
    parted: list[str] = []
    for cell, after in itertools.zip_longest(out, out[1:], fillvalue=""):
        head = cell[: len(cell) - len(after)]
        if (
            after[:1] in "123456789"
            and not after.isdigit()
            and _VALUE.fullmatch(after)
            and cell.endswith(after)
            and head.isdigit()
            and 0 < int(head) <= 30
        ):
            parted.extend((head, after))
        else:
            parted.append(cell)
    return parted


def segment(line: str) -> list[str]:
    """The cells of a glued line."""
    out: list[str] = []
    label = False  # whether the last cell is one of the forms' words
    weight_first = False  # the indicator header puts 分值 before 指标值
    text = PINYIN.sub("", re.sub(r"\s+", "", clean(line)))  # spaces: wraps inside a cell
    for part, is_label in _at_labels(text):
        if is_label:
            if indicator_role(simplified(part)) == "target" and out and label:
                weight_first |= indicator_role(simplified(out[-1])) == "weight"
            if simplified(part) == "执行率" and out and not label and _CJK_END.search(out[-1]):
                out[-1] += part  # "县级储备粮管理制度严格" + "执行率": an indicator's name
            else:
                out.append(part)
                label = True
            continue
        remark = _REMARK.match(part)
        if remark and label:  # "全年预算数" + "(A)"
            out[-1] += remark.group(0)
            part = part[remark.end() :]
        for piece in BLOCK_WEIGHT.split(part):
            if BLOCK_WEIGHT.fullmatch(piece) and out and not label:
                out[-1] += piece  # "项目决策" + "(10分)": a block's weight stays with its name
                continue
            for bit in _VALUE.split(piece):
                if bit:
                    out.extend(_values(bit) if _VALUE.fullmatch(bit) else _texts(bit))
                    label = False
    return _weight_first(out) if weight_first else out
