"""WT01 权重合计不为 100 / 与总分行不符.

What: the weights of the table do not add up. The 三级指标 weights plus the funds weight
(分值 of the funds block; the scheme's when blank) must equal the scheme's total weight
(100 in the national scheme), and the 总分 row's written weight must equal that sum.
One finding per table, naming every figure involved.

Why: the 总分 row is the table's total; a weight that is not the sum of its parts means a
row was added or dropped without updating the total, or the weights were set by hand.
A 总分 weight that leaves out the funds weight while the 总分 score counts the funds
score (seed 001: 总分 90 / 95) is the same inconsistency.

Bad: indicators 90 + funds 10 = 100, 总分 row 分值 90 (seed 001).

Good: indicators 50 + 30 + 10 = 90, funds 10, 总分 100.

Options: none (the total comes from the scoring scheme, ``scheme.total_weight``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule, show


class WT01(Rule):
    code = "WT01"
    name = "weights.total"
    title = "权重合计不为 100 / 与总分行不符"
    severity = Severity.ERROR
    message = "三级指标分值合计 {indicators} 加资金执行分值 {funds} 共 {computed}，{clash}"
    advice = "核对各指标分值，使其与资金执行分值之和等于评分方案的总分值，并在总分行如实填写"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        checked = context.checked
        weights = [i.weight for i in checked.evaluation.indicators if i.weight is not None]
        if not weights:
            return  # no weighted indicator at all: nothing to add up
        indicators = sum(weights, Decimal(0))
        funds = checked.score.funds.weight
        if funds is None:
            funds = checked.scheme.funds_weight
        computed = indicators + funds
        scheme_total = checked.scheme.total_weight
        written = checked.evaluation.total.weight
        clashes: list[str] = []
        if computed != scheme_total:
            clashes.append(f"评分方案（{checked.scheme.title}）的总分值 {show(scheme_total)}")
        if written is not None and written != computed:
            clashes.append(f"总分行填写的分值 {show(written)}")
        if not clashes:
            return
        parts_wrong = computed != scheme_total  # else only the 总分 row is wrong
        yield self.finding(
            context,
            field="weights" if parts_wrong else "total.weight",
            expected=scheme_total if parts_wrong else computed,
            actual=computed if parts_wrong else written,
            indicators=indicators,
            funds=funds,
            computed=computed,
            clash="与" + " 及".join(clashes) + (" 均不符" if len(clashes) > 1 else " 不符"),
        )
