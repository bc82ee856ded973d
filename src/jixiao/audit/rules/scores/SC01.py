"""SC01 得分高于分值.

检查：填写的得分高于分值：三级指标的得分高于其分值；资金栏的执行得分高于其分值（仅在执行得分
无法复算时报告，能复算时由 FD02 给出正确的执行得分）；或总分行的得分高于总分行的分值。

原因：任何评分方法都不会给出高于分值的得分；得分超过分值，不是笔误就是自行加分，会抬高总分和
等级。

错误示例：新增省级以上科技创新平台 分值 5，得分 6；或在执行得分空白且无法复算（因而无法核对
加总）的表中，总分行分值 100、得分 105。

正确示例：分值 5，得分 5；总分 100，得分 97。

选项：无。同一问题只报告一次：总分行超出分值，如果已能由以下原因解释，就不再报告：上方的指标
或资金栏得分高于分值（由本规则报告）；总分行分值不等于各项分值之和（WT01，如样本报
告 001 在 100 分制的表中总分行填 90）；总分加总不符（SC02）。
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
    expected_label = "分值"
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
