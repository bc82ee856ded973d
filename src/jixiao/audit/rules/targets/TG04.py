"""TG04 上年远超目标而本年目标未提高.

检查：有上年同一项目（部门整体表为同一部门）的自评表时，本年正向数值指标的年度指标值与上年
相同，而上年实际完成值达到上年目标的一定比例（默认 120%）以上，如上年目标 100家、实际 451
家，本年仍定 100家。指标按名称对应，与 TG03 相同。

原因：上年已经大幅超额完成，说明原目标定得偏低；本年照抄上年目标，会再次“轻松超额”，目标起
不到引导作用。财政部门要求参照上年实际完成情况调整目标。

错误示例：“省创新创业大赛参赛企业”上年目标 100家、实际 451家（451%），本年目标仍为 100家。

正确示例：上年目标 1100家、实际 1104家（100.4%），本年目标仍为 1100家；上年远超、本年已提高
到 450家（本年目标低于上年实际的由 TG03 报告）。

选项：`threshold`：上年实际 ÷ 上年目标达到此倍数即视为远超（默认 1.2）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.targets._previous import compared, direction, pairs, percent, target_finding
from jixiao.values import Direction, normalise


class TG04(Rule):
    code = "TG04"
    name = "targets.unchanged-after-exceeded"
    title = "上年远超目标而本年目标未提高"
    severity = Severity.WARNING
    message = (
        "“{name}”本年年度指标值“{target}”与{last}目标相同，而上年实际完成“{last_actual}”，"
        "为上年目标的 {percent}%（达到 {threshold}% 即视为远超），目标未随实际完成情况提高"
    )
    advice = "参照上年实际完成情况（{last_actual}）提高“{name}”的目标值"
    options = (Option("threshold", Decimal("1.2"), "上年实际 ÷ 上年目标达到该倍数即视为远超"),)

    def check(self, context: Context) -> Iterator[Finding]:
        checked = context.checked
        assert checked is not None
        previous = checked.previous
        if previous is None:
            return
        threshold = Decimal(str(context.options["threshold"]))
        for pair in pairs(checked):
            now, last = pair
            if direction(now, checked.scheme) is not Direction.POSITIVE:
                continue
            same = compared(now.target, last.target)
            unchanged = normalise(now.target or "") == normalise(last.target or "")
            if not unchanged and (same is None or same[0] != same[1]):
                continue
            numbers = compared(last.target, last.actual)
            if numbers is None or numbers[0] <= 0 or numbers[1] < numbers[0] * threshold:
                continue
            yield target_finding(
                self,
                context,
                pair,
                previous,
                percent=show(percent(numbers[1], numbers[0])),
                threshold=show(threshold * 100),
            )
