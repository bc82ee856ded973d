"""VL03 无法识别的指标值.

检查：年度指标值或实际完成值含有数字，但指标值解析规则无法确定唯一的读法（“2022年完成30项、
2023年完成50项”——哪个数才是指标值？），报告中附上解析规则给出的原因。该指标因此不参与复算评
分。

原因：审核人员（以及其他各项检查）需要一个确定的值来比较；读不出的值会悄无声息地躲过评分和其
他指标值检查。

错误示例：年度指标值“组织培训3期200人次”（一句话里有两个数字）。

正确示例：“≥95%”“省级15个；市级40个”（分项标明）“2024.12.31前”。

选项：`fields`：检查哪些值（默认两者都检查：target 年度指标值，actual 实际完成值）。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.values import ValueKind, parse_value

LABELS = {"target": "年度指标值", "actual": "实际完成值"}


class VL03(Rule):
    code = "VL03"
    name = "values.unreadable"
    title = "无法识别的指标值"
    actual_label = "所填内容"
    severity = Severity.INFO
    message = "“{name}”的{which}“{text}”无法识别：{reason}"
    advice = (
        "将{which}改写为一个数值（连同单位与比较符），多个数值请分项标明，如“省级15个；市级40个”"
    )
    options = (
        Option("fields", ("target", "actual"), "检查的值：target 年度指标值，actual 实际完成值"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        fields = [f for f in context.options["fields"] if f in LABELS]
        for indicator in context.checked.evaluation.indicators:
            for field in fields:
                text = indicator.target if field == "target" else indicator.actual
                value = parse_value(text)
                if value.kind is not ValueKind.UNREADABLE:
                    continue
                yield self.finding(
                    context,
                    indicator=indicator,
                    field=field,
                    actual=text,
                    which=LABELS[field],
                    text=text,
                    reason=value.reason or "数值无法识别",
                )
