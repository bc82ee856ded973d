"""XC06 控制率计算错误.

检查：基础数据表中填写的控制率是否等于按表中数字算出的值，按控制率填写的精度比较：
在职人数控制率 = 实际在职人数 ÷ 编制数 × 100；楼堂馆所的规模控制率 = 实际规模 ÷ 批复
规模 × 100，投资概算控制率 = 实际投资 ÷ 预算投资 × 100。控制率未填、两个数缺一或分母
为 0（如没有楼堂馆所项目，各栏填 0）的不核对。

原因：控制率是财政部门看人员编制和楼堂馆所是否超标的指标；算错的控制率会把超编、超概算
写成未超，或者说明表中数字是抄来的、没有核算。

错误示例：编制数 16，实际在职人数 14，控制率填 85%（应为 87.5%）。

正确示例：编制数 16，实际在职人数 14，控制率 87.5%（或按整数填 88%）；编制数 48，实际在职
人数 42，控制率 87.5%。

选项：``tolerance`` — 允许的误差（百分点，默认 0：只容许按填写精度的舍入）；
``ratio_form`` — 控制率写成小数（0.875 即 87.5%）也视为正确（默认是）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees, at_precision_of
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.cross._basic import control_rates, table_name


class XC06(Rule):
    code = "XC06"
    name = "cross.control-rate"
    title = "控制率计算错误"
    severity = Severity.ERROR
    scope = "report"
    message = (
        "{form}的{label}填写为 {actual}%，按{numerator_label} {numerator} ÷ "
        "{denominator_label} {denominator} × 100 应为 {expected}%"
    )
    advice = "按“{label} = {numerator_label} ÷ {denominator_label} × 100%”重新计算并填写"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（百分点）"),
        Option("ratio_form", True, "控制率写成小数（0.875 即 87.5%）也视为正确"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        if context.report is None:
            return
        tolerance = Decimal(str(context.options["tolerance"]))
        ratio_form = bool(context.options["ratio_form"])
        for data in context.report.basic_data:
            for rate in control_rates(data):
                computed = rate.computed
                if rate.written is None or computed is None:
                    continue
                if agrees(rate.written, computed, tolerance):
                    continue
                if ratio_form and agrees(rate.written, computed / 100, tolerance / 100):
                    continue
                yield self.finding(
                    context,
                    field=rate.field,
                    expected=at_precision_of(Decimal("0.01"), computed),
                    actual=rate.written,
                    form=table_name(data),
                    label=rate.label,
                    numerator_label=rate.numerator_label,
                    numerator=rate.numerator,
                    denominator_label=rate.denominator_label,
                    denominator=rate.denominator,
                    source=rate.source,
                )
