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
        reason = "未填全年预算数或全年执行数，无法计算执行率"
        return FundsScore(weight, None, None, "undetermined", (reason,))
    if funds.annual_budget <= 0:
        return FundsScore(weight, None, None, "undetermined", ("全年预算数为零，无法计算执行率",))
    rate = scheme.round_rate(funds.executed / funds.annual_budget * HUNDRED)
    rule = scheme.execution
    capped = min(rate, HUNDRED)
    if rule.formula == "steps":
        fraction = next((f for minimum, f in rule.steps if rate >= minimum), Decimal(0))
        score = scheme.round_score(weight * fraction)
    else:
        score = scheme.round_score(capped / HUNDRED * weight)
    args = (funds.executed, funds.annual_budget, rate, capped, weight, score)
    # positional through tuple.__new__: this runs once per evaluation of a province
    return _new(FundsScore, (weight, rate, score, rule.formula, args))


_new = tuple.__new__
