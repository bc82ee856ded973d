"""DV01 扣分但未说明偏差原因.

检查：指标得分低于分值，而“偏差原因分析及改进措施”为空（或只填了“无”“/”之类的占位文字）。

原因：国家规定每一处扣分都要说明原因和改进措施；扣了分却只字不提，就无从审核，而改进措施正是
下一年度预算所需要的。

错误示例：全社会研发占GDP比重投入 分值 10，得分 5，偏差原因分析为空（样本报告 004）；推动制
造强市建设 分值 10，得分 9，偏差原因分析为空（样本报告 003）。

正确示例：奖励企业 分值 10，得分 8，偏差原因分析“受疫情和经济下行压力影响，申报企业数量减少”
（样本报告 003）。

选项：`blank_words`：视为未填写的偏差说明（默认 无、/、-、—、暂无、无偏差、不适用等）。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.deviation._common import BLANK_WORDS, deducted, unexplained


class DV01(Rule):
    code = "DV01"
    name = "deviation.deducted"
    title = "扣分但未说明偏差原因"
    actual_label = "得分"
    expected_label = "分值"
    absence = True
    severity = Severity.WARNING
    message = "“{name}”得分 {actual} 低于分值 {expected}，但未填写偏差原因分析及改进措施"
    advice = "在“偏差原因分析及改进措施”中说明扣 {lost} 分的原因和下一步改进措施"
    options = (Option("blank_words", BLANK_WORDS, "视为未填写的偏差说明"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        blank_words = context.options["blank_words"]
        for scored in context.checked.score.indicators:
            indicator = scored.indicator
            if not deducted(scored) or not unexplained(indicator.deviation, blank_words):
                continue
            assert indicator.score is not None and indicator.weight is not None
            yield self.finding(
                context,
                indicator=indicator,
                field="deviation",
                expected=indicator.weight,
                actual=indicator.score,
                lost=indicator.weight - indicator.score,
            )
