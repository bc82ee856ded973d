"""New evaluation documents for a unit to fill: a blank official form, last year's table,
or the table a 绩效目标申报表 (the year's declared targets) sets out.

A blank form has the funds rows of the official form, the scheme's 一级 weights and one row
for each of its 二级 indicators; last year's table keeps what is set before the year starts
(names, targets, weights, the funds rows' labels) and clears what the year brings (amounts,
actuals, scores, deviation explanations, grade, who filled it in).
"""

from __future__ import annotations

import dataclasses
import re

from jixiao.document.evaluation_file import dump_yaml, evaluation_to_data
from jixiao.model import Evaluation, Funds, FundsRow, Goals, Indicator, Kind, Total
from jixiao.scoring import Scheme

# The funds rows of the official forms (财预〔2020〕10号 附件), top to bottom.
PROJECT_ROWS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
DEPARTMENT_ROWS: tuple[tuple[str, str | None], ...] = (
    ("年度资金总额", None),
    ("按收入性质分", None),
    ("一般公共预算", "按收入性质分"),
    ("政府性基金拨款", "按收入性质分"),
    ("纳入专户管理的非税收入拨款", "按收入性质分"),
    ("其他资金", "按收入性质分"),
    ("按支出性质分", None),
    ("基本支出", "按支出性质分"),
    ("项目支出", "按支出性质分"),
)
KIND_TITLES = {"project": "项目支出绩效自评表", "department": "部门整体支出绩效自评表"}
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def blank_evaluation(kind: Kind, scheme: Scheme, year: int | None = None) -> Evaluation:
    """The official form of ``kind``, empty, with ``scheme``'s weights filled in."""
    weight = scheme.funds_weight
    if kind == "project":
        rows = tuple(
            FundsRow(label, weight=weight if i == 0 else None)
            for i, label in enumerate(PROJECT_ROWS)
        )
    else:
        rows = tuple(
            FundsRow(label, weight=weight if i == 0 else None, group=group)
            for i, (label, group) in enumerate(DEPARTMENT_ROWS)
        )
    indicators = tuple(
        Indicator(level1=spec.name, level2=level2)
        for spec in scheme.level1
        for level2 in spec.level2 or (None,)
    )
    return Evaluation(
        kind=kind,
        title=f"{f'{year}年度' if year else ''}{KIND_TITLES[kind]}",
        year=year,
        scheme=scheme.name,
        funds=Funds(weight=weight, rows=rows),
        level1_weights={spec.name: spec.weight for spec in scheme.level1},
        indicators=indicators,
        total=Total(weight=scheme.total_weight),
    )


def next_year(evaluation: Evaluation) -> Evaluation:
    """Last year's table for this year: names, targets and weights kept (the year in the
    title and name moved on by one), amounts, actuals and scores cleared."""
    year = evaluation.year + 1 if evaluation.year is not None else None
    funds = evaluation.funds
    return Evaluation(
        kind=evaluation.kind,
        title=_moved(evaluation.title, evaluation.year),
        name=_moved(evaluation.name, evaluation.year),
        department=evaluation.department,
        implementer=evaluation.implementer,
        year=year,
        scheme=evaluation.scheme,
        funds=Funds(
            weight=funds.weight,
            rows=tuple(FundsRow(r.label, weight=r.weight, group=r.group) for r in funds.rows),
        ),
        goals=Goals(expected=evaluation.goals.expected),
        level1_weights=dict(evaluation.level1_weights),
        indicators=tuple(
            dataclasses.replace(item, actual=None, score=None, deviation=None, source=None)
            for item in evaluation.indicators
        ),
        total=Total(weight=evaluation.total.weight),
        extra=dict(evaluation.extra),
        children=tuple(next_year(child) for child in evaluation.children),
    )


DECLARATION_WORDS = ("绩效目标申报表", "绩效目标表", "绩效目标申报", "目标申报表")


def is_declaration(evaluation: Evaluation) -> bool:
    """A 绩效目标申报表 / 绩效目标表 (targets set with the budget), by its title."""
    title = "".join((evaluation.title or "").split())
    return any(word in title for word in DECLARATION_WORDS)


def from_declaration(evaluation: Evaluation, scheme: Scheme) -> Evaluation:
    """The self-evaluation table of the year a 绩效目标申报表 declares: its names, funds
    (as 年初预算数 and 全年预算数), goal, indicators and targets kept, the title made the
    self-evaluation form's, the weights the declaration leaves out taken from ``scheme``
    (funds and 一级; each indicator's own weight stays for the unit to set)."""
    funds = evaluation.funds
    weight = funds.weight if funds.weight is not None else scheme.funds_weight
    rows = (
        tuple(
            FundsRow(
                r.label,
                initial_budget=r.initial_budget,
                annual_budget=r.annual_budget,
                weight=weight if i == 0 else None,
                group=r.group,
            )
            for i, r in enumerate(funds.rows)
        )
        or blank_evaluation(evaluation.kind, scheme).funds.rows
    )
    year = evaluation.year
    declared = evaluation.level1_weights or {spec.name: spec.weight for spec in scheme.level1}
    return Evaluation(
        kind=evaluation.kind,
        title=f"{f'{year}年度' if year else ''}{KIND_TITLES[evaluation.kind]}",
        name=evaluation.name,
        department=evaluation.department,
        implementer=evaluation.implementer,
        year=year,
        scheme=scheme.name,
        funds=Funds(
            initial_budget=funds.initial_budget,
            annual_budget=funds.annual_budget,
            weight=weight,
            rows=rows,
        ),
        goals=Goals(expected=evaluation.goals.expected),
        level1_weights=dict(declared),
        indicators=tuple(
            dataclasses.replace(item, actual=None, score=None, deviation=None, source=None)
            for item in evaluation.indicators
        ),
        total=Total(weight=scheme.total_weight),
    )


def _moved(text: str | None, year: int | None) -> str | None:
    """``text`` with last year (as a four-digit number) written as this year."""
    if text is None or year is None:
        return text
    return _YEAR.sub(lambda m: str(year + 1) if m.group(0) == str(year) else m.group(0), text)


def template_yaml(evaluation: Evaluation, origin: str) -> str:
    """The evaluation as a YAML document to fill, under a comment saying where it came from
    and how to fill it."""
    header = (
        f"# {origin}\n"
        "# 填写说明：金额单位为万元，执行率为百分数（99.91 即 99.91%）；null 表示未填。\n"
        "# 指标行可在 indicators 下增删（每行一个三级指标）；填好后可用 jixiao check 检查、\n"
        "# jixiao render 生成表格、jixiao draft 起草自评报告。\n"
    )
    return header + dump_yaml(evaluation_to_data(evaluation, sources=False))
