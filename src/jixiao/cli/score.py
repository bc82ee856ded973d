"""``jixiao score``: each table rescored, reported and recomputed figures side by side."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.cli.score_view import print_scored
from jixiao.document import dump_json
from jixiao.loading import LoadError
from jixiao.service import Service, sample_files, score_to_data

service_paths = Service.expand


@click.command(
    "score",
    cls=Command,
    short_help=t("按评分方案复算自评表", "Rescore evaluations by a scheme"),
    help=t(
        "按评分方案复算自评表：执行率、执行得分、每个指标的得分（注明所用规则）、总分和等级，"
        "与表中填报的数字并列显示。FILE 为 YAML / JSON 自评表文档，"
        "或任何可读取的报告（txt、docx、xlsx、pdf…）。",
        "Rescore evaluations by a scheme: execution rate and score, each indicator's score "
        "(with the rule applied), total and grade, beside the reported figures. FILE is a "
        "YAML or JSON evaluation document, or any readable report (txt, docx, xlsx, pdf…).",
    ),
    **kwargs(),
)
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option(
    "--samples",
    is_flag=True,
    help=t("对内置的样例自评表评分", "Score the bundled sample evaluations"),
)
@click.option(
    "--scheme",
    metavar=t("名称|文件", "NAME|FILE"),
    help=t(
        "评分方案（覆盖文件中的 scheme；见 jixiao schemes）",
        "Scoring scheme (overrides the file's scheme; see jixiao schemes)",
    ),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help=t("输出格式", "Output format"),
)
def score_command(files: tuple[str, ...], samples: bool, scheme: str | None, fmt: str) -> int:
    paths = [str(p) for p in sample_files()] if samples else []
    paths += [str(p) for p in service_paths(files)]
    if not paths:
        raise click.UsageError(
            t(
                "请给出自评表文件，或用 --samples 对内置样例评分",
                "Give evaluation files, or --samples for the bundled ones",
            )
        )
    service = Service(scheme_override=scheme)
    if scheme:
        service.scheme()  # an unknown scheme is a usage error before any file is read
    results: list[dict[str, object]] = []
    failed = 0
    for path in paths:
        try:
            scored = service.score_file(path)
        except LoadError as error:
            failed += 1
            results.append(
                {
                    "source": path,
                    "scores": [],
                    "errors": [
                        {"message": p.message, "line": p.line, "key": list(p.path)}
                        for p in error.problems
                    ],
                }
            )
            if fmt == "human":
                for problem in error.problems:
                    click.echo(t("错误：", "Error: ") + str(problem), err=True)
            continue
        if fmt == "human":
            for one in scored:
                print_scored(one, Path(path).name)
        results.append(
            {"source": path, "scores": [score_to_data(s.score) for s in scored], "errors": []}
        )
    if fmt == "json":
        click.echo(dump_json(results))
    return 2 if failed else 0
