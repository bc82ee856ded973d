"""SC06 定性指标得分与其表述的档次不符.

What: a qualitative indicator (no number to compute with) whose written score falls
outside the tier its own 实际完成值 claims. The national method has three tiers: 达成
80–100 % of the weight, 部分达成 60–80 %, 未达成 0–60 % (the scheme's ``qualitative``).
A score below the tier is not reported when a deviation explanation is written (the unit
says why it deducted); a score above the weight is SC01's.

Why: "基本完成" scored in full, or "未完成" scored 9 of 10, means the text and the score
say different things, and the higher one is usually the score.

Bad: 实际完成值 "基本完成"，分值 10，得分 10 (部分达成: 6–8 分).

Good: 实际完成值 "为推动制造强市建设提供坚实的技术支撑" (= the target, 达成)，分值 10，
得分 9 (seed 003).

Options: ``tolerance`` — a score this many points outside the tier is accepted (default 0).
The tiers come from the scheme; the words that decide a tier from the value reader.
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
