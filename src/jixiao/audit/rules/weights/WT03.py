"""WT03 权重偏离评分方案.

检查：表中某个一级指标的分值（其下三级指标分值之和）或资金执行分值与评分方案不同（全国通用方
案：资金执行 10、产出 50、效益 30、满意度 10）。表中用到而评分方案中没有的一级指标，按方案分
值 0 报告。仅作提示：各地可以自行设定分值。

原因：分值由财政部门确定；单位把分值挪向自己得分高的类别，总分就会虚高。所有表按同一评分方案
比较，分数才有可比性。

错误示例：按全国通用方案（产出 50、效益 30），表中产出指标 40、效益指标 40。

正确示例：产出指标 50、效益指标 30、满意度指标 10，资金执行 10。

选项：无（分值取自评分方案）。以下情形不在此报告：一级指标标注的分值符合方案、只是其下指标合
计与之不符（WT02 已用相同的数字报告）；评分方案有而表中缺少的一级指标（由 CP03 报告）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule, show
from jixiao.audit.rules.weights.WT02 import category, category_of
from jixiao.model import FieldPath, Indicator


class WT03(Rule):
    code = "WT03"
    name = "weights.scheme"
    title = "权重偏离评分方案"
    expected_label = "评分方案规定"
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
        written = {category(scheme, k): k for k in evaluation.level1_weights}
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
                path=FieldPath.of("level1_weights", written.get(key, key)),
                expected=expected,
                actual=added,
                what=f"{key}各三级指标分值合计",
                rule=f"规定为 {show(expected)}" if key in standard else "未设此一级指标",
                scheme=scheme.title,
                source=first[key].source,
            )
