"""FD06 全年执行数未填.

检查：资金栏填了全年预算数，却没有填全年执行数（年度资金总额行）。执行率、执行得分因此也无从
计算，报告同时说明它们是否也空着。

原因：预算执行率是自评的第一项内容，也是执行得分的依据。执行数空白，读者既看不出钱花了多少，也
无法核对执行得分和总分；审核时须退回补填。

错误示例：年初预算数 100，全年预算数 80，全年执行数、执行率、得分均空白（正文说奖励资金“共计
80万元”，表中却没有执行数）。

正确示例：全年预算数 80，全年执行数 80，执行率 100%，得分 10。

选项：无。执行数已填、只是执行率或得分空白的，由 FD03 检查。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule, show


class FD06(Rule):
    code = "FD06"
    name = "funds.no_execution"
    title = "全年执行数未填"
    absence = True
    severity = Severity.WARNING
    message = "资金栏填了全年预算数 {budget}，但全年执行数未填{also}，无法计算执行率和执行得分"
    advice = (
        "补填全年执行数，并按“执行率 = 全年执行数 ÷ 全年预算数、得分 = 执行率 × 分值”"
        "补填执行率和得分"
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        if funds.annual_budget is None or funds.executed is not None:
            return
        blank = [
            label
            for label, value in (("执行率", funds.rate), ("得分", funds.score))
            if value is None
        ]
        yield self.finding(
            context,
            field="funds.executed",
            budget=show(funds.annual_budget),
            also=f"（{'、'.join(blank)}也空白）" if blank else "",
            source=funds.rows[0].source if funds.rows else funds.source,
        )
