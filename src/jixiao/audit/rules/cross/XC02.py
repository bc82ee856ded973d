"""XC02 同一成果在多个支出方向中重复申报.

检查：同一指标（名称相同，或一个名称是另一个再加几个字）以相同的数值型实际完成值，在同一笔资
金的两个及以上支出方向表中申报：如技术合同交易额 308.6亿 出现在四个支出方向中，新增省级以上
科技创新平台 20家 出现在三个中。每个重复的成果报告一次，列出所在的表。各支出方向各自衡量的指
标（满意度、完成时间、拨付率……）以及零值不算成果，不作比较。

原因：每个支出方向都要说明自己的资金产出了什么；把一个全市的数字计入几个支出方向，会让这笔资
金看起来成效翻了几倍，却说明不了任何一个方向的成效。

错误示例：后补助、成果转化、县域创新三张表都申报“新增省级以上科技创新平台 20家”。

正确示例：各支出方向写明各自的产出（一张表写培训人数 700人，另一张写新增省级科普基地 4家）；
企业满意度 100%、完成时间 12月 每张表都有，不算重复。

选项：`ignore_names`：名称含这些词的指标不作比较（默认 满意度、完成时间、完成时限、及时率、
拨付率、合格率、执行率）。
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.audit.rules.cross._narrative import plain
from jixiao.model import Indicator
from jixiao.values import Value, parse_value

IGNORED = ("满意度", "完成时间", "完成时限", "及时率", "拨付率", "合格率", "执行率")

Item = tuple[Checked, Indicator, str, tuple[Decimal, ...]]


def _key(value: Value) -> tuple[Decimal, ...] | None:
    """The amounts an actual claims (308.6亿 and 308.6亿元 alike), None for no outcome."""
    if not value.is_numeric or all(part.value == 0 for part in value.parts):
        return None
    return tuple(part.value.normalize() for part in value.parts)


def _label(checked: Checked) -> str:
    """表3（重点科技工作补助）: the table number and its own part of the name."""
    name, parent = checked.evaluation.name or "", checked.parent.name if checked.parent else None
    own = name[len(parent) :] if parent and name.startswith(parent) else name
    own = own.strip("（）() ")
    return f"表{checked.table.index}（{own}）" if own else f"表{checked.table.index}"


class _Alike:
    """The items with the same outcome, by name: only an item's own kind can join its group,
    found by look-ups (the names it starts with, the names that start with it), not by
    comparing every item with every later one."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items
        # outcome → name → the items so named, in order; outcome → its names, sorted
        self.named: dict[tuple[Decimal, ...], dict[str, list[int]]] = {}
        for i, (_c, _i, name, key) in enumerate(items):
            self.named.setdefault(key, {}).setdefault(name, []).append(i)
        self.sorted = {key: sorted(names) for key, names in self.named.items()}

    def group(self, first: int, used: set[int]) -> list[int]:
        """``first`` and, in order, each later item not yet used, from another table than
        ``first``, with the same outcome and a name that starts with, or starts, the name
        of an item of the group before it."""
        table = self.items[first][0]
        group = [first]
        waiting = list(self._related(first))
        heapq.heapify(waiting)
        seen: set[int] = set()
        while waiting:
            j = heapq.heappop(waiting)  # ever larger: an item only brings in later ones
            if j in seen:
                continue
            seen.add(j)
            if j in used or self.items[j][0] is table:
                continue
            group.append(j)
            for k in self._related(j):
                heapq.heappush(waiting, k)
        return group

    def _related(self, i: int) -> Iterator[int]:
        """The later items with the same outcome whose name starts with, or starts, item i's."""
        _checked, _indicator, name, key = self.items[i]
        named, ordered = self.named[key], self.sorted[key]
        names = {name[:n] for n in range(1, len(name) + 1) if name[:n] in named}
        at = bisect.bisect_left(ordered, name)
        while at < len(ordered) and ordered[at].startswith(name):
            names.add(ordered[at])
            at += 1
        for other in names:
            positions = named[other]
            yield from positions[bisect.bisect_right(positions, i) :]


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
                    name = plain(indicator.name)
                    key = _key(parse_value(indicator.actual))
                    if name and key is not None and not any(w in name for w in ignored):
                        items.append((checked, indicator, name, key))
            yield from self._groups(context, items)

    def _groups(self, context: Context, items: list[Item]) -> Iterator[Finding]:
        used: set[int] = set()
        alike = _Alike(items)
        for i, (checked, indicator, _name, _key) in enumerate(items):
            if i in used:
                continue
            group = alike.group(i, used)
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
