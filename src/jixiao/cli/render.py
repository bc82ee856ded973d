"""``jixiao render``: an evaluation or a report written as the official forms."""

from __future__ import annotations

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.service import Service
from jixiao.service.render import STDOUT, available_formats, render_file, write_report_charts


@click.command(
    "render",
    cls=Command,
    short_help=t("生成自评表（Excel 公式表等）", "Write the official forms (Excel with formulas…)"),
    help=t(
        "把自评表写成官方表样。FILE 为 YAML / JSON 自评表文档，或任何可读取的报告"
        "（txt、docx、xlsx、pdf…）。xlsx：每张自评表（含支出方向子表）和基础数据表各占一个"
        "工作表，执行率、执行得分、一级指标小计、总分和等级为公式，按评分方案计算；"
        "docx：整份自评报告（封面、正文各部分、表格、图表）；pdf：由 docx 经 LibreOffice 转换；"
        "md：简单的 Markdown。默认输出到输入文件旁，扩展名随格式；-o - 把 md 输出到屏幕。"
        "已有的输出文件整体替换。--charts 目录 另把各表的指标完成情况图和预算执行率图写成 PNG。",
        "Write evaluations as the official forms. FILE is a YAML or JSON evaluation document, "
        "or any readable report (txt, docx, xlsx, pdf…). xlsx: one sheet per table (each "
        "sub-direction too) and per basic-data table, with execution rate and score, 一级 "
        "subtotals, total and grade as formulas following the scoring scheme; docx: the whole "
        "report (title page, sections, tables, charts); pdf: the docx through LibreOffice; "
        "md: plain Markdown. Output goes beside the input with the format's suffix by "
        "default; -o - prints md. An existing output file is replaced whole. --charts DIR "
        "also writes each table's completion and execution-rate charts as PNG.",
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
@click.option(
    "--charts",
    "charts_dir",
    metavar=t("目录", "DIR"),
    help=t("另把图表写成 PNG 放到此目录", "Also write the charts as PNG files into DIR"),
)
def render_command(
    file: str, fmt: str, output: str | None, scheme: str | None, charts_dir: str | None
) -> int:
    service = Service(scheme_override=scheme)
    if scheme:
        service.scheme()  # an unknown scheme is an error before anything is written
    target, text = render_file(service, file, fmt, output)
    if charts_dir:
        pictures = write_report_charts(service, file, charts_dir)
        click.echo(
            t(
                f"图表 {len(pictures)} 张已写入 {charts_dir}",
                f"Charts: {len(pictures)} in {charts_dir}",
            ),
            err=True,
        )
    if target == STDOUT and text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(t(f"已写入 {target}", f"Written: {target}"), err=True)
    return 0
