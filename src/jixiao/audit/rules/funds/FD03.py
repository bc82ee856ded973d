"""FD03 执行率或执行得分未填.

What: the funds block gives 全年预算数 and 全年执行数, but its 执行率 or its 得分 (or both)
is blank. The finding names the blank cell(s) and the figure the scheme's formula gives
for each (执行率 = 全年执行数 ÷ 全年预算数; 得分 = 执行率 × 分值, never above 分值).

Why: the execution score is part of the 总分; a blank 得分 leaves the reader to guess
whether the total includes it, and a blank 执行率 hides how well the budget was spent.

Bad: 全年预算数 4465.5，全年执行数 4465.5，分值 10，执行率和得分栏空白 (seed 000).

Good: 全年预算数 1863.29，全年执行数 1725.06，执行率 92.58%，得分 9.26.

Options: none (a wrong rate or score is FD01 / FD02; a blank budget or execution figure
is not this rule's concern).
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
    severity = Severity.WARNING
    message = (
        "资金执行的{blank}未填：全年执行数 {executed} ÷ 全年预算数 {budget}，"
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
