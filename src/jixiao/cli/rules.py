"""``jixiao rules [CODE]``: the rule catalogue, or one rule explained."""

from __future__ import annotations

import click

from jixiao.audit import CATALOGUE
from jixiao.cli.i18n import Command, kwargs, t


@click.command(
    "rules",
    cls=Command,
    short_help=t("列出审核规则，或解释一条规则", "List the review rules, or explain one"),
    help=t(
        "不带参数时列出全部审核规则；给出编号（如 FD01）时显示该规则的说明、示例和可设置项。",
        "List all review rules; with a code (e.g. FD01) explain that rule.",
    ),
    **kwargs(),
)
@click.argument("code", required=False)
@click.option(
    "--markdown",
    is_flag=True,
    help=t(
        "输出全部规则的 Markdown 文档（docs/rules.md）",
        "Print the whole catalogue as Markdown (docs/rules.md)",
    ),
)
def rules_command(code: str | None, markdown: bool) -> int:
    if markdown:
        click.echo(catalogue_markdown(), nl=False)
        return 0
    if code is None:
        for rule in CATALOGUE.rules.values():
            click.echo(f"{rule.code}  {rule.severity.label}  {rule.title}")
        return 0
    found = CATALOGUE.rules.get(code.upper())
    if found is None:
        raise click.UsageError(
            t(
                f"没有编号为 {code} 的规则（jixiao rules 列出全部）",
                f"No rule {code} (jixiao rules lists them)",
            )
        )
    click.echo(
        f"{found.code} {found.title}（默认级别：{found.severity.label}；名称 {found.name}）\n"
    )
    click.echo(found.doc())
    for option in found.options:
        click.echo(f"\n  {option.name} = {option.default}：{option.doc}")
    return 0


def catalogue_markdown() -> str:
    """docs/rules.md: every rule's documentation, generated from the catalogue."""
    lines = [
        "# 审核规则（review rules）",
        "",
        "由 `jixiao rules --markdown` 从规则目录生成，请勿手工修改。",
        "",
        "| 编号 | 默认级别 | 规则 |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}) | {r.severity.label} | {r.title} |"
        for r in CATALOGUE.rules.values()
    ]
    for rule in CATALOGUE.rules.values():
        lines += [
            "",
            f"## {rule.code}",
            "",
            f"**{rule.title}** — 默认级别：{rule.severity.label}；名称 `{rule.name}`",
            "",
            rule.doc(),
        ]
        if rule.options:
            lines += ["", "设置项：", ""]
            lines += [f"- `{o.name}` = `{o.default}`：{o.doc}" for o in rule.options]
    return "\n".join(lines) + "\n"
