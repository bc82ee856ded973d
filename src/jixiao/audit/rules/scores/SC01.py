"""SC01 得分高于分值.

What: a score written above its weight: an indicator's 得分 above its 分值, the funds
block's 执行得分 above its 分值 (when the execution score cannot be recomputed; otherwise
FD02 already gives the right figure), or the 总分 row's score above the 总分 weight.

Why: no method ever gives more than the weight; a score above it is a typing slip or a
self-awarded bonus, and it inflates the total and the grade.

Bad: 新增省级以上科技创新平台 分值 5，得分 6; or 总分 分值 100，得分 105 in a table whose
execution score is blank and cannot be recomputed (so the sum cannot be checked).

Good: 分值 5，得分 5; 总分 100，得分 97.

Options: none. Each fault is reported once: the 总分 row only when its excess is not
already explained by an indicator or the funds block above its weight (reported here), by
a 总分 weight that is not the sum of the weights (WT01, e.g. seed 001's 总分 90 of a
100-point table), or by a total that does not add up (SC02).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Rule
from jixiao.audit.rules.scores._common import table_sum


class SC01(Rule):
    code = "SC01"
    name = "scores.above-weight"
    title = "得分高于分值"
    severity = Severity.ERROR
    message = "{item}得分 {actual} 高于其分值 {expected}"
    advice = "得分不能超过分值：核对{item}的得分与分值，按评分方法重新打分"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        checked = context.checked
        evaluation = checked.evaluation
        above = False
        for indicator in evaluation.indicators:
            if indicator.score is None or indicator.weight is None:
                continue
            if indicator.score > indicator.weight:
                above = True
                yield self.finding(
                    context,
                    indicator=indicator,
                    field="score",
                    expected=indicator.weight,
                    actual=indicator.score,
                    item=f"指标“{indicator.name or '（未命名指标）'}”",
                )
        funds = evaluation.funds
        funds_weight = funds.weight if funds.weight is not None else checked.scheme.funds_weight
        if funds.score is not None and funds.score > funds_weight:
            above = True
            if checked.score.funds.score is None:  # else FD02 gives the right execution score
                yield self.finding(
                    context,
                    field="funds.score",
                    expected=funds_weight,
                    actual=funds.score,
                    item="资金执行",
                    source=funds.rows[0].source if funds.rows else funds.source,
                )
        total = evaluation.total
        if above or total.score is None or total.weight is None or total.score <= total.weight:
            return
        summed = table_sum(checked)
        if summed is not None and not agrees(total.score, summed.total):
            return  # the total does not add up: SC02 reports it with the right sum
        weights = sum((i.weight for i in evaluation.indicators if i.weight is not None), Decimal(0))
        if total.weight != funds_weight + weights:
            return  # the 总分 weight is not the sum of the weights: WT01 reports it
        yield self.finding(
            context,
            field="total.score",
            expected=total.weight,
            actual=total.score,
            item="总分行",
        )
