"""The ``jixiao`` command: one group, one small module per subcommand."""

from __future__ import annotations

import os
import sys

import click

from jixiao import __version__
from jixiao.cli.check import check_command
from jixiao.cli.draft import draft_command, new_command
from jixiao.cli.i18n import Group, kwargs, t, usage_message
from jixiao.cli.importer import import_command
from jixiao.cli.parse import parse_command
from jixiao.cli.render import render_command
from jixiao.cli.rules import rules_command
from jixiao.cli.schema import schema_command, schemes_command
from jixiao.cli.score import score_command
from jixiao.cli.serve import serve_command
from jixiao.cli.tokens import token_group
from jixiao.cli.users import user_group
from jixiao.loading import LoadError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


@click.group(
    cls=Group,
    help=t(
        "jixiao（绩效）：预算绩效自评表的读取、评分与审核。\n\n"
        "金额单位为万元；执行率为百分数。设置 JIXIAO_LANG=en 可显示英文帮助。",
        "jixiao: read, score and audit budget performance self-evaluations (预算绩效自评).\n\n"
        "Amounts are in 万元; execution rates are percent numbers. "
        "Set JIXIAO_LANG=zh for Chinese help.",
    ),
    **kwargs(),
)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="jixiao",
    message="%(prog)s %(version)s",
    help=t("显示版本并退出", "Show the version and exit."),
)
def cli() -> None:
    pass


cli.add_command(check_command)
cli.add_command(parse_command)
cli.add_command(render_command)
cli.add_command(rules_command)
cli.add_command(score_command)
cli.add_command(schema_command)
cli.add_command(schemes_command)
cli.add_command(import_command)
cli.add_command(new_command)
cli.add_command(draft_command)
cli.add_command(user_group)
cli.add_command(serve_command)
cli.add_command(token_group)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; never shows a traceback unless JIXIAO_DEBUG is set."""
    try:
        result = cli.main(args=argv, prog_name="jixiao", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(t("已中止", "Aborted"), err=True)
        return EXIT_USAGE
    except click.ClickException as error:
        click.echo(t("错误：", "Error: ") + usage_message(error), err=True)
        click.echo(t("用 jixiao --help 查看用法", "See jixiao --help"), err=True)
        return EXIT_USAGE
    except LoadError as error:
        for problem in error.problems:
            click.echo(t("错误：", "Error: ") + str(problem), err=True)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a bug: one line, the traceback only on request
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        click.echo(
            t(
                f"内部错误：{type(error).__name__}: {error}（设置 JIXIAO_DEBUG=1 查看详情）",
                f"Internal error: {type(error).__name__}: {error} (set JIXIAO_DEBUG=1)",
            ),
            err=True,
        )
        return EXIT_USAGE
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
