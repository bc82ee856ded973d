"""WT01 权重合计不为 100 / 与总分行不符.

检查：表内分值加总不符。三级指标分值之和加上资金执行分值（资金栏的分值；未填时取评分方案的规
定）应等于评分方案的总分值（全国通用方案为 100），总分行填写的分值也应等于这个和。每张表报告
一次，列出涉及的全部数字。

原因：总分行是全表的合计；分值不等于各部分之和，说明增删了指标行却没有更新合计，或分值是手工
凑的。总分行的分值漏算资金执行分值、总分得分却计入了执行得分（样本报告 001：总分行分值 90、
得分 95），也是同样的前后矛盾。

错误示例：指标分值 90 + 资金执行分值 10 = 100，总分行分值却填 90（样本报告 001）。

正确示例：指标分值 50 + 30 + 10 = 90，资金执行分值 10，总分 100。

选项：无（总分值取自评分方案的 `scheme.total_weight`）。
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
    absence = True  # a sum over the whole table: a row the reading lost breaks it
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
            source=checked.evaluation.total.source,
            expected=scheme_total if parts_wrong else computed,
            actual=computed if parts_wrong else written,
            indicators=indicators,
            funds=funds,
            computed=computed,
            clash="与" + " 及".join(clashes) + (" 均不符" if len(clashes) > 1 else " 不符"),
        )
