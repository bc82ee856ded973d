"""The ``jixiao`` command group: each subcommand's module imported when that command runs.

``jixiao check`` loads the reading, scoring and audit it needs and nothing of ``serve``
(the web app, its database), ``score`` (rich tables) or ``render`` (Word, Excel, charts);
``jixiao --help`` loads them all, to show what each does.
"""

from __future__ import annotations

import importlib
import os

import click

from jixiao import __version__
from jixiao.cli.i18n import Group, kwargs, t, usage_message

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# command name → (module, attribute): the module is imported when the command is asked for
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("jixiao.cli.check", "check_command"),
    "draft": ("jixiao.cli.draft", "draft_command"),
    "import": ("jixiao.cli.importer", "import_command"),
    "new": ("jixiao.cli.draft", "new_command"),
    "parse": ("jixiao.cli.parse", "parse_command"),
    "render": ("jixiao.cli.render", "render_command"),
    "rules": ("jixiao.cli.rules", "rules_command"),
    "schema": ("jixiao.cli.schema", "schema_command"),
    "schemes": ("jixiao.cli.schema", "schemes_command"),
    "score": ("jixiao.cli.score", "score_command"),
    "serve": ("jixiao.cli.serve", "serve_command"),
    "token": ("jixiao.cli.tokens", "token_group"),
    "user": ("jixiao.cli.users", "user_group"),
    "worker": ("jixiao.cli.worker", "worker_command"),
}


class LazyGroup(Group):
    """A group whose commands are named in ``COMMANDS`` and imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(
    cls=LazyGroup,
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


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; never shows a traceback unless JIXIAO_DEBUG is set."""
    from jixiao.loading import LoadError

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
