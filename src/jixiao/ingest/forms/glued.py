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
from jixiao.ingest.forms.vocabulary import BROKEN_LABELS, LEVEL1_WORDS, LEVEL2_WORDS

_WORDS = sorted(
    {
        *BROKEN_LABELS,
        *(w for w in LEVEL1_WORDS | LEVEL2_WORDS if w.endswith("指标")),
        "资金情况", "(万元)", "（万元）", "(元)", "（元）", "执行率", "分值", "得分",
        "权重", "其他资金", "年初设定目标", "全年实际完成情况", "绩效指标", "全年实际值",
        "全年完成值", "指标值", "未完成原因分析及改进措施", "未完成原因和改进措施", "总分",
        "合计", "专项资金名称", "项目负责人及电话",
    },
    key=len,
    reverse=True,
)  # fmt: skip
_LABEL = re.compile("(" + "|".join(re.escape(w) for w in _WORDS) + ")")
_FIGURES = re.compile(r"(\d[\d.,]*%?)")
_REMARK = re.compile(r"^[（(][A-Za-z/×*0-9万元分]{1,8}[)）]")
_PIECE = re.compile(r"^(?:0|[1-9]\d*)(?:\.\d{1,2})?%?$")


def looks_glued(line: str) -> bool:
    """A long line of table words with (almost) no spaces between its cells."""
    text = line.strip()
    return len(text) > 80 and text.count(" ") < len(text) / 40 and bool(_LABEL.search(text))


def _rate_holds(a: Decimal, b: Decimal, rate: Decimal) -> bool:
    return a > 0 and abs(b / a * 100 - rate) <= 1


def _weigh(pieces: tuple[str, ...]) -> float:
    values = [Decimal(p.rstrip("%")) for p in pieces]
    fit = -0.6 * len(pieces)
    for p, v in zip(pieces, values, strict=True):
        if p.endswith("%") and v > 200:
            fit -= 3
    for i in range(len(pieces) - 2):
        if pieces[i + 2].endswith("%") and _rate_holds(values[i], values[i + 1], values[i + 2]):
            fit += 4
    fit += sum(0.8 for a, b in itertools.pairwise(values) if a == b)
    return fit


@lru_cache(maxsize=4096)
def split_figures(run: str) -> tuple[str, ...]:
    """The figures a run of digits stands for: "194.9194.9100%" → 194.9, 194.9, 100%."""
    plausible = _PIECE.match(run) and (not run.endswith("%") or Decimal(run[:-1]) <= 200)
    if plausible and len(run) <= 10:
        return (run,)  # one figure
    best: tuple[float, tuple[str, ...]] = (float("-inf"), (run,))
    n = len(run)
    if n > 18:
        return (run,)
    for k in range(1, min(5, n)):
        for cuts in itertools.combinations(range(1, n), k):
            pieces = tuple(run[a:b] for a, b in itertools.pairwise((0, *cuts, n)))
            if all(_PIECE.match(p) for p in pieces):
                fit = _weigh(pieces)
                if fit > best[0]:
                    best = (fit, pieces)
    return best[1]


def segment(line: str) -> list[str]:
    """The cells of a glued line."""
    out: list[str] = []
    for part in _LABEL.split(clean(line)):
        if not part or not part.strip():
            continue
        if _LABEL.fullmatch(part):
            out.append(part)
            continue
        remark = _REMARK.match(part)
        if remark and out and _LABEL.fullmatch(out[-1]):  # "全年预算数" + "(A)"
            out[-1] += remark.group(0)
            part = part[remark.end() :]
        for bit in _FIGURES.split(part):
            bit = bit.strip()
            if not bit:
                continue
            if _FIGURES.fullmatch(bit) and len(bit) <= 24 and "," not in bit:
                out.extend(split_figures(bit))
            else:
                out.append(bit)
    return out
