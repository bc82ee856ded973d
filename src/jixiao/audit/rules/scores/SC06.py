"""SC06 定性指标得分与其表述的档次不符.

检查：定性指标（没有可计算的数值）填写的得分，落在其实际完成值所表述档次的分数范围之外。全国
通用的评分方法分三档：达成，得分值的 80%–100%；部分达成，60%–80%；未达成，0–60%（评分方案
的 `qualitative`）。得分低于档次范围、但填写了偏差说明的（单位说明了扣分原因），不报告；得分
高于分值的由 SC01 报告。

原因：“基本完成”给满分，或“未完成”在 10 分中得 9 分，说明文字和分数各说各话，通常是分数偏
高。

错误示例：实际完成值“基本完成”，分值 10，得分 10（属部分达成，应得 6–8 分）。

正确示例：实际完成值“为推动制造强市建设提供坚实的技术支撑”（与目标相同，属达成），分值 10，
得分 9（样本报告 003）。

选项：`tolerance`：允许超出档次范围的分数，默认 0。各档的比例取自评分方案；判定档次所依据的
词语由指标值解析规则确定。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.scores._common import within
from jixiao.scoring import Rule as Method

NO_TEXT = ("", "无", "/", "-", "—", "——")


class SC06(Rule):
    code = "SC06"
    name = "scores.qualitative-tier"
    title = "定性指标得分与其表述的档次不符"
    severity = Severity.ERROR
    message = (
        "“{name}”{why}，属“{tier}”档（分值的 {share}），应得 {low}–{high} 分，得分却填写为 {actual}"
    )
    advice = "按实际完成情况所属档次打分，或如实修改实际完成值的表述"
    options = (Option("tolerance", Decimal(0), "允许超出档次范围的分数"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        tolerance = Decimal(str(context.options["tolerance"]))
        shares = context.checked.scheme.qualitative
        for scored in context.checked.score.indicators:
            indicator, tier = scored.indicator, scored.tier
            written, low, high = indicator.score, scored.low, scored.high
            if scored.rule is not Method.QUALITATIVE or tier is None:
                continue
            if written is None or indicator.weight is None or low is None or high is None:
                continue
            if written > indicator.weight or within(written, low, high, tolerance):
                continue  # above the weight: SC01
            if written < low and (indicator.deviation or "").strip() not in NO_TEXT:
                continue  # a deduction the unit explains
            share_low, share_high = shares[tier]
            why = scored.args[0] if scored.args and isinstance(scored.args[0], str) else ""
            yield self.finding(
                context,
                indicator=indicator,
                field="score",
                expected=f"{show(low)}–{show(high)}",
                actual=written,
                why=why,
                tier=tier.label,
                share=f"{show(share_low * 100)}–{show(share_high * 100)}%",
                low=low,
                high=high,
            )
