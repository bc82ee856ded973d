"""WT03 权重偏离评分方案.

What: the weight a table gives a 一级 category (the sum of its 三级指标 weights), or the
funds weight, differs from the scoring scheme's (national: funds 10, 产出 50, 效益 30,
满意度 10). A category the table uses but the scheme does not know is reported with
scheme weight 0. For information: localities may set their own weights.

Why: the finance bureau sets the weights; a unit that moves weight toward the categories
it scores well in raises its total. Comparing every table with the same scheme is what
makes the scores comparable.

Bad: 产出指标 40、效益指标 40 under the national scheme (50 / 30).

Good: 产出指标 50、效益指标 30、满意度指标 10，资金 10.

Options: none (the weights come from the scheme). Not reported here: a category whose
declared weight already differs from its indicators with the same figures (WT02), and a
category the scheme has but the table lacks (CP03).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule, show
from jixiao.audit.rules.weights.WT02 import category, category_of
from jixiao.model import Indicator


class WT03(Rule):
    code = "WT03"
    name = "weights.scheme"
    title = "权重偏离评分方案"
    severity = Severity.INFO
    message = "{what}为 {actual}，评分方案（{scheme}）{rule}"
    advice = "按评分方案设置分值；本地另有规定的，请在审核设置中选用相应的评分方案"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        checked = context.checked
        scheme, evaluation = checked.scheme, checked.evaluation
        funds = evaluation.funds.weight
        if funds is not None and funds != scheme.funds_weight:
            yield self.finding(
                context,
                field="funds.weight",
                expected=scheme.funds_weight,
                actual=funds,
                what="资金执行分值",
                rule=f"规定为 {show(scheme.funds_weight)}",
                scheme=scheme.title,
                source=evaluation.funds.rows[0].source if evaluation.funds.rows else None,
            )
        declared = {category(scheme, k): v for k, v in evaluation.level1_weights.items()}
        standard = {spec.name: spec.weight for spec in scheme.level1}
        groups: dict[str, list[Decimal]] = {}
        first: dict[str, Indicator] = {}
        for indicator in evaluation.indicators:
            key = category_of(scheme, indicator)
            if key is None or indicator.weight is None:
                continue
            groups.setdefault(key, []).append(indicator.weight)
            first.setdefault(key, indicator)
        for key, weights in groups.items():
            added = sum(weights, Decimal(0))
            expected = standard.get(key, Decimal(0))
            said = declared.get(key)
            if added == expected or (said is not None and said == expected and said != added):
                continue  # as the scheme says, or WT02 already says it with these figures
            yield self.finding(
                context,
                field=f"level1_weights.{key}",
                expected=expected,
                actual=added,
                what=f"{key}各三级指标分值合计",
                rule=f"规定为 {show(expected)}" if key in standard else "未设此一级指标",
                scheme=scheme.title,
                source=first[key].source,
            )
