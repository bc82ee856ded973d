"""XC10 基础数据表与项目自评表金额不符.

检查：基础数据表“经费控制情况”中的一行（如“市级专项资金”，或其下“一个专项一行”的某个专项）
与同一报告中该项目自己的项目支出绩效自评表金额是否一致：本年预算数对自评表的全年预算数，本年
决算数对全年执行数。基础数据表的“预算数”是年初预算还是调整后的全年预算，表上没有写明（seed
004 的业务工作经费预算数与决算数同为 774.24，更像调整后的数），所以预算数只要与全年预算数或
年初预算数之一相符即不报告，两者都不符才报告。按两处填写的精度比较（“95”与“95.00”相同）。
名称须明确对应才核对：去掉行首编号（“3、”）和括号中的填表说明（“（一个专项一行）”）后，行名
称与自评表的项目支出名称相同，或与项目支出名称末尾括号中的专项名称相同（“科技发展专项（成果
转化专项）”对“成果转化专项”），且一行只对应一张表、一张表只对应一行；两者都写了年度而年度不
同的不核对；任一处空白的不核对。

原因：基础数据表和项目自评表说的是同一笔钱，是同一个报告里的两个数字；不一致时，至少有一处
填错，读者无从知道该项目实际安排、实际花了多少，部门整体的预算执行也就算不准。

错误示例：基础数据表“市级专项资金（一个专项一行）”2024年预算数 95、决算数 95，报告附件中的
“市级专项资金”项目支出绩效自评表年初预算数、全年预算数、全年执行数都是 85。

正确示例：基础数据表“市级专项资金”预算数 85、决算数 85，自评表全年预算数 85、全年执行数 85；
基础数据表预算数 100 与自评表年初预算数 100 相同而全年预算数调为 90（预算数可能指年初预算，
不报告）；基础数据表只有“业务工作经费”，报告中的项目自评表是“科技发展专项”（名称对不上，不
核对）。

选项：`tolerance`：允许的误差（万元，默认 0：只容许按填写精度的舍入）；`min_name_length`：
名称至少多少字才拿来对应（默认 4，太短的名称如“其他”对应不明确）。
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Checked, Context, Option, Rule, show
from jixiao.audit.rules.cross._basic import column_label, table_name
from jixiao.audit.rules.cross._narrative import plain
from jixiao.model import BasicData, ExpenseLine

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])"
)
_NOTE = re.compile(r"[（(][^（()）]*[）)]$")


def _plain(text: str | None) -> str:
    return plain(text).rstrip(":：")


def row_name(label: str) -> str:
    """A 基础数据表 row's name without its numbering and its note: 3、市级专项资金（一个专项一行）
    → 市级专项资金."""
    name = _NUMBERING.sub("", _plain(label))
    return _NOTE.sub("", name)


def project_names(checked: Checked) -> set[str]:
    """The names a project table answers to: its whole name, and the fund in its brackets."""
    name = _plain(checked.evaluation.name)
    names = {name} if name else set()
    if note := _NOTE.search(name):
        names.add(note.group(0)[1:-1])
    return names


class XC10(Rule):
    code = "XC10"
    name = "cross.basic-data-vs-project"
    title = "基础数据表与项目自评表金额不符"
    actual_label = "基础数据表"
    expected_label = "项目支出自评表"
    severity = Severity.WARNING
    scope = "report"
    message = (
        "{form}“{label}”{column}为 {actual} 万元，而该项目的自评表（表{index}“{project}”）"
        "{theirs}，相差 {difference} 万元"
    )
    advice = "核对“{label}”的金额，使基础数据表与项目支出绩效自评表一致"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（万元）"),
        Option("min_name_length", 4, "名称至少多少字才拿来对应"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        if context.report is None:
            return
        projects = [c for c in context.tables if c.evaluation.kind == "project"]
        shortest = int(context.options["min_name_length"])
        for data in context.report.basic_data:
            for line, checked in _pairs(data, projects, shortest):
                yield from self._compare(context, data, line, checked)

    def _compare(
        self, context: Context, data: BasicData, line: ExpenseLine, checked: Checked
    ) -> Iterator[Finding]:
        funds = checked.evaluation.funds
        tolerance = Decimal(str(context.options["tolerance"]))
        annual = funds.annual_budget
        checks: tuple[tuple[str, Decimal | None, Sequence[tuple[str, Decimal | None]]], ...] = (
            ("budget", line.budget, (("全年预算数", annual), ("年初预算数", funds.initial_budget))),
            ("final", line.final, (("全年执行数", funds.executed),)),
        )
        for field, mine, theirs in checks:
            known = [(word, value) for word, value in theirs if value is not None]
            if mine is None or not known:
                continue
            if any(_same(mine, value, tolerance) for _, value in known):
                continue
            value = known[0][1]
            yield self.finding(
                context,
                field=f"expenses.{field}",
                expected=value,
                actual=mine,
                form=table_name(data),
                label=line.label.strip(),
                column=column_label(data, field),
                index=checked.table.index,
                project=checked.evaluation.name or "",
                theirs="、".join(f"{w}为 {show(v)} 万元" for w, v in known),
                difference=show(abs(mine - value)),
                source=line.source or data.source,
            )


def _same(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    """Equal at the precision of either figure as written."""
    return agrees(a, b, tolerance) or agrees(b, a, tolerance)


def _pairs(
    data: BasicData, projects: Sequence[Checked], shortest: int
) -> Iterator[tuple[ExpenseLine, Checked]]:
    """Rows and project tables that name each other, one to one."""
    matches: list[tuple[ExpenseLine, Checked]] = []
    for line in data.expenses:
        name = row_name(line.label)
        if len(name) < shortest:
            continue
        for checked in projects:
            year = checked.evaluation.year
            if data.year is not None and year is not None and year != data.year:
                continue
            if name in project_names(checked):
                matches.append((line, checked))
    for line, checked in matches:
        same_line = sum(1 for other, _ in matches if other is line)
        same_table = sum(1 for _, other in matches if other is checked)
        if same_line == 1 and same_table == 1:
            yield line, checked
