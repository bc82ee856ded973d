"""Rescore a whole evaluation: execution score, every indicator, total and grade."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Evaluation
from jixiao.scoring.funds import score_funds
from jixiao.scoring.indicators import remember
from jixiao.scoring.results import EvaluationScore, IndicatorScore
from jixiao.scoring.scheme import Scheme

ZERO = Decimal(0)
_new = tuple.__new__


def _scored(evaluation: Evaluation) -> bool:
    """Whether the form gives points at all: transfer-payment and 衔接资金 forms have no
    分值 or 得分 anywhere, and a grade recomputed for them would be a verdict on nothing."""
    funds, total = evaluation.funds, evaluation.total
    written = (funds.weight, funds.score, total.weight, total.score)
    return any(v is not None for v in written) or any(
        i.weight is not None or i.score is not None for i in evaluation.indicators
    )


def score_evaluation(evaluation: Evaluation, scheme: Scheme) -> EvaluationScore:
    """The national (or configured) method applied to one table and its sub-directions.

    The recomputed total is the recomputed execution score plus, for each indicator, the
    method's score (a reported score inside a qualitative tier's range is kept; where the
    method cannot decide, the reported score is counted and the indicator is listed in
    ``undetermined``).
    """
    funds = score_funds(evaluation.funds, scheme)
    funds_part = funds.score if funds.score is not None else evaluation.funds.score
    total = funds_part or ZERO
    # The loop of a province-wide run (one pass per indicator): the scheme's memo looked
    # up in place, and the point score it keeps added without a method call.
    memo_get = scheme.memo.get
    scores: list[IndicatorScore] = []
    append = scores.append
    for item in evaluation.indicators:
        key = (item.target, item.actual, item.weight, item.level2)
        known = memo_get(key) or remember(item, scheme, key)
        append(score := _new(IndicatorScore, (item,) + known[0]))
        point = known[1]
        total += score.counted() if point is None else point
    total = scheme.round_score(total)
    children = tuple([score_evaluation(child, scheme) for child in evaluation.children])
    grade = scheme.grade_for(total) if _scored(evaluation) else None
    fields = (evaluation, scheme.name, scheme.title, funds, tuple(scores), total, grade, children)
    return _new(EvaluationScore, fields)
