"""CP01 年度总体目标未填.

What: the 年度总体目标 of the table is blank: both its 预期目标 and its 实际完成情况
(one finding), or only one of them (the finding says which).

Why: the overall goal is what the indicators are meant to measure, and the 实际完成情况
is the unit's own summary of the year; without them the reader cannot judge whether the
indicators cover the goal, and the table cannot be compared with the budget request.

Bad: 年度总体目标 预期目标 (blank) 实际完成情况 (blank) — all seven tables of seed 000.

Good: 预期目标 “新认定10家企业技术创新中心，每家奖励10万元”，实际完成情况 “新认定8家…”.

Options: ``placeholders`` — texts that count as blank (default: 无, /, —, 略…).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule


class CP01(Rule):
    code = "CP01"
    name = "completeness.goals"
    title = "年度总体目标未填"
    severity = Severity.WARNING
    message = "年度总体目标的{blank}未填"
    advice = "填写年度总体目标：预期目标照预算申报时的绩效目标，实际完成情况概述全年完成结果"
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
