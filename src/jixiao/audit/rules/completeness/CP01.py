"""CP01 年度总体目标未填.

检查：表中的年度总体目标空白：预期目标和实际完成情况都空白（报告一次），或只有其中一项空白
（报告中指明是哪一项）。

原因：总体目标是各项指标要衡量的对象，实际完成情况是单位对全年工作的自我总结；缺了它们，读者
无法判断指标是否覆盖了目标，也无法与预算申报相对照。

错误示例：年度总体目标的预期目标空白、实际完成情况空白——样本报告 000 的全部七张表都是如此。

正确示例：预期目标“新认定10家企业技术创新中心，每家奖励10万元”，实际完成情况“新认定8家……”。

选项：`placeholders`：视同未填的占位文字（默认 无、/、—、略等）。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule


class CP01(Rule):
    code = "CP01"
    name = "completeness.goals"
    title = "年度总体目标未填"
    absence = True
    severity = Severity.WARNING
    message = "年度总体目标的{blank}未填"
    advice = "补填年度总体目标：预期目标按预算申报时的绩效目标填写，实际完成情况概述全年完成结果"
    options = (
        Option(
            "placeholders",
            ("无", "/", "-", "—", "——", "略", "暂无", "空"),
            "视同未填的占位文字",
        ),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        goals = context.checked.evaluation.goals
        placeholders = set(context.options["placeholders"])

        def blank(text: str | None) -> bool:
            cleaned = "".join((text or "").split()).strip("。.")
            return not cleaned or cleaned in placeholders

        missing = [
            (field, label)
            for field, label, text in (
                ("goals.expected", "预期目标", goals.expected),
                ("goals.actual", "实际完成情况", goals.actual),
            )
            if blank(text)
        ]
        if not missing:
            return
        yield self.finding(
            context,
            field=missing[0][0] if len(missing) == 1 else "goals",
            blank="和".join(label for _, label in missing),
        )
