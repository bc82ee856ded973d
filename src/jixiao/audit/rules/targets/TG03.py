"""TG03 目标值低于上年实际完成值.

检查：有上年同一项目（部门整体表为同一部门）的自评表时，本年正向（越高越好）数值指标的年度
指标值低于上年的实际完成值，如上年实际完成 1104家，本年目标只定 1000家。指标按名称对应（去
掉空格、标点、序号、括号中的单位后相同，“数量”与“数”视为相同）。本年目标与上年目标相同的
由 TG04 检查（上年超额较多时），本规则不重复报告。

原因：绩效目标应当不低于上年已经达到的水平；定得比上年实际还低，不费力就能完成，说明不了资
金的效果，财政部门审核目标时会要求调高。

错误示例：上年“新增省级科技创新平台”目标 8家、实际 12家，本年目标 10家（低于上年实际 12家）。

正确示例：上年目标 8家、实际 12家，本年目标 12家或 15家；“单位培训成本”这类反向指标的上
限不在此列；上年表中没有同名指标的不检查。

选项：`directions`：检查哪些方向的指标（默认只查 正向；可加 反向：上限高于上年实际支出的也
报告）。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.targets._previous import compared, direction, pairs, target_finding
from jixiao.values import Direction, normalise

LOWER_IS_WORSE = {Direction.POSITIVE: "低于", Direction.NEGATIVE: "高于"}
SPOKEN = {"正向": Direction.POSITIVE, "反向": Direction.NEGATIVE}


class TG03(Rule):
    code = "TG03"
    name = "targets.below-last-actual"
    title = "目标值低于上年实际完成值"
    severity = Severity.WARNING
    message = (
        "“{name}”本年年度指标值“{target}”{than}{last}实际完成值“{last_actual}”"
        "（上年目标为“{last_target}”），目标值设置偏低"
    )
    advice = "将“{name}”的目标值调整到不{than}上年实际完成水平（{last_actual}），或说明调整的原因"
    options = (Option("directions", ("正向",), "检查哪些方向的指标：正向、反向"),)

    def check(self, context: Context) -> Iterator[Finding]:
        checked = context.checked
        assert checked is not None
        previous = checked.previous
        if previous is None:
            return
        chosen = {SPOKEN[d] for d in context.options["directions"] if d in SPOKEN}
        for pair in pairs(checked):
            now, last = pair
            if normalise(now.target or "") == normalise(last.target or ""):
                continue  # an unchanged target is TG04's
            way = direction(now, checked.scheme)
            numbers = compared(now.target, last.actual)
            if way not in chosen or numbers is None:
                continue
            target, actual = numbers
            below = target < actual if way is Direction.POSITIVE else target > actual
            if not below:
                continue
            yield target_finding(
                self,
                context,
                pair,
                previous,
                last_target=last.target or "（空）",
                than=LOWER_IS_WORSE[way],
            )
