"""SC05 未完成目标却得满分.

What: an indicator scored its full weight although the method says its target was missed:
a numeric actual short of its target (正向 below, 反向 above, 复合 with a part short) or a
时效 indicator finished late. Qualitative indicators are checked by SC06, other wrong
scores by SC04 (which stays silent on the indicators reported here).

Why: full marks for a missed target is the most common way a self-evaluation flatters
itself; the national method scores a miss in proportion to what was achieved, and the
reviewer has to ask why the unit did not deduct.

Bad: 全社会研发投入强度 目标 3.20%，实际 3.04%，分值 5，得分 5 (the method gives 4.75).

Good: the same indicator scored 4.75 (or 5 × 3.04 ÷ 3.20 at the written precision, with
an explanation of the miss); 高新技术企业数 目标 1100家，实际 1104家，得分 5.

Options: ``tolerance`` — a full score is accepted when the method's score is within this
many points of the weight (default 0: any shortfall counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.scoring import Rule as Method


class SC05(Rule):
    code = "SC05"
    name = "scores.full-on-miss"
    title = "未完成目标却得满分"
    severity = Severity.WARNING
    message = "“{name}”未完成目标却得满分 {actual}（{explanation}），按评分方法应得 {should} 分"
    advice = "按实际完成程度扣分，并在偏差原因分析中说明未完成的原因和改进措施"
    options = (Option("tolerance", Decimal(0), "评分方法的得分与分值相差不超过此数时，满分可接受"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        tolerance = Decimal(str(context.options["tolerance"]))
        for scored in context.checked.score.indicators:
            indicator = scored.indicator
            low, high = scored.low, scored.high
            if indicator.score is None or indicator.weight is None or low is None or high is None:
                continue
            if scored.rule is Method.QUALITATIVE or indicator.score != indicator.weight:
                continue
            if high >= indicator.weight - tolerance:
                continue
            point = low == high
            yield self.finding(
                context,
                indicator=indicator,
                field="score",
                expected=low if point else f"{show(low)}–{show(high)}",
                actual=indicator.score,
                explanation=scored.explanation,
                should=show(low) if point else f"{show(low)}–{show(high)}",
            )
