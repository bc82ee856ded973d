"""XC05 分项合计不符.

检查：基础数据表“经费控制情况”中，合计行是否等于其分项之和（上年决算数、本年预算数、
本年决算数三列分别核对）：三公经费 = 公务用车购置和维护经费 + 出国经费 + 公务接待；
公务用车购置和维护经费 = 公车购置 + 公车运行维护；项目支出 = 业务工作经费 + 运行维护
经费 + 市级专项资金；市级专项资金 = 其下“一个专项一行”的各专项。公用经费下只列出“其中”的
几项（办公经费、水电差旅、会议培训），只核对这几项之和不超过公用经费。资金分配表的合计
行，其项目数和金额应等于各县市区行之和。按合计数填写的精度比较。
空白（或“——”）的合计不核对；分项全部空白不核对；有分项填写时，空白分项按 0 计（该分项
本身空白而其下分项有数时，按其下分项之和计）。

原因：合计与分项不符，说明有数字填错、漏填了分项，或合计抄自别处；基础数据表是财政部门
核对“三公”经费和项目支出的依据，分项对不上，这些数字就都不可信。

错误示例：市级专项资金 2024年预算数 95，其下三个专项 15 + 20 + 50 = 85；资金分配表
合计 168 个项目，各县市区之和为 167 个。

正确示例：三公经费 2.3 = 公务用车购置和维护经费 1.38 + 出国经费 0 + 公务接待 0.92；三公
经费 2.56，只填了公务接待 2.56，公务用车和出国经费空白（按 0 计，相符）；公用经费 31.84，
其中办公经费 3.82、水电差旅 0.8、会议培训 0.24（只列出部分，之和不超过 31.84 即可）。

选项：``tolerance`` — 允许的误差（万元，默认 0：只容许按合计数填写精度的舍入）；
``partial_keys`` — 只列出部分明细（“其中”）的行，其明细之和不超过该行即可（默认为
公用经费 public_funds）；``blank_as_zero`` — 有分项填写时空白分项按 0 计（默认是；
设为否时，若有空白分项，只核对已填分项之和不超过合计）。
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees, at_precision_of
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.cross._basic import (
    COLUMNS,
    Part,
    breakdowns,
    column_label,
    part_figure,
    table_name,
)
from jixiao.model import AllocationTable, BasicData, SourceRef


class XC05(Rule):
    code = "XC05"
    name = "cross.breakdown-sum"
    title = "分项合计不符"
    severity = Severity.ERROR
    scope = "report"
    message = (
        "{form}“{label}”{column}为 {actual} {unit}，{relation} {expected} {unit}"
        "（{parts}），相差 {difference} {unit}"
    )
    advice = "核对“{label}”及其各分项，更正填错的数字或补填漏填的分项"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（万元）"),
        Option("partial_keys", ("public_funds",), "只列出部分明细的行：明细之和不超过该行即可"),
        Option("blank_as_zero", True, "有分项填写时，空白分项按 0 计"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        if context.report is None:
            return
        for data in context.report.basic_data:
            yield from self._expenses(context, data)
        for table in context.report.allocations:
            yield from self._allocation(context, table)

    def _expenses(self, context: Context, data: BasicData) -> Iterator[Finding]:
        partial = tuple(context.options["partial_keys"])
        for whole, parts in breakdowns(data.expenses):
            for field, _word, _offset in COLUMNS:
                place = Place(
                    table_name(data),
                    whole.label,
                    column_label(data, field),
                    "万元",
                    f"expenses.{field}",
                    whole.source or data.source,
                )
                total: Decimal | None = getattr(whole, field)
                shown = [part_figure(part, field, data.expenses) for part in parts]
                yield from self._compare(context, place, total, shown, whole.key in partial)

    def _allocation(self, context: Context, table: AllocationTable) -> Iterator[Finding]:
        totals = [row for row in table.rows if row.is_total]
        grand = [row for row in totals if "合计" in row.region or "总计" in row.region]
        total = grand[0] if len(grand) == 1 else totals[0] if len(totals) == 1 else None
        items = table.items
        if total is None or not items or _nested(r.region for r in items):
            return  # no single 合计 row, or rows that break down other rows
        name = table.title or "资金分配表"
        where = total.source or table.source
        yield from self._compare(
            context,
            Place(name, total.region, "行项目数", "个", "allocation.projects", where),
            _number(total.projects),
            [_cell(r.region, _number(r.projects)) for r in items],
        )
        yield from self._compare(
            context,
            Place(name, total.region, "行金额", "万元", "allocation.amount", where),
            total.amount,
            [_cell(r.region, r.amount) for r in items],
        )

    def _compare(
        self,
        context: Context,
        place: Place,
        total: Decimal | None,
        parts: Sequence[Part],
        at_most: bool = False,
    ) -> Iterator[Finding]:
        known = [v for _text, v in parts if v is not None]
        if total is None or not known:
            return
        computed = sum(known, Decimal(0))
        tolerance = Decimal(str(context.options["tolerance"]))
        complete = len(known) == len(parts) or bool(context.options["blank_as_zero"])
        if at_most or not complete:
            if at_precision_of(total, computed) <= total + tolerance:
                return
            relation = "小于其中所列分项之和" if at_most else "小于已填分项之和"
        elif agrees(total, computed, tolerance):
            return
        else:
            relation = "而各分项之和为"
        yield self.finding(
            context,
            field=place.field,
            expected=computed,
            actual=total,
            form=place.form,
            label=place.label,
            column=place.column,
            unit=place.unit,
            relation=relation,
            parts=" + ".join(text for text, _value in parts),
            difference=show(abs(total - computed)),
            source=place.source,
        )


@dataclass(frozen=True, slots=True)
class Place:
    """Where a total stands, as the message names it."""

    form: str
    label: str
    column: str
    unit: str
    field: str
    source: SourceRef | None


# Numbering of outline levels: 一、 / （一） / 1、 / （1）.
LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d+[、.．]"),
    re.compile(r"^[（(]\d+[）)]"),
)


def _nested(regions: Iterable[str]) -> bool:
    """Rows that are parts of other rows: 其中… rows, or numbering of two outline levels."""
    levels: set[int] = set()
    for region in regions:
        text = region.strip()
        if text.startswith("其中"):
            return True
        levels.update(i for i, level in enumerate(LEVELS) if level.match(text))
    return len(levels) > 1


def _number(count: int | None) -> Decimal | None:
    return Decimal(count) if count is not None else None


def _cell(label: str, value: Decimal | None) -> Part:
    return (f"{label} {show(value)}" if value is not None else f"{label}（空）"), value
