"""FD01 执行率与全年执行数 ÷ 全年预算数不符.

检查：资金栏填写的执行率与“全年执行数 ÷ 全年预算数”不符。按执行率填写的精度比较：实际
为 99.909…% 时填 99.91% 即为正确。

原因：执行率决定执行得分，也是财政部门审阅时首先看的数字；执行率不对，说明资金栏没有认真计
算，或是照抄而来。

错误示例：全年预算数 85，全年执行数 85，执行率填“10”（应为 100%）。

正确示例：全年预算数 1863.29，全年执行数 1725.06，执行率 92.58%。

选项：`tolerance`：允许的误差（百分点），默认 0，即只容许按填写精度四舍五入产生的差异。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees, at_precision_of
from jixiao.audit.rule import Context, Option, Rule


class FD01(Rule):
    code = "FD01"
    name = "funds.rate"
    title = "执行率与全年执行数 ÷ 全年预算数不符"
    severity = Severity.ERROR
    message = (
        "执行率填写为 {actual}%，按全年执行数 {executed} ÷ 全年预算数 {budget} 应为 {expected}%"
    )
    advice = "按“执行率 = 全年执行数 ÷ 全年预算数”重新计算并填写"
    options = (Option("tolerance", Decimal(0), "允许的误差（百分点）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        computed = context.checked.score.funds.rate
        if funds.rate is None or computed is None or funds.annual_budget is None:
            return
        exact = (funds.executed or Decimal(0)) / funds.annual_budget * 100
        if agrees(funds.rate, exact, Decimal(context.options["tolerance"])):
            return
        yield self.finding(
            context,
            field="funds.rate",
            expected=at_precision_of(Decimal("0.01"), exact),
            actual=funds.rate,
            executed=funds.executed,
            budget=funds.annual_budget,
            source=funds.rows[0].source if funds.rows else funds.source,
        )
