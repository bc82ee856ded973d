"""A first draft of the self-evaluation report, written from its tables.

The draft follows the standard outline (``outline.standard_outline``). Every sentence that
states a figure takes it from the tables or from the scheme's rescoring: 预算执行率 = 全年
执行数 ÷ 全年预算数, each 一级 subtotal, the total and grade, each indicator not met with its
deviation explanation. Problems come from the indicators not met and the audit's findings,
improvements from the deviation explanations; what only the unit can say is 【待填写】 with a
hint. Nothing depends on the clock: the same tables give the same text, and since its figures
are the tables' own, the text agrees with the tables for the cross-checks (XC03, XC04).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit import CATALOGUE, Finding, Severity
from jixiao.model import Evaluation, Report, Section
from jixiao.render._layout import funds_layout, is_breakdown, plain
from jixiao.render.markdown import render_markdown
from jixiao.render.outline import PLACEHOLDER, report_kind, report_title, standard_outline
from jixiao.scoring import EvaluationScore, IndicatorScore, clean_category

NOTE = (
    "（本报告由 jixiao 根据自评表起草：数字取自自评表，【待填写】处请单位补充，定稿前删去提示。）"
)
# What each section the unit writes itself should say.
HINTS = {
    "主要职责": "简述部门（单位）的主要职责，可摘自“三定”方案",
    "内设机构": "列出内设机构和所属单位",
    "人员情况": "填写编制数、年末实有人数及其变动原因",
    "基本支出情况": "说明基本支出的金额和构成（人员经费、公用经费）",
    "项目支出情况": "逐项说明项目支出的金额和用途",
    "政府性基金预算支出情况": "说明政府性基金预算支出的金额和用途；没有的写“无”",
    "国有资本经营预算支出情况": "说明国有资本经营预算支出的金额和用途；没有的写“无”",
    "社会保险基金预算支出情况": "说明社会保险基金预算支出的金额和用途；没有的写“无”",
    "年度整体工作开展情况": "概述本年度的重点工作及其完成情况",
    "绩效目标实现情况": "对照年度总体目标说明实际完成情况",
    "存在的问题及原因分析": "补充分析问题产生的原因",
    "下一步改进措施": "针对上述问题提出具体的改进措施",
    "绩效自评结果拟应用和公开情况": "说明自评结果如何用于预算安排和改进管理，以及公开的方式和时间",
    "其他需要说明的情况": "其他需要说明的事项；没有的写“无”",
    "项目收支基本情况": "说明项目资金的来源、预算安排和支出情况",
    "项目概况": "说明项目设立的依据、主要内容、实施范围和资金安排",
    "资金使用情况": "说明资金的分配、拨付和使用情况",
    "存在问题及改进措施": "说明存在的问题、原因和下一步改进措施",
}
_FUNDS_WORDS = {
    "基本支出情况": ("基本支出",),
    "政府性基金预算支出情况": ("政府性基金",),
    "国有资本经营预算支出情况": ("国有资本经营",),
    "社会保险基金预算支出情况": ("社会保险基金",),
}


@dataclass(frozen=True, slots=True)
class Table:
    """One self-evaluation table of the report, its rescoring, and the table it belongs to."""

    evaluation: Evaluation
    score: EvaluationScore
    parent: Evaluation | None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the draft is written from."""

    report: Report
    tables: tuple[Table, ...]
    findings: tuple[Finding, ...]

    @property
    def main(self) -> Table | None:
        return self.tables[0] if self.tables else None

    @property
    def others(self) -> tuple[Table, ...]:
        """Every table but the main one: its sub-directions and the report's other tables."""
        return self.tables[1:]


def draft_report(
    report: Report, scores: Sequence[EvaluationScore], findings: Sequence[Finding]
) -> Report:
    """``report`` with drafted sections in place of its own text (its tables kept as they
    are); ``scores`` rescore its top-level evaluations one for one, ``findings`` are the
    audit's on its tables."""
    tables: list[Table] = []
    for evaluation, score in zip(report.evaluations, scores, strict=True):
        parents = {id(c): e for e in evaluation.walk() for c in e.children}
        for table, scored in zip(evaluation.walk(), score.walk(), strict=True):
            tables.append(Table(table, scored, parents.get(id(table))))
    facts = Facts(report, tuple(tables), tuple(findings))
    sections = tuple(_filled(section, facts) for section in standard_outline(report_kind(report)))
    return dataclasses.replace(report, title=report_title(report), sections=sections)


def draft_markdown(report: Report) -> str:
    """A drafted report as Markdown: the title, the sections, then the tables as 附件."""
    lines = [f"# {report_title(report)}", "", NOTE, ""]
    for section in report.sections:
        lines += _section_markdown(section)
    attachments = render_markdown(dataclasses.replace(report, title=None))
    return "\n".join([*lines, "# 附件", "", attachments]).rstrip() + "\n"


def _section_markdown(section: Section) -> list[str]:
    number = f"（{section.number}）" if section.level > 1 else f"{section.number}、"
    lines = [f"{'#' * (section.level + 1)} {number}{section.heading}", ""]
    for line in section.text.splitlines():
        lines += [line, ""]
    for child in section.children:
        lines += _section_markdown(child)
    return lines


def _filled(section: Section, facts: Facts) -> Section:
    """The outline's section with its text written: by its writer, else left to the unit."""
    if section.children:
        children = tuple(_filled(child, facts) for child in section.children)
        return dataclasses.replace(section, children=children)
    writer = WRITERS.get(section.heading)
    lines = writer(facts) if writer else []
    return dataclasses.replace(section, text="\n".join(lines or [_to_fill(section.heading)]))


def _to_fill(heading: str) -> str:
    """The placeholder on a line of its own (Word marks it), the hint after it."""
    return f"{PLACEHOLDER}\n（提示：{HINTS[heading]}）"


def _amount(value: Decimal) -> str:
    return f"{plain(value)}万元"


# --- funds --------------------------------------------------------------------------------


def _funds_sentence(table: Table, subject: str) -> str | None:
    """年初预算数, 全年预算数, 全年执行数, 结余 and 预算执行率 (as the scheme recomputes it)."""
    funds = table.evaluation.funds
    parts = [
        f"{label}{_amount(value)}"
        for label, value in (
            ("年初预算数", funds.initial_budget),
            ("全年预算数", funds.annual_budget),
            ("全年执行数", funds.executed),
        )
        if value is not None
    ]
    if funds.annual_budget is not None and funds.executed is not None:
        parts.append(f"结余{_amount(funds.annual_budget - funds.executed)}")
    rate = table.score.funds.rate
    if rate is not None:
        parts.append(f"预算执行率为{plain(rate)}%（全年执行数 ÷ 全年预算数）")
    return f"{subject}{'，'.join(parts)}。" if parts else None


def _name(evaluation: Evaluation) -> str:
    return evaluation.name or evaluation.title or "本表"


def _subject(table: Table, year: int | None) -> str:
    """The table's name, with the year first unless the name has it."""
    name = _name(table.evaluation)
    return name if year is None or str(year) in name else f"{year}年度{name}"


def _row_sentences(table: Table) -> list[str]:
    """The funds rows under the total (当年财政拨款, 上年结转资金…) that hold a figure."""
    layout = funds_layout(table.evaluation)
    out = []
    for i, row in enumerate(layout.regular):
        if i == layout.total_index or (row.annual_budget is None and row.executed is None):
            continue
        figures = [
            f"{label}{_amount(value)}"
            for label, value in (("全年预算数", row.annual_budget), ("全年执行数", row.executed))
            if value is not None
        ]
        out.append(f"{row.label}{'，'.join(figures)}。")
    return out


def _breakdown(table: Table | None, words: tuple[str, ...]) -> list[str]:
    """The 按收入性质分 / 按支出性质分 items whose label has one of ``words``."""
    if table is None:
        return []
    return [
        f"{row.label}{_amount(row.amount)}。"
        for row in table.evaluation.funds.rows
        if is_breakdown(row) and row.amount is not None and any(w in row.label for w in words)
    ]


def _funds_overview(facts: Facts) -> list[str]:
    main = facts.main
    if main is None:
        return []
    first = _funds_sentence(main, _subject(main, main.evaluation.year or facts.report.year))
    return ([first] if first else []) + _row_sentences(main)


def _others_funds(facts: Facts) -> list[str]:
    """One sentence for each sub-direction and other table of the report."""
    sentences = (_funds_sentence(t, _name(t.evaluation)) for t in facts.others)
    return [s for s in sentences if s]


def _project_funds(facts: Facts) -> list[str]:
    return _breakdown(facts.main, ("项目支出",)) + _others_funds(facts)


def _staffing(facts: Facts) -> list[str]:
    out = []
    for data in facts.report.basic_data:
        staff = data.staffing
        if staff.authorized is None or staff.actual is None:
            continue
        text = f"编制数{staff.authorized}人，实际在职人数{staff.actual}人"
        if staff.authorized:
            rate = Decimal(staff.actual * 100) / Decimal(staff.authorized)
            text += f"，控制率{plain(rate.quantize(Decimal('0.01')))}%（在职人数 ÷ 编制数）"
        out.append(text + "。")
    return out


# --- indicators and scores ----------------------------------------------------------------


def _not_met(table: Table) -> list[IndicatorScore]:
    """Indicators whose rescored points fall short of their weight."""
    return [
        item
        for item in table.score.indicators
        if item.indicator.weight is not None and item.counted() < item.indicator.weight
    ]


def _score_sentence(table: Table, scheme_said: str | None) -> str:
    """The rescored total, its parts (预算执行, each 一级) and the grade; the scheme named
    unless it is ``scheme_said``, the one the sentence before named."""
    score = table.score
    parts = []
    if score.funds.score is not None:
        parts.append(f"预算执行{plain(score.funds.score)}分")
    subtotals: dict[str, Decimal] = {}
    for item in score.indicators:
        level1 = clean_category(item.indicator.level1 or "") or "其他指标"
        subtotals[level1] = subtotals.get(level1, Decimal(0)) + item.counted()
    parts += [f"{name}{plain(value)}分" for name, value in subtotals.items()]
    same = score.scheme_name == scheme_said
    how = "复核" if same else f"按评分方案“{score.scheme_title}”复核，"
    text = f"{how}总分为{plain(score.total)}分"
    if parts:
        text += f"（{'，'.join(parts)}）"
    reported = table.evaluation.total.score
    if reported is not None and reported != score.total:
        text += f"，自评表填写的总分为{plain(reported)}分"
    grade = score.grade
    return text + (f"，等级为“{grade}”。" if grade else "，不评定等级。")


def _indicator_lines(table: Table) -> list[str]:
    """How many indicators were met, then each one not met with its deviation explanation."""
    items = table.score.indicators
    missed = _not_met(table)
    lines = [
        f"共设三级指标{len(items)}个，完成{len(items) - len(missed)}个，未完成{len(missed)}个。"
    ]
    for item in missed:
        ind = item.indicator
        lines.append(
            f"“{ind.name or '（未填名称）'}”年度指标值为{ind.target or '（未填）'}，"
            f"实际完成值为{ind.actual or '（未填）'}，得分{plain(item.counted())}分"
            f"（分值{plain(ind.weight)}分）。偏差原因及改进措施："
            f"{ind.deviation or PLACEHOLDER + '（说明未完成的原因和改进措施）'}"
        )
    return lines


def _goals(table: Table) -> list[str]:
    goals = table.evaluation.goals
    return [
        f"{label}：{text}"
        for label, text in (("年度总体目标", goals.expected), ("实际完成情况", goals.actual))
        if text
    ]


def _performance(facts: Facts) -> list[str]:
    """The main table's goals, score and indicators, then each other table's (a department
    report states its funds here, under 部门整体支出绩效情况)."""
    department = report_kind(facts.report) == "department"
    out: list[str] = _funds_overview(facts) if department else []
    scheme: str | None = None
    for number, table in enumerate(facts.tables):
        score = _score_sentence(table, scheme)
        scheme = table.score.scheme_name
        lines = [*_goals(table), score, *_indicator_lines(table)]
        if number:
            lines[0] = f"{_name(table.evaluation)}：{lines[0]}"
        out += lines
    return out


# --- problems and improvements ------------------------------------------------------------


def _problems(facts: Facts) -> list[str]:
    """Budget not spent, indicators not met, and what the audit found in the tables."""
    out = []
    for table in facts.tables:
        funds, rate = table.evaluation.funds, table.score.funds.rate
        if rate is not None and rate < 100 and funds.annual_budget is not None:
            unspent = funds.annual_budget - (funds.executed or Decimal(0))
            out.append(
                f"{_name(table.evaluation)}预算执行率为{plain(rate)}%，"
                f"结余{_amount(unspent)}未执行。"
            )
        missed = _not_met(table)
        if missed:
            names = "、".join(f"“{item.indicator.name or '（未填名称）'}”" for item in missed)
            out.append(f"{_name(table.evaluation)}有{len(missed)}个指标未完成年度目标：{names}。")
    numbered = [f"{i}. {text}" for i, text in enumerate(out, start=1)]
    return numbered + _findings(facts.findings)


def _findings(findings: Sequence[Finding]) -> list[str]:
    """The audit's errors and warnings, one line per rule (how often, its first message)."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity is not Severity.INFO:
            grouped.setdefault(finding.code, []).append(finding)
    if not grouped:
        return []
    lines = ["审核自评表发现以下问题，请核实后修改自评表或在此说明原因（定稿前删去本段）："]
    for code, found in grouped.items():
        rule = CATALOGUE.rules.get(code)
        title = rule.title if rule is not None else code
        lines.append(f"（{code}）{title}，共{len(found)}处，如：{found[0].message}")
    return lines


def _improvements(facts: Facts) -> list[str]:
    """The deviation explanations of the indicators not met, one per indicator."""
    out = []
    for table in facts.tables:
        for item in _not_met(table):
            if item.indicator.deviation:
                out.append(f"针对“{item.indicator.name}”：{item.indicator.deviation}")
    return [f"{i}. {text}" for i, text in enumerate(out, start=1)]


Writer = Callable[[Facts], list[str]]


def _with_hint(heading: str, lines: list[str]) -> list[str]:
    """Drafted lines followed by the placeholder for what the unit adds."""
    return [*lines, _to_fill(heading)]


def _problems_and_improvements(facts: Facts) -> list[str]:
    problems = _problems(facts) or [PLACEHOLDER]
    improvements = _improvements(facts) or [PLACEHOLDER]
    return _with_hint(
        "存在问题及改进措施", ["（一）存在的问题", *problems, "（二）改进措施", *improvements]
    )


def _main_breakdown(words: tuple[str, ...]) -> Writer:
    return lambda facts: _breakdown(facts.main, words)


WRITERS: dict[str, Writer] = {
    "人员情况": _staffing,
    **{heading: _main_breakdown(words) for heading, words in _FUNDS_WORDS.items()},
    "项目支出情况": _project_funds,
    "绩效目标实现情况": _performance,
    "存在的问题及原因分析": lambda facts: _with_hint("存在的问题及原因分析", _problems(facts)),
    "下一步改进措施": lambda facts: _with_hint("下一步改进措施", _improvements(facts)),
    "项目收支基本情况": _funds_overview,
    "资金使用情况": lambda facts: _with_hint("资金使用情况", _others_funds(facts)),
    "存在问题及改进措施": _problems_and_improvements,
}
