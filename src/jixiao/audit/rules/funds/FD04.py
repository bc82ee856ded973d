"""FD04 资金来源不相加.

检查：资金栏各行相加不符。项目支出表：年度资金总额应等于当年财政拨款 + 上年结转资金 + 其他资
金，年初预算数、全年预算数、全年执行数三列分别核对；某列填了总额且至少填了一项来源时才核对，
此时空白的来源按 0 计。部门整体支出表：“按收入性质分”各项之和应等于该分组行的金额（分组行未
填金额时，应等于年度资金总额的全年预算数）；“按支出性质分”各项之和应等于该分组行的金额（分组
行填了金额时才核对）。各数按其填写精度比较。

原因：资金来源说明钱从哪里来；各项对不上，要么漏了某项来源，要么改了总额却没改明细（如漏记年
中调整）。

错误示例：年度资金总额的全年预算数 4465.5，其中当年财政拨款 4365.5，上年结转资金、其他资金空
白。

正确示例：按支出性质分 1452.61：基本支出 257.08 + 项目支出 1195.53 = 1452.61（样本报
告 001）。

选项：`tolerance`：允许的误差（万元），默认 0，即只容许按填写精度四舍五入产生的差异；
`budget_groups`：分组名含这些词、而分组行未填金额时，其各项之和应等于全年预算数（默认“收
入”）。
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.model import FieldPath, FundsRow

COLUMNS = (
    ("initial_budget", "年初预算数"),
    ("annual_budget", "全年预算数"),
    ("executed", "全年执行数"),
)
SOURCES = ("财政拨款", "结转", "其他")


def _label(text: str) -> str:
    return "".join(text.split()).removeprefix("其中").strip("：:")


def _row_path(context: Context, row: FundsRow, column: str | None = None) -> FieldPath:
    """``funds.rows[k]`` (and its column) of a row of the checked table."""
    assert context.checked is not None
    rows = context.checked.evaluation.funds.rows
    path = FieldPath.of("funds", "rows", next(k for k, r in enumerate(rows) if r is row))
    return path.child(column) if column else path


def _same(total: Decimal, parts: Sequence[Decimal], tolerance: Decimal) -> bool:
    """Equal at the coarser of the two written precisions."""
    added = sum(parts, Decimal(0))
    return agrees(total, added, tolerance) or agrees(added, total, tolerance)


class FD04(Rule):
    code = "FD04"
    name = "funds.sources"
    title = "资金来源不相加"
    severity = Severity.ERROR
    message = "{row}的{column}填写为 {actual}，而{parts} 合计为 {expected}"
    advice = "核对各资金来源（或收支分类）的金额，使其合计等于{row}"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（万元）"),
        Option("budget_groups", ("收入",), "分组名含这些词时，分组合计未填则应等于全年预算数"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        rows = context.checked.evaluation.funds.rows
        tolerance = Decimal(context.options["tolerance"])
        yield from self._sources(context, [r for r in rows if r.group is None], tolerance)
        yield from self._groups(context, rows, tolerance)

    def _sources(
        self, context: Context, rows: list[FundsRow], tolerance: Decimal
    ) -> Iterator[Finding]:
        total = next((r for r in rows if "总额" in r.label), None)
        parts = [r for r in rows if r is not total and any(w in _label(r.label) for w in SOURCES)]
        if total is None or not parts:
            return
        for column, title in COLUMNS:
            written = getattr(total, column)
            values = [(r, getattr(r, column)) for r in parts]
            if written is None or all(v is None for _, v in values):
                continue
            amounts = [v or Decimal(0) for _, v in values]
            if _same(written, amounts, tolerance):
                continue
            yield self.finding(
                context,
                field=f"funds.rows.{column}",
                path=_row_path(context, total, column),
                expected=sum(amounts, Decimal(0)),
                actual=written,
                row=_label(total.label),
                column=title,
                parts=" + ".join(
                    f"{_label(r.label)} {show(v)}" for r, v in values if v is not None
                ),
                source=total.source,
            )

    def _groups(
        self, context: Context, rows: Sequence[FundsRow], tolerance: Decimal
    ) -> Iterator[Finding]:
        assert context.checked is not None
        funds = context.checked.evaluation.funds
        groups = list(dict.fromkeys(r.group for r in rows if r.group is not None))
        for group in groups:
            items = [r for r in rows if r.group == group]
            if all(r.amount is None for r in items):
                continue
            heading = next(
                (r for r in rows if r.group is None and _label(r.label) == _label(group)), None
            )
            total = heading.amount if heading else None
            row, column, prefix = _label(group), "合计", ""
            source = heading.source if heading else items[0].source
            place = _row_path(context, heading or items[0])
            if total is None and any(w in group for w in context.options["budget_groups"]):
                total, row, column = funds.annual_budget, "年度资金总额", "全年预算数"
                prefix = f"{_label(group)}的"
                first = next((r for r in rows if r.group is None and "总额" in r.label), None)
                source = first.source if first else source
                place = FieldPath.of("funds", "annual_budget")
            if total is None:
                continue
            amounts = [r.amount or Decimal(0) for r in items]
            if _same(total, amounts, tolerance):
                continue
            yield self.finding(
                context,
                field=f"funds.groups.{_label(group)}",
                path=place,
                expected=sum(amounts, Decimal(0)),
                actual=total,
                row=row,
                column=column,
                parts=prefix
                + " + ".join(
                    f"{_label(r.label)} {show(r.amount)}" for r in items if r.amount is not None
                ),
                source=source,
            )
