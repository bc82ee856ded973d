"""``jixiao user add``: accounts for the web app (填报 / 审核 / 管理员)."""

from __future__ import annotations

import sys

import click

from jixiao.cli.i18n import Command, Group, kwargs, t
from jixiao.cli.importer import DB_HELP

# The store (SQLAlchemy, argon2) is imported when a command runs, not for every ``jixiao``.
ROLE_NAMES = ("填报", "审核", "管理员", "filler", "reviewer", "admin")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise click.UsageError(
            t(
                "不在终端中运行：请用 --password-stdin 从标准输入给出密码",
                "Not a terminal: give the password on stdin with --password-stdin",
            )
        )
    password: str = click.prompt(
        t("密码", "Password"),
        hide_input=True,
        confirmation_prompt=t("再次输入密码", "Repeat the password"),
    )
    return password


@click.group("user", cls=Group, help=t("管理网页版的用户", "Manage web app users"), **kwargs())
def user_group() -> None:
    pass


@user_group.command(
    "add",
    cls=Command,
    short_help=t("新建用户", "Add a user"),
    help=t(
        "新建用户 NAME。角色：填报（单位填报人，须给出 --unit）、审核（财政局审核人员）、"
        "管理员。交互运行时提示输入两次密码；脚本中用 --password-stdin 从标准输入读一行。",
        "Add user NAME. Roles: 填报 (a unit's filler; needs --unit), 审核 (reviewer), "
        "管理员 (admin). Prompts twice for the password; --password-stdin reads one line.",
    ),
    **kwargs(),
)
@click.argument("name")
@click.option(
    "--role",
    required=True,
    type=click.Choice(ROLE_NAMES),
    help=t("角色", "Role"),
)
@click.option("--unit", metavar=t("单位", "UNIT"), help=t("所属单位", "The user's unit"))
@click.option("--display-name", metavar=t("姓名", "NAME"), help=t("显示的姓名", "Display name"))
@click.option(
    "--password-stdin", is_flag=True, help=t("从标准输入读取密码", "Read the password from stdin")
)
@click.option("--db", metavar="URL", help=DB_HELP)
def add_command(
    name: str,
    role: str,
    unit: str | None,
    display_name: str | None,
    password_stdin: bool,
    db: str | None,
) -> int:
    from jixiao.service.store import add_user, open_store
    from jixiao.store import ROLE_LABELS, Role, StoreError

    roles = {label: code for code, label in ROLE_LABELS.items()} | {r.value: r for r in Role}
    password = _password(password_stdin)
    try:
        with open_store(db) as store:
            user = add_user(store, name, roles[role], password, unit, display_name)
    except StoreError as error:
        click.echo(t("错误：", "Error: ") + str(error), err=True)
        return 2
    where = f"，单位 {user.unit}" if user.unit else ""
    click.echo(
        t(
            f"已新建用户 {user.name}（{user.role.label}{where}）",
            f"Added user {user.name} ({user.role.value}{where})",
        )
    )
    return 0
