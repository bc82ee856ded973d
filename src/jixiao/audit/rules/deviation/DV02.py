"""DV02 未完成目标且未说明原因.

检查：评分方法判定目标未完成（数值型的实际完成值未达到目标、时效指标逾期完成、定性的实际完成
值只表述为部分达成或未达成），而“偏差原因分析及改进措施”为空。得分低于分值的指标归 DV01 报告
（每个指标只报告一次）：DV02 针对的是未完成目标却得满分或未打分的指标。

原因：每个未完成的目标都要说明原因和改进措施；如果得分也没有反映出未完成，表中就没有任何地方
告诉读者目标没有完成。

错误示例：全社会研发投入强度 目标 3.20%，实际 3.04%，得分 5，偏差原因分析为空。

正确示例：同一行写明“认定通过率不高……加强企业辅导培训，提高认定通过率”（样本报告 000）。

选项：`blank_words`：视为未填写的偏差说明（同 DV01）。
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
    actual_label = "得分"
    absence = True
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
