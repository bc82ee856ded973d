"""SC02 总分与各项得分之和不符.

检查：总分行的得分与“执行得分 + 各三级指标得分之和”不符，按总分填写的精度比较。执行得分取资
金栏填写的数，资金栏未填时取复算的执行得分（执行得分空白由资金类规则报告）；未填得分的指标
按 0 分计。

原因：总分决定等级，也是财政部门给各单位排序的依据；总分不等于各项之和，说明是直接填上去的，
不是加出来的。

错误示例：执行得分 9.26，指标得分合计 85，总分填 96（应为 94.26）。

正确示例：执行得分 9.26，指标得分合计 85，总分 94.26（按填写精度，填 94.3 或 94 也可以）；样
本报告 000：未填执行得分（复算为 10），指标得分合计 88，总分 98。

选项：`tolerance`：允许的误差（分），默认 0。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.scores._common import blank_note, table_sum


class SC02(Rule):
    code = "SC02"
    name = "scores.total-sum"
    title = "总分与各项得分之和不符"
    absence = True  # a sum over the whole table: a row the reading lost breaks it
    severity = Severity.ERROR
    message = (
        "总分填写为 {actual}，但{funds_label} {funds} 加各指标得分合计 {indicators}"
        " 应为 {expected}{blanks}"
    )
    advice = "总分 = 执行得分 + 各三级指标得分之和：重新相加后填写总分"
    options = (Option("tolerance", Decimal(0), "允许的误差（分）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        total = context.checked.evaluation.total
        if total.score is None:
            return
        summed = table_sum(context.checked)
        if summed is None:
            return
        tolerance = Decimal(str(context.options["tolerance"]))
        if agrees(total.score, summed.total, tolerance):
            return
        yield self.finding(
            context,
            field="total.score",
            source=total.source,
            expected=summed.total,
            actual=total.score,
            funds_label="执行得分" if summed.funds_written else "复算的执行得分",
            funds=summed.funds,
            indicators=summed.indicators,
            blanks=blank_note(summed.blanks),
        )
