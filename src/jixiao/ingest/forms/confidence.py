"""How far a table as read can be trusted, so that a misread shows as doubt, not as an error
of the unit.

A table read from an intact grid (Word, Excel, HTML, tab-separated text) starts at 1; one
rebuilt from text that lost its grid starts lower, and loses more for every cell the text
dropped, when the text ends inside it, for rows that came out hollow or named by a figure,
and for every place where its arithmetic does not hold: in a rebuilt table, a score above its
weight or weights that do not add up to the total are more often a cell put in the wrong
column than the unit's mistake. Sums and rates that do hold (execution rate = executed ÷
budget, weights adding up to the total, scores to the 总分) win some of it back, up to a
ceiling below the bar at which blanks count (a rebuilt table's blank may be a lost cell).
The audit reports the findings on a table below the threshold (``min_confidence`` in the
audit settings) as 提示 to check against the original (see ``audit.runner``).
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from jixiao.ingest.cells import amount
from jixiao.ingest.raw import RawTable
from jixiao.model import Evaluation, SourceRef

REBUILT = Decimal("0.9")
PER_DROPPED = Decimal("0.01")
PER_REPAIR = Decimal("0.02")
GRID_FLOOR = Decimal("0.95")  # a grid read whole, some rows put back: still a grid
PER_CONFLICT = Decimal("0.08")
PER_STRAY = Decimal("0.05")  # a cell the rebuild could place in no column
# A cell the grid reader had to move (a figure in the explanation column read as the score):
# in a grid it mends a slip of the unit's, in a rebuilt table it is the rebuild's misplacing.
PER_MOVED = Decimal("0.1")
CUT = Decimal("0.05")
# Rows whose names and values the text gave apart, paired by their order alone: however well
# the sums hold, which value is whose is the order's word, so the table stays under the
# audit's bar (its findings are 提示 to check against the original).
PAIRED = Decimal("0.1")
EMPTY_SCORES = Decimal("0.3")  # a scored form whose rows came out without 分值 or 得分
TOO_MANY = Decimal("0.2")  # more rows than any self-evaluation table has
PER_CHECK = Decimal("0.03")  # a sum or a rate of the table that holds as read
REBUILT_CEILING = Decimal("0.94")  # below the audit's bar for absences: a rebuilt table's
# blank cell may be one the text lost
HOLLOW = Decimal("0.15")  # indicator rows read with a name and nothing else, all of them
NOTHING_HOLDS = Decimal("0.3")  # no indicator and no funds arithmetic to check the reading by
# An indicator named by a figure ("5000吨", "≥90%"): a value read into the name's column.
_BARE = re.compile(r"\d+(?:\.\d+)?%?")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_VALUE_WORDS = frozenset(
    ("完成", "未完成", "达标", "未达标", "合格", "及时", "是", "否", "有", "无")
)
_COMPARATORS = (">=", "<=", "≥", "≤", ">", "<", "＞", "＜", "=")
_FIGURE_NAME = re.compile(r"[≥≤＞＜<>=]?\d[\d.,%]*\D{0,3}")


def _odd_name(name: str) -> bool:
    """A 三级 name no indicator has: a figure, no Chinese at all ("()"), or a paragraph (the
    cells of several rows run into one)."""
    return (
        bool(_FIGURE_NAME.fullmatch(name))
        or not _CJK.search(name)
        or len(name) > 100
        or name in _VALUE_WORDS  # "完成": a row's verdict read into the name's column
        or name.endswith(_COMPARATORS)  # "…的满意程度>=": the target's sign run into it
    )


def _conflicts(evaluation: Evaluation) -> int:
    """Places where the table's own arithmetic does not hold."""
    found = sum(1 for i in evaluation.indicators if i.name and _odd_name(i.name))
    # a bare figure in the explanation column: a row's cells put one column too far
    found += sum(1 for i in evaluation.indicators if i.deviation and _BARE.fullmatch(i.deviation))
    weights = [i.weight for i in evaluation.indicators if i.weight is not None]
    found += sum(
        1
        for i in evaluation.indicators
        if i.weight is not None and i.score is not None and i.score > i.weight
    )
    total = evaluation.total.weight
    funds = evaluation.funds.weight or Decimal(0)
    if weights and total is not None and sum(weights) not in (total, total - funds):
        found += 1
    scores = [i.score for i in evaluation.indicators if i.score is not None]
    written = evaluation.total.score
    if scores and written is not None:
        summed = sum(scores)
        if min(abs(summed - written), abs(summed + (evaluation.funds.score or 0) - written)) > 1:
            found += 1
    figures = [*weights, *scores, evaluation.funds.weight, evaluation.funds.score]
    found += sum(1 for f in figures if f is not None and f > 100)  # no weight is above 100
    fw, fs = evaluation.funds.weight, evaluation.funds.score
    if fw is not None and fs is not None and fs > fw:
        found += 1
    budget, executed, rate = (
        evaluation.funds.annual_budget,
        evaluation.funds.executed,
        evaluation.funds.rate,
    )
    if budget and executed is not None and rate is not None:
        computed = executed / budget * 100
        if abs(computed - rate) > 1 and abs(computed - rate * 100) > 1:
            found += 1
    return found


def _near(a: Decimal | int, b: Decimal | int) -> bool:
    return abs(Decimal(a) - Decimal(b)) <= 1


def _checks(evaluation: Evaluation) -> int:
    """Sums and rates of the table that hold as read: each is evidence that its cells stand
    in their columns (a misplaced cell seldom keeps them)."""
    held = 0
    funds = evaluation.funds
    budget, executed, rate = funds.annual_budget, funds.executed, funds.rate
    if budget and executed and rate and _near(executed / budget * 100, rate):
        held += 1
    rows = evaluation.indicators
    weights = [i.weight for i in rows if i.weight is not None]
    total = evaluation.total.weight
    sums = (
        {total, total - (funds.weight or 0)} if total is not None else {Decimal(90), Decimal(100)}
    )
    if len(weights) >= 3 and any(_near(sum(weights), s) for s in sums if s is not None):
        held += 1
    scores = [i.score for i in rows if i.score is not None]
    written = evaluation.total.score
    extras = (0, funds.score or 0)
    if (
        len(scores) >= 3
        and written is not None
        and any(_near(sum(scores) + e, written) for e in extras)
    ):
        held += 1
    return held


def assess(
    evaluation: Evaluation,
    *,
    rebuilt: bool,
    dropped: int = 0,
    repairs: int = 0,
    cut: bool = False,
    scored: bool = False,
    stray: int = 0,
    paired: bool = False,
) -> Evaluation:
    """``evaluation`` with its ``confidence`` set."""
    value = max(GRID_FLOOR, Decimal(1) - PER_REPAIR * repairs)
    if rebuilt:
        value = REBUILT - PER_DROPPED * min(dropped, 10) - PER_CONFLICT * _conflicts(evaluation)
        value -= CUT if cut else 0  # sums of a table whose end is missing prove nothing
        held = _checks(evaluation)
        value = min(REBUILT_CEILING, value + PER_CHECK * held)
        # doubts about particular cells, which no sum clears
        value -= PER_STRAY * min(stray, 6) + PER_MOVED * repairs + (PAIRED if paired else 0)
        rows = evaluation.indicators
        figures = sum(i.weight is not None or i.score is not None for i in rows)
        if scored and len(rows) >= 5 and figures < 0.3 * len(rows):
            value -= EMPTY_SCORES
        value -= TOO_MANY if len(rows) > 60 else 0
        hollow = sum(i.target is None and i.actual is None and i.weight is None for i in rows)
        value -= HOLLOW * hollow / len(rows) if rows else 0
        if not rows and not held:
            value -= NOTHING_HOLDS
    value = max(Decimal(0), min(Decimal(1), value)).quantize(Decimal("0.01"))
    return dataclasses.replace(evaluation, confidence=value)


SCANNED = "由扫描件识别：表中文字由图像识别而来，数字请与原件核对"
SCAN_CEILING = Decimal("0.94")  # as for a rebuilt table: a blank may be a cell OCR missed
DOUBTFUL_FIGURE = Decimal("0.8")  # OCR's confidence below which a figure is a guess
SCAN_DOUBT = Decimal("0.8")  # a table with such a figure: under the audit's bar


def scanned(evaluation: Evaluation, table: RawTable) -> tuple[Evaluation, list[str]]:
    """A table read by OCR: its confidence at most the mean of its cells' OCR confidence
    (and the ceiling), under the audit's bar when a figure was read with doubt; the notes
    that say so. A table with no OCR confidences is returned as it is."""
    cells = [c for row in table.rows for c in row if c.anchor is None and c.text.strip()]
    read = [c for c in cells if c.source is not None and c.source.confidence is not None]
    if not read:
        return evaluation, []
    scores = [c.source.confidence for c in read if c.source and c.source.confidence is not None]
    mean = sum(scores, Decimal(0)) / len(scores)
    value = min(evaluation.confidence or Decimal(1), SCAN_CEILING, mean)
    doubtful = [
        c
        for c in read
        if c.source is not None
        and c.source.confidence is not None
        and c.source.confidence < DOUBTFUL_FIGURE
        and amount(c.text) is not None
    ]
    notes = [SCANNED]
    if doubtful:
        value = min(value, SCAN_DOUBT)
        shown = "、".join(f"“{c.text.strip()}”" for c in doubtful[:5])
        more = f"等 {len(doubtful)} 个" if len(doubtful) > 5 else ""
        notes.append(f"{shown}{more}数字识别把握不大，请与原件核对")
    return dataclasses.replace(evaluation, confidence=value.quantize(Decimal("0.01"))), notes


def with_notes(evaluation: Evaluation, notes: list[tuple[str, SourceRef | None]]) -> Evaluation:
    """``evaluation`` carrying what its reading rebuilt or repaired (once each, in order)."""
    return dataclasses.replace(evaluation, read_notes=tuple(dict.fromkeys(m for m, _ in notes)))
