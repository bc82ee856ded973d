"""FD02 执行得分与评分方案的算法不符.

检查：资金栏的执行得分与评分方案的公式按执行率算出的得分不符（全国通用方法：执行率 × 分值，
不超过分值），按得分填写的精度比较。但执行率不足、公式得分低于分值而填了满分的，不算四舍五
入，照样报告（执行率 98%、分值 10 填 10 分，应为 9.8）。

原因：单位把执行得分往上凑（或干脆填个整数），总分就跟着抬高；计分公式由财政部门的评分方案决
定，不由单位决定。

错误示例：执行率 99.91%，分值 10，得分 9（按公式应为 9.99）。

正确示例：执行率 92.58%，分值 10，得分 9.26。

选项：`tolerance`：允许的误差（分），默认 0。
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
