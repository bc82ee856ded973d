"""Execution rate (执行率 = 全年执行数 / 全年预算数) and the execution score."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Funds
from jixiao.scoring.results import FundsScore
from jixiao.scoring.scheme import Scheme

HUNDRED = Decimal(100)


def score_funds(funds: Funds, scheme: Scheme) -> FundsScore:
    weight = funds.weight if funds.weight is not None else scheme.funds_weight
    if funds.annual_budget is None or funds.executed is None:
        return FundsScore(weight, None, None, "未填全年预算数或全年执行数，无法计算执行率")
    if funds.annual_budget <= 0:
        return FundsScore(weight, None, None, "全年预算数为零，无法计算执行率")
    rate = scheme.round_rate(funds.executed / funds.annual_budget * HUNDRED)
    formula = f"执行率 = {funds.executed} ÷ {funds.annual_budget} = {rate}%"
    rule = scheme.execution
    if rule.formula == "steps":
        fraction = next((f for minimum, f in rule.steps if rate >= minimum), Decimal(0))
        score = scheme.round_score(weight * fraction)
        return FundsScore(weight, rate, score, f"{formula}；按分档计分，得 {score} 分")
    capped = min(rate, HUNDRED)
    score = scheme.round_score(capped / HUNDRED * weight)
    return FundsScore(weight, rate, score, f"{formula}；得分 = {capped}% × {weight} = {score}")
