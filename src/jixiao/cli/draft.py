"""``jixiao new`` and ``jixiao draft``: a table to fill, and a report drafted from a table."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.document.template import (
    blank_evaluation,
    from_declaration,
    is_declaration,
    next_year,
    template_yaml,
)
from jixiao.loading import LoadError
from jixiao.model import Evaluation
from jixiao.service import Service
from jixiao.service.draft import draft_file, draft_output, write_draft
from jixiao.service.render import STDOUT, write_atomically


@click.command(
    "new",
    cls=Command,
    short_help=t("新建自评表文档（空白表或沿用上年）", "Start an evaluation document"),
    help=t(
        "新建一份待填写的自评表 YAML 文档。不给 --from 时为空白官方表样（--kind 项目支出或"
        "部门整体支出），资金分值、一级指标分值按评分方案填好，每个二级指标留一行；"
        "--from 上年的自评表文档或任何可读取的报告时，沿用其名称、指标、年度指标值和分值，"
        "清空金额、实际完成值、得分和偏差说明，年度加一；--from 绩效目标申报表（绩效目标表）时，"
        "按其名称、资金、总体目标、指标和指标值新建同一年度的自评表。指标行可在文档中增删。"
        "默认输出到屏幕，-o 写入文件。",
        "Start an evaluation document (YAML) to fill. Without --from: the blank official "
        "form (--kind project or department) with the scheme's funds and 一级 weights and "
        "one row per 二级 indicator; --from last year's evaluation document or any readable "
        "report: its names, indicators, targets and weights kept, amounts, actuals, scores "
        "and deviation explanations cleared, the year moved on by one; --from a 绩效目标申报表: "
        "the same year's table with its names, funds, goal, indicators and targets. Indicator "
        "rows may be added or removed in the file. Printed unless -o names a file.",
    ),
    **kwargs(),
)
@click.option(
    "--kind",
    type=click.Choice(["project", "department"]),
    default="project",
    show_default=True,
    help=t("空白表的类型：项目支出或部门整体支出", "Blank form: project or department"),
)
@click.option(
    "--scheme",
    metavar=t("名称|文件", "NAME|FILE"),
    help=t(
        "空白表按此评分方案填写分值（默认全国通用；见 jixiao schemes）",
        "Scoring scheme whose weights a blank form gets (default national; see jixiao schemes)",
    ),
)
@click.option("--year", type=int, help=t("空白表的年度", "Year of a blank form"))
@click.option(
    "--from",
    "source",
    metavar=t("文件", "FILE"),
    help=t("沿用此自评表（上年）", "Carry over this (last year's) table"),
)
@click.option(
    "--table",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=t("--from 的文件有多张自评表时取第几张", "Which table of a --from file with several"),
)
@click.option("-o", "--output", metavar=t("文件", "FILE"), help=t("输出文件", "Output file"))
def new_command(
    kind: str,
    scheme: str | None,
    year: int | None,
    source: str | None,
    table: int,
    output: str | None,
) -> int:
    if source:
        service = Service(scheme_override=scheme)
        found = _chosen(service.evaluations_in(source), source, table)
        if is_declaration(found):
            evaluation = from_declaration(found, service.scheme())
            origin = f"jixiao new：按 {Path(source).name} 的绩效目标申报表新建，请填写实际完成情况"
        else:
            evaluation = next_year(found)
            origin = f"jixiao new：沿用 {Path(source).name} 的第 {table} 张自评表，请填写本年度数字"
    else:
        chosen = Service(scheme_override=scheme).scheme()
        evaluation = blank_evaluation(
            "department" if kind == "department" else "project", chosen, year
        )
        origin = f"jixiao new：空白{evaluation.title}（评分方案 {chosen.name}）"
    text = template_yaml(evaluation, origin)
    if not output or output == STDOUT:
        click.echo(text, nl=False)
        return 0
    write_atomically(Path(output), lambda p: p.write_text(text, encoding="utf-8"))
    click.echo(t(f"已写入 {output}", f"Written: {output}"), err=True)
    return 0


def _chosen(evaluations: list[Evaluation], source: str, table: int) -> Evaluation:
    if not evaluations:
        raise LoadError.single(source, "文件中没有找到绩效自评表")
    if table > len(evaluations):
        raise LoadError.single(source, f"文件中只有 {len(evaluations)} 张自评表，没有第 {table} 张")
    if len(evaluations) > 1 and table == 1:
        click.echo(
            t(
                f"{source} 中有 {len(evaluations)} 张自评表，已取第 1 张（用 --table 选择）",
                f"{source} holds {len(evaluations)} tables; took the first (see --table)",
            ),
            err=True,
        )
    return evaluations[table - 1]


@click.command(
    "draft",
    cls=Command,
    short_help=t("按自评表起草自评报告", "Draft the report from its tables"),
    help=t(
        "按自评表起草绩效自评报告（标准提纲）：预算执行率、得分和等级、每个未完成的指标及其"
        "偏差说明、审核发现的问题和改进措施都由表中数字写成，需要单位自己撰写的部分标为"
        "【待填写】并附提示；自评表作为附件。FILE 为 YAML / JSON 自评表文档或任何可读取的报告"
        "（原有正文不用）。同一张表总是得到同样的文字。默认写成输入文件旁的“…-报告.docx”；"
        "-o 以 .docx 或 .md 结尾。",
        "Draft the self-evaluation report (standard outline) from its tables: execution "
        "rate, score and grade, each indicator not met with its deviation explanation, the "
        "problems found and the improvements are written from the figures; what the unit "
        "must write is marked 【待填写】 with a hint; the tables follow as attachments. FILE "
        "is an evaluation document or any readable report (its own text is not used). The "
        "same table always gives the same text. Written beside the input as …-报告.docx by "
        "default; -o ends in .docx or .md.",
    ),
    **kwargs(),
)
@click.argument("file", metavar="FILE")
@click.option(
    "-o", "--output", metavar=t("文件", "FILE"), help=t("输出文件（.docx 或 .md）", "Output file")
)
@click.option(
    "--scheme",
    metavar=t("名称|文件", "NAME|FILE"),
    help=t("评分方案（覆盖文件中的 scheme）", "Scoring scheme (overrides the file's scheme)"),
)
def draft_command(file: str, output: str | None, scheme: str | None) -> int:
    service = Service(scheme_override=scheme)
    if scheme:
        service.scheme()  # an unknown scheme is an error before anything is read
    target = draft_output(file, output)
    write_draft(draft_file(service, file), target)
    click.echo(t(f"已写入 {target}", f"Written: {target}"), err=True)
    return 0
