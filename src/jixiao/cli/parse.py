"""``jixiao parse``: read reports in any format into evaluations, tables and narrative."""

from __future__ import annotations

from typing import Any

import click

from jixiao.cli.check import JOBS_HELP, PROGRESS_HELP
from jixiao.cli.i18n import Command, kwargs, t
from jixiao.document import dump_json, dump_yaml
from jixiao.service import Service, parsed_to_data
from jixiao.service.batch import progress_bar


@click.command(
    "parse",
    cls=Command,
    short_help=t("读取报告中的自评表、基础数据表和正文", "Read reports into the model"),
    help=t(
        "读取自评报告（txt、docx、doc、xlsx、xls、pdf、html），找出其中的绩效自评表、基础数据表、"
        "资金分配表和正文，每个数值都注明来源位置。FILE 可以是目录。",
        "Read self-evaluation reports (txt, docx, doc, xlsx, xls, pdf, html) into evaluations, "
        "basic-data and allocation tables and the narrative, every value with its source. "
        "FILE may be a directory.",
    ),
    **kwargs(),
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json", "yaml"]),
    default="human",
    show_default=True,
    help=t("输出格式", "Output format"),
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N", help=JOBS_HELP)
@click.option("--progress/--no-progress", default=None, help=PROGRESS_HELP)
def parse_command(files: tuple[str, ...], fmt: str, jobs: int | None, progress: bool | None) -> int:
    service = Service()
    paths = service.expand(files)
    if not paths:
        raise click.UsageError(t("目录中没有可读取的文件", "No readable files in the directories"))
    results = []
    failed = 0
    with progress_bar(len(paths), t("读取", "Reading"), show=progress) as tick:
        parsed_files = service.parse_many(paths, jobs=jobs, tick=tick)
    for parsed in parsed_files:
        failed += bool(parsed.errors)
        data = parsed_to_data(parsed)
        if fmt == "human":
            _human(data)
            for message in parsed.messages():
                click.echo(t("   错误：", "   Error: ") + message, err=True)
        else:
            results.append(data)
    if fmt == "json":
        click.echo(dump_json(results))
    elif fmt == "yaml":
        click.echo(dump_yaml(results))
    if failed == len(paths):
        return 2
    return 1 if failed else 0


KINDS = {"basic_data": "基础数据表", "allocation": "资金分配表"}


def _human(data: dict[str, Any]) -> None:
    click.echo(f"== {data['source']}")
    narrative = data.get("narrative") or {}
    if narrative.get("title"):
        meta = [narrative["title"], narrative.get("unit") or "", narrative.get("date") or ""]
        click.echo("   " + "  ".join(meta))
    for evaluation in data["evaluations"]:
        kind = "项目支出" if evaluation["kind"] == "project" else "部门整体支出"
        name = evaluation["name"] or "（未填名称）"
        where = _where(evaluation.get("source"))
        confidence = evaluation.get("confidence")
        sure = f"，识别可信度 {confidence}" if confidence is not None and confidence < 1 else ""
        count = len(evaluation["indicators"])
        click.echo(f"   自评表（{kind}）：{name}，{count} 个指标{sure}（{where}）")
    for table in data["tables"]:
        click.echo(f"   {KINDS.get(table['kind'], '其他表格')}：{table.get('title') or ''}")
    for note in data["notes"]:
        click.echo(f"   说明：{note['message']}（{_where(note['source'])}）")


def _where(source: Any) -> str:
    if not isinstance(source, dict):
        return "-"
    labels = {"page": "第{}页", "sheet": "{}", "table": "表{}", "row": "行{}", "line": "第{}行"}
    parts = [source.get("file") or "-"]
    parts += [fmt.format(source[k]) for k, fmt in labels.items() if source.get(k) is not None]
    return ":".join(parts)
