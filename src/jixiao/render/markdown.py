"""A plain Markdown rendering of the forms: title, header, funds, goals, indicators, total.

Figures are printed as the evaluation states them (nothing is recomputed: ``jixiao score``
does that); a blank cell stays blank.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import BasicData, Evaluation, Report
from jixiao.render import _layout as lay


def _cell(text: str | Decimal | None) -> str:
    if isinstance(text, Decimal):
        return lay.plain(text)
    return (text or "").replace("|", "\\|").replace("\n", " ").strip()


def _table(heads: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _rate(value: Decimal | None) -> str:
    return f"{lay.plain(value)}%" if value is not None else ""


def evaluation_markdown(evaluation: Evaluation, level: int = 2) -> list[str]:
    ev = evaluation
    out = [f"{'#' * level} {lay.title_of(ev)}", ""]
    out.append(f"- {lay.name_label(ev)}：{_cell(ev.name)}")
    out += [f"- {label}：{_cell(value)}" for label, value in lay.header_fields(ev)]
    out.append("")
    layout = lay.funds_layout(ev)
    rows = []
    for i, row in enumerate(layout.regular):
        row = lay.total_row(ev, row) if i == layout.total_index else row
        figures = (row.initial_budget, row.annual_budget, row.executed, row.weight)
        rows.append([_cell(row.label), *map(_cell, figures), _rate(row.rate), _cell(row.score)])
    if rows:
        out += [f"**{lay.funds_label(ev)}**", ""]
        out += _table(["", *lay.FUNDS_HEADS], rows)
        out.append("")
    for bucket in layout.buckets:
        out += [f"- {_cell(lay.breakdown_text(row))}" for row in bucket.rows]
    if layout.buckets:
        out.append("")
    out += ["**年度总体目标**", ""]
    out += _table(
        ["预期目标", "实际完成情况"], [[_cell(ev.goals.expected), _cell(ev.goals.actual)]]
    )
    out.append("")
    indicators = [
        [
            _cell(lay.level1_text(ev, item.level1)),
            _cell(item.level2),
            _cell(item.name),
            _cell(item.target),
            _cell(item.actual),
            _cell(item.weight),
            _cell(item.score),
            _cell(item.deviation),
        ]
        for item in ev.indicators
    ]
    indicators.append(
        ["**总分**", "", "", "", "", _cell(ev.total.weight), _cell(ev.total.score), ""]
    )
    out += _table([*lay.INDICATOR_HEADS, lay.DEVIATION_HEAD], indicators)
    out.append("")
    if ev.grade:
        out += [f"自评等级：{_cell(ev.grade)}", ""]
    footer = [f"{label}：{_cell(value)}" for label, value in lay.footer_fields(ev) if value]
    if footer:
        out += ["　".join(footer), ""]
    for child in ev.children:
        out += evaluation_markdown(child, level + 1)
    return out


def basic_data_markdown(data: BasicData) -> list[str]:
    title = data.title or "部门整体支出绩效评价基础数据表"
    staff = data.staffing
    out = [f"## {title}", ""]
    out += _table(
        ["编制数", "实际在职人数", "控制率"],
        [
            [
                str(staff.authorized) if staff.authorized is not None else "",
                str(staff.actual) if staff.actual is not None else "",
                _rate(staff.control_rate),
            ]
        ],
    )
    out.append("")
    rows = [
        [_cell(line.label), _cell(line.prior_final), _cell(line.budget), _cell(line.final)]
        for line in data.expenses
    ]
    if rows:
        out += _table(["经费控制情况（万元）", "上年决算数", "本年预算数", "本年决算数"], rows)
        out.append("")
    if data.savings_measures:
        out += [f"厉行节约保障措施：{_cell(data.savings_measures)}", ""]
    return out


def render_markdown(report: Report) -> str:
    """The report's forms as one Markdown document."""
    lines: list[str] = []
    if report.title:
        lines += [f"# {_cell(report.title)}", ""]
    for data in report.basic_data:
        lines += basic_data_markdown(data)
    for evaluation in report.evaluations:
        lines += evaluation_markdown(evaluation)
    return "\n".join(lines).rstrip() + "\n"
