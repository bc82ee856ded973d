"""DV02 未完成目标且未说明原因.

What: the method says the target was missed (a numeric actual short of its target, a late
时效 indicator, a qualitative actual that claims only 部分达成 or 未达成) and the
偏差原因分析及改进措施 is empty. Indicators scored below their weight are DV01's (one
finding per indicator): DV02 is for a missed target scored in full or not scored at all.

Why: every missed target needs its cause and remedy; when the score does not show the
miss either, nothing in the table tells the reader the target was missed.

Bad: 全社会研发投入强度 目标 3.20%，实际 3.04%，得分 5，偏差原因分析 empty.

Good: the same row with "认定通过率不高……加强企业辅导培训，提高认定通过率" (seed 000).

Options: ``blank_words`` — deviation texts that count as empty (as in DV01).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.deviation._common import BLANK_WORDS, deducted, missed, unexplained


class DV02(Rule):
    code = "DV02"
    name = "deviation.missed"
    title = "未完成目标且未说明原因"
    severity = Severity.WARNING
    message = "“{name}”未完成目标（{explanation}），{scored}，但未填写偏差原因分析及改进措施"
    advice = "在“偏差原因分析及改进措施”中说明未完成目标的原因和改进措施，并按完成程度打分"
    options = (Option("blank_words", BLANK_WORDS, "视为未填写的偏差说明"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        blank_words = context.options["blank_words"]
        for scored in context.checked.score.indicators:
            indicator = scored.indicator
            if not missed(scored) or deducted(scored):
                continue
            if not unexplained(indicator.deviation, blank_words):
                continue
            written = indicator.score
            yield self.finding(
                context,
                indicator=indicator,
                field="deviation",
                actual=written,
                explanation=scored.explanation,
                scored="未填得分" if written is None else f"得分 {show(written)}",
            )
