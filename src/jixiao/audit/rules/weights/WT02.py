"""WT02 一级指标声明分值与其三级指标分值之和不符.

What: a 一级指标 declares its weight in the table ("产出指标 (50分)") and the weights of
the 三级指标 under it add up to something else. One finding per 一级指标.

Why: the declared weight is what the reader (and the scheme) expects; when the
indicators under it weigh more or less, weight was moved between categories without
saying so (seed 004: 产出 declares 50 but its four indicators weigh 40, 效益 declares 30
but weighs 40).

Bad: 产出指标 (50分) with four indicators of 10 each (40).

Good: 产出指标 (50分) with ten indicators of 5 each (50).

Options: none. A declared category with no indicator under it is not reported here
(CP03 reports a required category that is missing).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule
from jixiao.model import Indicator
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
    severity = Severity.ERROR
    message = "{level1}声明分值 {expected}，但其下 {count} 个三级指标的分值合计为 {actual}"
    advice = "调整{level1}下各三级指标的分值，或更正表中声明的{level1}分值，使两者一致"

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
                expected=declared,
                actual=added,
                level1=key,
                count=len(under),
                source=under[0].source,
            )
