"""SC05 未完成目标却得满分.

检查：评分方法判定目标未完成，指标却得了满分：数值型的实际完成值未达到目标（正向指标低于目
标、反向指标高于目标、复合指标有一项未达到），或时效指标逾期完成。定性指标由 SC06 检查，其他
得分错误由 SC04 检查（SC04 对本规则报告的指标不再重复报告）。

原因：未完成目标却给满分，是自评“美化”最常见的做法；全国通用的评分方法对未完成的目标按完成比
例计分，审核人员需要追问单位为何没有扣分。

错误示例：全社会研发投入强度 目标 3.20%，实际 3.04%，分值 5，得分 5（按评分方法为 4.75）。

正确示例：同一指标得分 4.75（或按填写精度写出 5 × 3.04 ÷ 3.20 的结果，并说明未完成的原因）；
高新技术企业数 目标 1100家，实际 1104家，得分 5。

选项：`tolerance`：评分方法的得分与分值相差不超过此数（分）时，满分可以接受（默认 0：有差距
即报告）。
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
