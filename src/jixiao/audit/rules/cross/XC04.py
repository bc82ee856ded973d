"""XC04 报告所述预算执行数与资金表不符.

检查：报告正文所述的年初预算、全年预算（调整后预算）、实际支出（执行数）、结余和执行率，与自评表
资金块的年初预算数、全年预算数、全年执行数、全年预算数 − 全年执行数、执行率不一致。数字须紧跟在
这些字样之后（中间只有“金额”“为”“共计”等连接词），金额以万元、亿元或元书写，执行率以 % 书写，
按各自写出的精度比较。句中点名某张自评表（项目名称，或支出方向括号内的名称）时与该表比较；
未点名时，只有在“整体支出”“收支基本情况”等标题下、句中不提其他专项或项目（部门整体表还可用
“我局”“本单位”等自称）时才与报告的主表比较。子句提到上年、调减、追加，或基本支出、财政拨款
等某一部分时，以及该数字恰与报告中另一张表的同一栏相符时，不提示。

原因：正文是对资金表的说明，审核人员以资金表为准；正文把年初预算说成全年预算、写错执行数，会误导
读者对预算执行情况的判断，也说明报告未与报表核对。

错误示例：部门整体表年初预算数 192.31、全年预算数 1452.61、全年执行数 1451.29，正文写“全年预算金额
192.31万元，全年执行金额1,451.29万元”（把年初预算数当作全年预算）。

正确示例：资金表年初预算数 5500、全年预算数 4465.5、全年执行数 4465.5，正文“2022年市科技发展专项
实际支出4465.5万元，结余结转0元”“实际全年预算为4465.5万元”。

选项：`initial_words`、`annual_words`、`executed_words`、`balance_words`、`rate_words`
标明各栏的字样；`link_words` 字样与数字之间允许的连接词；`overall_headings` 标明“整体情况”的
标题字样；`self_words` 部门自称；`other_subject_words` 表示句中另有所指（专项、项目）的字样；
`skip_words` 子句含这些词即不比较（上年、调减、基本支出…）；`tolerance` 允许的误差（万元，
默认 0）。
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees, at_precision_of
from jixiao.audit.rule import Checked, Context, Option, Rule, show
from jixiao.audit.rules.cross import _narrative as nar
from jixiao.model import Funds

FIELDS = (
    ("initial_budget", "年初预算数", "initial_words", ("年初预算",)),
    ("annual_budget", "全年预算数", "annual_words", ("全年预算", "调整后预算", "调整后的预算")),
    ("executed", "全年执行数", "executed_words", ("实际支出", "全年执行", "执行数", "实际执行")),
    ("balance", "结余", "balance_words", ("结余", "结余结转", "结转结余")),
    ("rate", "执行率", "rate_words", ("执行率", "预算执行率")),
)
LINKS = ("金额", "资金", "数", "为", "是", "达", "达到", "共", "共计", "合计", "总额", "了", "已")
OVERALL = ("整体", "收支基本情况", "收支情况", "预算执行情况")
SELF = ("我局", "本局", "我单位", "本单位", "我部门", "本部门")
OTHER = ("专项", "项目", "经费", "基金")
SKIP: tuple[str, ...] = ("上年", "去年", "同期", "调减", "调增", "调整为", "追加", "减少", "增加")
SKIP += ("划走", "其中", "基本支出", "项目支出", "人员经费", "公用经费", "三公", "财政拨款")
SKIP += ("政府性基金", "一般公共预算")
_PARENS = re.compile(r"[（(]([^（）()]+)[）)]$")
_PLACE = re.compile(r"^[^省市县区]{1,4}[省市县区]")
_YEAR = re.compile(r"\d{4}\s*年度?")


class XC04(Rule):
    code = "XC04"
    name = "cross.narrative-funds"
    title = "报告所述预算执行数与资金表不符"
    in_text = True
    actual_label = "报告文字"
    expected_label = "资金表"
    severity = Severity.WARNING
    scope = "report"
    message = "报告文字“{quote}”所述{label} {stated}，与表{index}资金块的{basis}不符"
    advice = "以资金表为准核对正文的{label}{hint}"
    options = (
        *(Option(key, words, f"标明{label}的字样") for _f, label, key, words in FIELDS),
        Option("link_words", LINKS, "字样与数字之间允许出现的连接词"),
        Option("overall_headings", OVERALL, "标题含这些字样时，其下未点名的句子说的是主表"),
        Option("self_words", SELF, "部门整体表的单位自称"),
        Option("other_subject_words", OTHER, "句中含这些字样（而未点名某张表）即视为另有所指"),
        Option("skip_words", SKIP, "子句含这些字样（上年数、调整数、某一部分）即不比较"),
        Option("tolerance", Decimal(0), "允许的误差（万元；执行率为百分点）"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        o = context.options
        tolerance = Decimal(str(o["tolerance"]))
        names = _TableNames(context.tables)
        for sentence in nar.report_sentences(context):
            checked = self._subject(sentence, names, context)
            if checked is None:
                continue
            for placed in sentence.figures:
                found = self._field(sentence, placed, o)
                if found is None:
                    continue
                field, label = found
                stated = _stated(placed, field)
                values = _table_values(checked.evaluation.funds, field)
                if (
                    stated is None
                    or not values
                    or any(_agree(stated, v, tolerance) for v in values)
                ):
                    continue
                others = (c for c in context.tables if c is not checked)
                if any(
                    _agree(stated, v, tolerance)
                    for c in others
                    for v in _table_values(c.evaluation.funds, field)
                ):
                    continue  # the figure is another table's: the sentence may mean that one
                table = values[0]
                unit = "%" if field == "rate" else " 万元"
                shown = table[0] if table[1] >= 0 else at_precision_of(Decimal("0.01"), table[0])
                yield self.finding(
                    context,
                    table=checked,
                    field=f"funds.{field}",
                    expected=shown,
                    actual=stated[0],
                    source=placed.figure.source,
                    quote=nar.quote(sentence.text, end=placed.end),
                    label=label,
                    stated=nar.compact(placed.figure.text),
                    index=checked.table.index,
                    basis=f"{table[2]} {show(shown)}{unit}",
                    hint=_hint(stated, checked.evaluation.funds, field, tolerance),
                )

    def _subject(
        self, sentence: nar.Sentence, names: _TableNames, context: Context
    ) -> Checked | None:
        """The table the sentence speaks of: the one it names, else the main one if the section
        is about the whole and the sentence names nothing else."""
        text = nar.compact(sentence.text)
        named = names.named(text)
        if named:
            specific = [c for c in named if c.parent is not None] or named
            return specific[0] if len(specific) == 1 else None
        main = names.main
        if main is None or nar.any_word(text, context.options["other_subject_words"]):
            return None
        if any(nar.any_word(h, context.options["overall_headings"]) for h in sentence.headings):
            return main
        department = main.evaluation.kind == "department"
        return main if department and nar.any_word(text, context.options["self_words"]) else None

    def _field(self, sentence: nar.Sentence, placed: nar.Placed, o: Any) -> tuple[str, str] | None:
        """The funds column named right before the figure ("全年执行金额1,451.29万元")."""
        before = sentence.text[: placed.start]
        best: tuple[int, str, str] | None = None
        for field, label, key, _words in FIELDS:
            for word in o[key]:
                for m in nar.spaced(word).finditer(before):
                    linked = nar.only_words(before[m.end() :], o["link_words"])
                    if linked and (best is None or m.start() < best[0]):
                        best = (m.start(), field, label)
        if best is None:
            return None
        clause = before[nar.clause_start(before, best[0]) :]
        return None if nar.any_word(clause, o["skip_words"]) else (best[1], best[2])


class _TableNames:
    """The report's tables by the names a sentence may give them, all looked for at once."""

    def __init__(self, tables: Sequence[Checked]) -> None:
        self.tables = tables
        self.owners: dict[str, list[int]] = {}
        for i, checked in enumerate(tables):
            for form in _forms(checked):
                self.owners.setdefault(form, []).append(i)
        self.finder = nar.Finder(self.owners)
        self.main = next((c for c in tables if c.parent is None), None)

    def named(self, text: str) -> list[Checked]:
        """The tables ``text`` names, in report order."""
        found = {i for _start, form in self.finder.find(text) for i in self.owners[form]}
        return [self.tables[i] for i in sorted(found)]


def _forms(checked: Checked) -> list[str]:
    """How a sentence may name a table: its name, without year or place, or a sub-direction's own
    part ("科技创新后补助支持")."""
    name = nar.compact(checked.evaluation.name or "")
    forms = [name]
    own = _PARENS.search(name)
    if own and checked.parent is not None:
        forms.append(own.group(1))
    else:
        bare = _YEAR.sub("", name)
        while bare:
            forms.append(bare)
            shorter = _PLACE.sub("", bare, count=1)
            if shorter == bare:
                break
            bare = shorter
    return [f for f in dict.fromkeys(forms) if len(f) >= 4]


def _stated(placed: nar.Placed, field: str) -> tuple[Decimal, Decimal] | None:
    figure = placed.figure
    if field == "rate":
        return (figure.value, nar.half_unit(figure.value)) if figure.unit == "%" else None
    return nar.in_wan(figure)


def _table_values(funds: Funds, field: str) -> list[tuple[Decimal, Decimal, str]]:
    """What the table says for `field`: (value, half-unit, how the table gives it). A rate
    computed from the table (half-unit -1: exact) comes after the written one; the text
    may follow either."""
    budget, executed = funds.annual_budget, funds.executed
    if field == "balance":
        if budget is None or executed is None:
            return []
        half = nar.half_unit(budget) + nar.half_unit(executed)
        return [
            (budget - executed, half, f"全年预算数 {show(budget)} − 全年执行数 {show(executed)} =")
        ]
    if field == "rate":
        out = [(funds.rate, nar.half_unit(funds.rate), "执行率")] if funds.rate is not None else []
        if budget and executed is not None:
            out.append((executed / budget * 100, Decimal(-1), "全年执行数 ÷ 全年预算数 ="))
        return out
    value: Decimal | None = getattr(funds, field)
    label = next(label for f, label, _k, _w in FIELDS if f == field)
    return [(value, nar.half_unit(value), label)] if value is not None else []


def _agree(
    stated: tuple[Decimal, Decimal], table: tuple[Decimal, Decimal, str], tolerance: Decimal
) -> bool:
    if table[1] < 0:  # computed from the table: the text must round to it
        return agrees(stated[0], table[0], tolerance)
    return nar.overlap(stated[0], stated[1], table[0], table[1], tolerance)


def _hint(stated: tuple[Decimal, Decimal], funds: Funds, field: str, tolerance: Decimal) -> str:
    """Name the column the figure does match, if another one does (年初预算数 for 全年预算)."""
    if field == "rate":
        return ""
    for other, label, _k, _w in FIELDS:
        values = _table_values(funds, other) if other not in (field, "rate") else []
        if any(_agree(stated, value, tolerance) for value in values):
            return f"（文中数字与资金表的{label}相同，可能混用了口径）"
    return ""
