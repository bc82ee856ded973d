"""WT02 一级指标声明分值与其三级指标分值之和不符.

检查：表中标注了一级指标的分值（如“产出指标（50分）”），而其下各三级指标的分值之和与之不同。
每个一级指标报告一次。

原因：标注的分值是读者（以及评分方案）所预期的；其下指标合计多了或少了，说明分值在类别之间挪
动了却未作说明（样本报告 004：产出指标标注 50 分，其下四个指标合计 40 分；效益指标标
注 30 分，实为 40 分）。

错误示例：产出指标（50分）下四个指标各 10 分（合计 40）。

正确示例：产出指标（50分）下十个指标各 5 分（合计 50）。

选项：无。标注了分值、其下却没有任何指标的一级指标，不在此报告（缺少必需的一级指标由 CP03 报
告）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule
from jixiao.model import FieldPath, Indicator
from jixiao.scoring import Scheme
from jixiao.scoring.scheme import clean_category


def category(scheme: Scheme, name: str | None) -> str | None:
    """The 一级 category a written name stands for: the scheme's name, else the name cleaned."""
    if not name:
        return None
    spec = scheme.level1_spec(name)
    return spec.name if spec is not None else clean_category(name)


def category_of(scheme: Scheme, indicator: Indicator) -> str | None:
    """An indicator's 一级 category; from its 二级 category when the 一级 cell is blank."""
    if indicator.level1:
        return category(scheme, indicator.level1)
    level2 = clean_category(indicator.level2 or "")
    return next((s.name for s in scheme.level1 if level2 and level2 in s.level2), None)


class WT02(Rule):
    code = "WT02"
    name = "weights.level1"
    title = "一级指标声明分值与其三级指标分值之和不符"
    actual_label = "三级指标分值合计"
    expected_label = "一级指标标注分值"
    absence = True  # a sum over the whole table: a row the reading lost breaks it
    severity = Severity.ERROR
    message = "{level1}标注分值 {expected}，但其下 {count} 个三级指标的分值合计为 {actual}"
    advice = "调整{level1}下各三级指标的分值，或更正表中标注的{level1}分值，使两者一致"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        scheme = context.checked.scheme
        evaluation = context.checked.evaluation
        for declared_name, declared in evaluation.level1_weights.items():
            if declared is None:
                continue
            key = category(scheme, declared_name)
            under = [i for i in evaluation.indicators if category_of(scheme, i) == key]
            if not under:
                continue
            added = sum((i.weight for i in under if i.weight is not None), Decimal(0))
            if added == declared:
                continue
            yield self.finding(
                context,
                field=f"level1_weights.{key}",
                path=FieldPath.of("level1_weights", declared_name),
                expected=declared,
                actual=added,
                level1=key,
                count=len(under),
                source=under[0].source,
            )
