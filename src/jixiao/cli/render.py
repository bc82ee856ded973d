"""``jixiao render``: an evaluation or a report written as the official forms."""

from __future__ import annotations

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.service import Service
from jixiao.service.render import STDOUT, available_formats, render_file


@click.command(
    "render",
    cls=Command,
    short_help=t("生成自评表（Excel 公式表等）", "Write the official forms (Excel with formulas…)"),
    help=t(
        "把自评表写成官方表样。FILE 为 YAML / JSON 自评表文档，或任何可读取的报告"
        "（txt、docx、xlsx、pdf…）。xlsx：每张自评表（含支出方向子表）和基础数据表各占一个"
        "工作表，执行率、执行得分、一级指标小计、总分和等级为公式，按评分方案计算；"
        "md：简单的 Markdown。默认输出到输入文件旁，扩展名随格式；-o - 把 md 输出到屏幕。"
        "已有的输出文件整体替换。",
        "Write evaluations as the official forms. FILE is a YAML or JSON evaluation document, "
        "or any readable report (txt, docx, xlsx, pdf…). xlsx: one sheet per table (each "
        "sub-direction too) and per basic-data table, with execution rate and score, 一级 "
        "subtotals, total and grade as formulas following the scoring scheme; md: plain "
        "Markdown. Output goes beside the input with the format's suffix by default; "
        "-o - prints md. An existing output file is replaced whole.",
    ),
    **kwargs(),
)
@click.argument("file", metavar="FILE")
@click.option(
    "--to",
    "fmt",
    type=click.Choice(available_formats()),
    required=True,
    help=t("输出格式", "Output format"),
)
@click.option(
    "-o",
    "--output",
    metavar=t("文件", "FILE"),
    help=t("输出文件（md 可用 - 表示屏幕）", "Output file (- for md on standard output)"),
)
@click.option(
    "--scheme",
    metavar=t("名称|文件", "NAME|FILE"),
    help=t("评分方案（覆盖文件中的 scheme）", "Scoring scheme (overrides the file's scheme)"),
)
def render_command(file: str, fmt: str, output: str | None, scheme: str | None) -> int:
    service = Service(scheme_override=scheme)
    if scheme:
        service.scheme()  # an unknown scheme is an error before anything is written
    target, text = render_file(service, file, fmt, output)
    if target == STDOUT and text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(t(f"已写入 {target}", f"Written: {target}"), err=True)
    return 0
