"""The scoring engine: the national method, with every locality's options as a scheme."""

from jixiao.scoring.engine import score_evaluation
from jixiao.scoring.funds import score_funds
from jixiao.scoring.indicators import score_indicator
from jixiao.scoring.results import EvaluationScore, FundsScore, IndicatorScore, Rule
from jixiao.scoring.scheme import (
    ExecutionRule,
    GradeBand,
    Level1Spec,
    Scheme,
    clean_category,
)

__all__ = [
    "EvaluationScore",
    "ExecutionRule",
    "FundsScore",
    "GradeBand",
    "IndicatorScore",
    "Level1Spec",
    "Rule",
    "Scheme",
    "clean_category",
    "score_evaluation",
    "score_funds",
    "score_indicator",
]
