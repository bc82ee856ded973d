"""XC01 支出方向资金之和与总资金不符.

What: for a fund split into sub-directions (支出方向, one self-evaluation table each), the
sub-directions' 全年预算数 and 全年执行数 must add up to the fund's, compared at the
precision the fund's figure is written with. 年初预算数 is checked too when every
sub-direction has one and at least one differs from its 全年预算数: sub-tables that merely
repeat their allocation as 年初预算数 did not record an initial split (the fund's mid-year
adjustment explains the gap, and the 全年 figures are already checked).

Why: the sub-direction tables are the evidence for the fund's use; money that appears in
the fund but in no sub-direction (or twice) is unexplained.

Bad: fund 全年预算数 4465.5, sub-directions 2166 + 516.5 + 250 + 690 + 270 + 500 = 4392.5.

Good: seed 000: 2166 + 516.5 + 250 + 690 + 270 + 573 = 4465.5 (年初预算数 5500 was cut by
934.5 and 100 mid-year; the sub-tables repeat their allocations).

Options: ``tolerance`` — a difference up to this many 万元 is accepted (default 0: only
rounding at the written precision); ``initial_when_copied`` — also add up 年初预算数 when
every sub-table merely repeats its 全年预算数 (default false).
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
