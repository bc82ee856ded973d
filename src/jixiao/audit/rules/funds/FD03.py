"""FD03 执行率或执行得分未填.

检查：资金栏已填全年预算数和全年执行数，但执行率或得分（或两者）空白。报告指出空白的栏目，并
给出按评分方案公式应填的数字（执行率 = 全年执行数 ÷ 全年预算数；得分 = 执行率 × 分值，不超过
分值）。

原因：执行得分是总分的一部分。得分空白，读者无法判断总分是否已含执行得分；执行率空白，则看不
出预算执行得如何。

错误示例：全年预算数 4465.5，全年执行数 4465.5，分值 10，执行率和得分栏空白（样本报
告 000）。

正确示例：全年预算数 1863.29，全年执行数 1725.06，执行率 92.58%，得分 9.26。

选项：无。执行率或得分填错的，由 FD01、FD02 检查；全年预算数或全年执行数空白的，不属本规则检
查范围。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule, show


class FD03(Rule):
    code = "FD03"
    name = "funds.blank"
    title = "执行率或执行得分未填"
    absence = True
    severity = Severity.WARNING
    message = (
        "资金栏的{blank}未填：全年执行数 {executed} ÷ 全年预算数 {budget}，"
        "执行率应为 {rate}，按分值 {weight} 得分应为 {score}"
    )
    advice = "按“执行率 = 全年执行数 ÷ 全年预算数、得分 = 执行率 × 分值”补填{blank}"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        if funds.annual_budget is None or funds.executed is None:
            return
        computed = context.checked.score.funds
        blank = [
            (field, label, value)
            for field, label, written, value in (
                ("funds.rate", "执行率", funds.rate, computed.rate),
                ("funds.score", "得分", funds.score, computed.score),
            )
            if written is None
        ]
        if not blank:
            return
        expected: Decimal | str | None = blank[0][2]
        if len(blank) > 1:
            expected = f"执行率 {show(computed.rate)}%；得分 {show(computed.score)}"
        yield self.finding(
            context,
            field=",".join(field for field, _, _ in blank),
            expected=expected,
            blank="和".join(label for _, label, _ in blank),
            executed=funds.executed,
            budget=funds.annual_budget,
            rate="无法计算" if computed.rate is None else f"{show(computed.rate)}%",
            weight=computed.weight,
            score="无法计算" if computed.score is None else computed.score,
            source=funds.rows[0].source if funds.rows else funds.source,
        )
