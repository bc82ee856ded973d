"""FD05 执行数超过预算数.

检查：全年执行数大于全年预算数，不论是年度资金总额行，还是资金栏中同时填有这两个数的其他行
（当年财政拨款、上年结转资金、其他资金等）。

原因：超出调整后预算的支出就是无预算支出，为预算法所禁止；更常见的情况是年中追加后没有更新全
年预算数，或把两列填反了。无论哪种情况，执行率超过 100% 都需要说明。

错误示例：全年预算数 80，全年执行数 90（执行率 112.5%）。

正确示例：全年预算数 1452.61，全年执行数 1451.29。

选项：`tolerance`：允许超出的金额（万元），默认 0。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import at_precision_of
from jixiao.audit.rule import Context, Option, Rule
from jixiao.model import SourceRef


class FD05(Rule):
    code = "FD05"
    name = "funds.overspent"
    title = "执行数超过预算数"
    actual_label = "全年执行数"
    expected_label = "全年预算数"
    severity = Severity.WARNING
    message = "{row}的全年执行数 {actual} 超过全年预算数 {expected}（执行率 {rate}%）"
    advice = "核对全年预算数是否已按年中调整更新；确属超预算支出的，说明原因及依据"
    options = (Option("tolerance", Decimal(0), "允许超出的金额（万元）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        figures: list[tuple[str, Decimal | None, Decimal | None, SourceRef | None]] = [
            ("".join(row.label.split()), row.annual_budget, row.executed, row.source)
            for row in funds.rows
        ]
        if not any(label and "总额" in label for label, *_ in figures):
            figures.insert(0, ("年度资金总额", funds.annual_budget, funds.executed, funds.source))
        tolerance = Decimal(context.options["tolerance"])
        for label, budget, executed, source in figures:
            if budget is None or executed is None or executed - budget <= tolerance:
                continue
            rate = executed / budget * 100 if budget > 0 else None
            yield self.finding(
                context,
                field="funds.executed",
                expected=budget,
                actual=executed,
                row=label,
                rate=at_precision_of(Decimal("0.01"), rate) if rate is not None else "—",
                source=source,
            )
