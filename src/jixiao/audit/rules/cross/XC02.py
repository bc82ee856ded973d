"""XC02 同一成果在多个支出方向中重复申报.

What: the same indicator (same name, or one name the other plus a few characters) with
the same numeric 实际完成值 claimed in two or more sub-direction tables (支出方向) of one
fund: 技术合同交易额 308.6亿 in four sub-directions, 新增省级以上科技创新平台 20家 in three.
One finding per repeated outcome, listing the tables. Indicators every sub-direction
measures for itself (满意度, 完成时间, 拨付率…) and zero values are not outcomes and are
left out.

Why: each sub-direction must show what its own money produced; one city-wide figure
counted for several sub-directions makes the fund look several times as productive, and
says nothing about any of them.

Bad: 后补助、成果转化、县域创新 tables all claim 新增省级以上科技创新平台 20家.

Good: each sub-direction names its own output (培训人数 700人 in one, 新增省级科普基地 4家
in another); 企业满意度 100% and 完成时间 12月 in every table.

Options: ``ignore_names`` — indicators whose name contains one of these words are not
compared (default 满意度, 完成时间, 完成时限, 及时率, 拨付率, 合格率, 执行率).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.model import Indicator
from jixiao.values import Value, parse_value

IGNORED = ("满意度", "完成时间", "完成时限", "及时率", "拨付率", "合格率", "执行率")

Item = tuple[Checked, Indicator, str, tuple[Decimal, ...]]


def _key(value: Value) -> tuple[Decimal, ...] | None:
    """The amounts an actual claims (308.6亿 and 308.6亿元 alike), None for no outcome."""
    if not value.is_numeric or all(part.value == 0 for part in value.parts):
        return None
    return tuple(part.value.normalize() for part in value.parts)


def _same_indicator(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _label(checked: Checked) -> str:
    """表3（重点科技工作补助）: the table number and its own part of the name."""
    name, parent = checked.evaluation.name or "", checked.parent.name if checked.parent else None
    own = name[len(parent) :] if parent and name.startswith(parent) else name
    own = own.strip("（）() ")
    return f"表{checked.table.index}（{own}）" if own else f"表{checked.table.index}"


class XC02(Rule):
    code = "XC02"
    name = "cross.duplicate-outcome"
    title = "同一成果在多个支出方向中重复申报"
    severity = Severity.WARNING
    scope = "report"
    message = "{names}的实际完成值“{actual_text}”在 {count} 个支出方向中重复申报：{tables}"
    advice = "同一成果只计入实际产生它的支出方向，其余支出方向改用反映本方向资金产出的指标"
    options = (Option("ignore_names", IGNORED, "名称含这些字的指标不比较（各方向各自衡量的指标）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        ignored = tuple(context.options["ignore_names"])
        families: dict[int, list[Checked]] = {}
        for checked in context.tables:
            if checked.parent is not None:
                families.setdefault(id(checked.parent), []).append(checked)
        for children in families.values():
            items: list[Item] = []
            for checked in children:
                for indicator in checked.evaluation.indicators:
                    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", indicator.name or ""))
                    key = _key(parse_value(indicator.actual))
                    if name and key is not None and not any(w in name for w in ignored):
                        items.append((checked, indicator, name, key))
            yield from self._groups(context, items)

    def _groups(self, context: Context, items: list[Item]) -> Iterator[Finding]:
        used: set[int] = set()
        for i, (checked, indicator, _name, key) in enumerate(items):
            if i in used:
                continue
            group = [i]
            for j in range(i + 1, len(items)):
                other = items[j]
                if (
                    j not in used
                    and other[3] == key
                    and other[0] is not checked
                    and any(_same_indicator(items[k][2], other[2]) for k in group)
                ):
                    group.append(j)
            tables = {id(items[k][0]): items[k][0] for k in group}
            if len(tables) < 2:
                continue
            used.update(group)
            names = dict.fromkeys(items[k][2] for k in group)
            yield self.finding(
                context,
                table=checked,
                indicator=indicator,
                field="actual",
                actual=indicator.actual,
                names="/".join(f"“{n}”" for n in names),
                actual_text=indicator.actual,
                count=len(tables),
                tables="、".join(_label(c) for c in tables.values()),
            )
