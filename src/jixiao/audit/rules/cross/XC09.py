"""XC09 超编或楼堂馆所超出批复.

检查：基础数据表中实际数超过控制数：实际在职人数多于编制数（超编），楼堂馆所实际规模
超过批复规模、实际投资超过预算投资（超概算）。按表中的两个数比较；两个数缺一时，按填写
的控制率是否超过控制线判断。编制数、批复规模或预算投资为 0（如没有楼堂馆所项目，各栏
填 0）时无从比较，不提示。

原因：基础数据表正是用来反映人员编制和楼堂馆所是否受控的；超编、超规模、超概算是财政
审核的重点，报告应说明原因和整改措施。这里只提示，是否已在报告中说明需人工查看。

错误示例：编制数 16，实际在职人数 18，控制率 112.5%，报告未作说明。

正确示例：编制数 16，实际在职人数 14，控制率 87.5%；楼堂馆所各栏均为 0。

选项：``limit`` — 控制线（百分数，默认 100：实际数超过控制数即提示）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import at_precision_of
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.cross._basic import control_rates, table_name


class XC09(Rule):
    code = "XC09"
    name = "cross.over-control"
    title = "超编或楼堂馆所超出批复"
    actual_label = "控制率（%）"
    expected_label = "控制线（%）"
    severity = Severity.INFO
    scope = "report"
    message = "{form}的{label}为 {actual}%（{figures}），超过控制线 {limit}%"
    advice = "在报告中说明{numerator_label}超过{denominator_label}的原因和整改措施"
    options = (Option("limit", Decimal(100), "控制线（百分数）：控制率超过它即提示"),)

    def check(self, context: Context) -> Iterator[Finding]:
        if context.report is None:
            return
        limit = Decimal(str(context.options["limit"]))
        for data in context.report.basic_data:
            for rate in control_rates(data):
                computed = rate.computed
                if computed is not None:
                    exceeded = computed > limit
                    value = at_precision_of(Decimal("0.01"), computed)
                    figures = (
                        f"{rate.numerator_label} {show(rate.numerator)} {rate.unit}，"
                        f"{rate.denominator_label} {show(rate.denominator)} {rate.unit}"
                    )
                elif rate.numerator is None or rate.denominator is None:
                    if rate.written is None:
                        continue
                    value, figures = rate.written, "表中只填了控制率"
                    exceeded = value > limit
                else:
                    continue  # a base of 0: nothing was approved, no rate to speak of
                if not exceeded:
                    continue
                yield self.finding(
                    context,
                    field=rate.field,
                    expected=limit,
                    actual=value,
                    form=table_name(data),
                    label=rate.label,
                    figures=figures,
                    limit=limit,
                    numerator_label=rate.numerator_label,
                    denominator_label=rate.denominator_label,
                    source=rate.source,
                )
