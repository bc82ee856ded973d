"""VL03 无法识别的指标值.

What: a 年度指标值 or 实际完成值 that holds numbers but no single reading the value parser
can decide ("2022年完成30项、2023年完成50项" — which number is the value?), with the
parser's reason. The indicator is then left unscored by the recomputation.

Why: the reviewer (and every other check) needs one value to compare; a value that
cannot be read silently escapes the scoring and the other value rules.

Bad: 年度指标值 "组织培训3期200人次" (two numbers in one phrase).

Good: "≥95%", "省级15个；市级40个" (labelled parts), "2024.12.31前".

Options: ``fields`` — which values to check (default both: target, actual).
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
