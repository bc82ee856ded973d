"""FD02 执行得分与评分方案的算法不符.

What: the 得分 of the funds block differs from what the scheme's formula gives for the
execution rate (national method: 执行率 × 分值, never above 分值), compared at the
precision it was written with.

Why: a unit that rounds its execution score up (or writes a round number) raises its
total; the finance bureau's scheme, not the unit, decides the formula.

Bad: 执行率 99.91%，分值 10，得分 9 (the formula gives 9.99).

Good: 执行率 92.58%，分值 10，得分 9.26.

Options: ``tolerance`` — a difference up to this many points is accepted (default 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Option, Rule


class FD02(Rule):
    code = "FD02"
    name = "funds.score"
    title = "执行得分与评分方案的算法不符"
    severity = Severity.ERROR
    message = "执行得分填写为 {actual}，按执行率 {rate}% 和分值 {weight} 应为 {expected}"
    advice = "按评分方案（{scheme}）重新计算执行得分"
    options = (Option("tolerance", Decimal(0), "允许的误差（分）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        computed = context.checked.score.funds
        if funds.score is None or computed.score is None:
            return
        tolerance = Decimal(context.options["tolerance"])
        full_claimed = computed.weight is not None and funds.score == computed.weight
        short_of_full = full_claimed and funds.score - computed.score > tolerance
        if not short_of_full and agrees(funds.score, computed.score, tolerance):
            return  # at the written precision; but full marks for less is not rounding
        yield self.finding(
            context,
            field="funds.score",
            expected=computed.score,
            actual=funds.score,
            rate=computed.rate,
            weight=computed.weight,
            scheme=context.checked.scheme.title,
            source=funds.rows[0].source if funds.rows else funds.source,
        )
