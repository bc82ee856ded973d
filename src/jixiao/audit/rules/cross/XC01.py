"""XC01 支出方向资金之和与总资金不符.

检查：分为若干支出方向（每个支出方向一张自评表）的资金，各支出方向的全年预算数、全年执行数之
和应分别等于总表的数，按总表数字的填写精度比较。年初预算数只在每个支出方向都填了、且至少有一
个与其全年预算数不同时才核对：子表只是把分配额照抄为年初预算数的，说明并未记录年初的分配（差
额由总资金的年中调整解释，全年数已另行核对）。

原因：各支出方向的自评表是总资金使用情况的依据；出现在总资金里、却不在任何支出方向中（或被重
复计入）的钱，去向不明。

错误示例：总表全年预算数 4465.5，各支出方向 2166 + 516.5 + 250 + 690 + 270 + 500 = 4392.5。

正确示例：样本报告 000：2166 + 516.5 + 250 + 690 + 270 + 573 = 4465.5（年初预算数 5500，年中
调减 934.5 和 100；子表照抄各自的分配额）。

选项：`tolerance`：允许的误差（万元），默认 0，即只容许按填写精度四舍五入产生的差异；
`initial_when_copied`：各子表的年初预算数都只是照抄其全年预算数时，也核对年初预算数（默
认 否）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.model import Funds, SourceRef

FIELDS = (
    ("initial_budget", "年初预算数"),
    ("annual_budget", "全年预算数"),
    ("executed", "全年执行数"),
)


class XC01(Rule):
    code = "XC01"
    name = "cross.sub-direction-sum"
    title = "支出方向资金之和与总资金不符"
    severity = Severity.ERROR
    message = (
        "{count} 个支出方向的{label}合计 {expected} 万元（{parts}），"
        "与总表{label} {actual} 万元不符，相差 {difference} 万元"
    )
    advice = "核对总表与各支出方向自评表的{label}，使各支出方向之和等于总表金额"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（万元）"),
        Option("initial_when_copied", False, "子表年初预算数均等于其全年预算数时也核对年初预算数"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        evaluation = context.checked.evaluation
        children = [child.funds for child in evaluation.children]
        if not children:
            return
        tolerance = Decimal(str(context.options["tolerance"]))
        copied = all(f.initial_budget == f.annual_budget for f in children)
        funds = evaluation.funds
        for field, label in FIELDS:
            if field == "initial_budget" and copied and not context.options["initial_when_copied"]:
                continue
            total: Decimal | None = getattr(funds, field)
            parts: list[Decimal | None] = [getattr(f, field) for f in children]
            if total is None or any(p is None for p in parts):
                continue
            amounts = [p for p in parts if p is not None]
            computed = sum(amounts, Decimal(0))
            if agrees(total, computed, tolerance):
                continue
            yield self.finding(
                context,
                field=f"funds.{field}",
                expected=computed,
                actual=total,
                count=len(amounts),
                label=label,
                parts=" + ".join(show(a) for a in amounts),
                difference=show(total - computed),
                source=_row_source(funds),
            )


def _row_source(funds: Funds) -> SourceRef | None:
    return funds.rows[0].source if funds.rows else funds.source
