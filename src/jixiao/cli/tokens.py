"""``jixiao token``: API tokens for scripts (``Authorization: Bearer …``)."""

from __future__ import annotations

import click

from jixiao.cli.i18n import Command, Group, kwargs, t
from jixiao.cli.importer import DB_HELP


@click.group("token", cls=Group, help=t("管理 API 令牌", "Manage API tokens"), **kwargs())
def token_group() -> None:
    pass


@token_group.command(
    "create",
    cls=Command,
    short_help=t("为用户生成 API 令牌", "Create an API token"),
    help=t(
        "为用户 USER 生成 API 令牌并显示一次（数据库只保存其摘要，丢失后请重新生成）。"
        "脚本调用 /api/ 时在请求头中写 Authorization: Bearer 令牌，权限与该用户相同。",
        "Create an API token for USER, shown once. Scripts send it as "
        "'Authorization: Bearer TOKEN' and act with the user's rights.",
    ),
    **kwargs(),
)
@click.argument("user")
@click.option("--label", metavar=t("说明", "TEXT"), help=t("令牌用途说明", "What it is for"))
@click.option("--db", metavar="URL", help=DB_HELP)
def create_command(user: str, label: str | None, db: str | None) -> int:
    from jixiao.service.store import open_store
    from jixiao.store import StoreError

    try:
        with open_store(db) as store:
            token = store.create_token(user, label)
    except StoreError as error:
        click.echo(t("错误：", "Error: ") + str(error), err=True)
        return 2
    click.echo(token)
    click.echo(
        t(
            f"已为 {user} 生成令牌（只显示这一次，请妥善保存）",
            f"Token created for {user} (shown once)",
        ),
        err=True,
    )
    return 0


@token_group.command(
    "revoke",
    cls=Command,
    short_help=t("吊销用户的全部令牌", "Revoke a user's tokens"),
    help=t("吊销用户 USER 的全部 API 令牌。", "Revoke every API token of USER."),
    **kwargs(),
)
@click.argument("user")
@click.option("--db", metavar="URL", help=DB_HELP)
def revoke_command(user: str, db: str | None) -> int:
    from jixiao.service.store import open_store
    from jixiao.store import StoreError

    try:
        with open_store(db) as store:
            count = store.revoke_tokens(user)
    except StoreError as error:
        click.echo(t("错误：", "Error: ") + str(error), err=True)
        return 2
    click.echo(t(f"已吊销 {user} 的 {count} 个令牌", f"Revoked {count} tokens of {user}"))
    return 0
