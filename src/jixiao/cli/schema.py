"""``jixiao schema`` and ``jixiao schemes``: the file format and the scoring schemes."""

from __future__ import annotations

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.document import dump_json
from jixiao.service import Service


@click.command(
    "schema",
    cls=Command,
    help=t(
        "打印自评表文档（YAML / JSON）的 JSON Schema。",
        "Print the JSON Schema of evaluation documents (YAML / JSON).",
    ),
    **kwargs(),
)
def schema_command() -> int:
    click.echo(dump_json(Service.schema()))
    return 0


@click.command(
    "schemes",
    cls=Command,
    help=t("列出内置的评分方案及其权重。", "List the bundled scoring schemes and their weights."),
    **kwargs(),
)
def schemes_command() -> int:
    for scheme in Service.schemes():
        weights = "，".join(f"{spec.name} {spec.weight}" for spec in scheme.level1)
        click.echo(f"{scheme.name}\t{scheme.title}")
        click.echo(
            f"\t{t('资金执行', 'funds')} {scheme.funds_weight}，{weights}；"
            f"{t('合计', 'total')} {scheme.total_weight}"
        )
    return 0
