"""Rescore a whole evaluation: execution score, every indicator, total and grade."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Evaluation
from jixiao.scoring.funds import score_funds
from jixiao.scoring.indicators import score_indicator
from jixiao.scoring.results import EvaluationScore
from jixiao.scoring.scheme import Scheme

ZERO = Decimal(0)


def score_evaluation(evaluation: Evaluation, scheme: Scheme) -> EvaluationScore:
    """The national (or configured) method applied to one table and its sub-directions.

    The recomputed total is the recomputed execution score plus, for each indicator, the
    method's score (a reported score inside a qualitative tier's range is kept; where the
    method cannot decide, the reported score is counted and the indicator is listed in
    ``undetermined``).
    """
    funds = score_funds(evaluation.funds, scheme)
    indicators = tuple([score_indicator(item, scheme) for item in evaluation.indicators])
    funds_part = funds.score if funds.score is not None else evaluation.funds.score
    total = funds_part or ZERO
    for item in indicators:
        total += item.counted()
    total = scheme.round_score(total)
    children = tuple([score_evaluation(child, scheme) for child in evaluation.children])
    return EvaluationScore(
        evaluation=evaluation,
        scheme_name=scheme.name,
        funds=funds,
        indicators=indicators,
        total=total,
        grade=scheme.grade_for(total),
        children=children,
    )
