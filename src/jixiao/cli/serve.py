"""``jixiao serve``: the web app on a database, optionally with the samples and demo logins."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.cli.importer import DB_HELP, store_or_say

if TYPE_CHECKING:
    from jixiao.service import Service
    from jixiao.store import Store

DEMO_PASSWORD = "jixiao-demo"
NO_UNIT = "未注明单位（示例）"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    name: str
    role: str
    unit: str | None


def sample_reports() -> list[Path]:
    """The five bundled seed reports (the hand-written sample evaluations transcribe tables
    of the same reports: imported too, each table would be listed twice)."""
    folder = resources.files("jixiao") / "samples" / "reports"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def _unit_of(service: Service, path: Path) -> str:
    """The unit a sample belongs to: 主管部门, else a department table's own name, else 实施单位."""
    from jixiao.service.ownership import report_unit

    try:
        evaluations = service.evaluations_in(path)
    except Exception:  # an unreadable sample still gets imported (and reported) below
        return NO_UNIT
    return report_unit(evaluations) or NO_UNIT


def sample_units(service: Service) -> dict[Path, str]:
    """Each bundled sample and the unit it is imported under (see ``_unit_of``)."""
    return {path: _unit_of(service, path) for path in sample_reports()}


def demo_logins(units: Iterable[str]) -> list[DemoLogin]:
    """One 填报 login per unit (unit1, unit2, … in the samples' order), then 审核 and 管理员."""
    distinct = list(dict.fromkeys(units))
    logins = [DemoLogin(f"unit{n}", "填报", unit) for n, unit in enumerate(distinct, start=1)]
    return [*logins, DemoLogin("shenhe", "审核", None), DemoLogin("admin", "管理员", None)]


def add_demo_users(store: Store, logins: Iterable[DemoLogin]) -> None:
    """The demo users that are missing, all with the password ``DEMO_PASSWORD``."""
    from jixiao.store import Role

    roles = {"填报": Role.FILLER, "审核": Role.REVIEWER, "管理员": Role.ADMIN}
    for login in logins:
        if store.user(login.name) is None:
            store.add_user(login.name, roles[login.role], DEMO_PASSWORD, unit=login.unit)


# Where each sample's tables stand on a demo's first start, so that every role has work on
# its first visit: (sample's number, table's number in it or 0 for all) → the steps taken.
RETURNED_BECAUSE = (
    "请核对资金栏“得分”：全年执行数 1451.29 万元、执行率 99.91%，分值 10 分应得 9.99 分，"
    "表中填 9 分；请改正后重新提交。"
)
DEMO_STEPS: dict[tuple[str, int], tuple[tuple[str, str], ...]] = {
    ("000", 0): (("submitted", ""),),  # 已提交: waiting for the reviewer
    ("001", 0): (("submitted", ""), ("returned", RETURNED_BECAUSE)),  # 已退回, with why
    ("004", 1): (("submitted", ""), ("approved", "")),  # 已审核
    ("004", 2): (("submitted", ""), ("approved", ""), ("published", "")),  # 已公开
}  # the others (003) stay 草稿


def load_demo(store: Store, service: Service) -> list[DemoLogin]:
    """Import the samples (again: nothing changes) and make the demo users that are missing;
    samples imported now are put in the states of ``DEMO_STEPS``."""
    from jixiao.service.store import import_file
    from jixiao.store import ImportStatus

    units = sample_units(service)
    fresh: dict[Path, int] = {}
    for path, unit in units.items():
        result = import_file(store, service, path, unit=unit)
        if result.error:
            said = t(f"示例 {path.name} 导入失败：", f"{path.name} failed: ")
            click.echo(said + result.error, err=True)
        elif result.outcome is not None and result.outcome.status is ImportStatus.IMPORTED:
            fresh[path] = result.outcome.document_id
    logins = demo_logins(units.values())
    add_demo_users(store, logins)
    _demo_states(store, fresh, units, logins)
    return logins


def _demo_states(
    store: Store, fresh: dict[Path, int], units: dict[Path, str], logins: list[DemoLogin]
) -> None:
    """Take each freshly imported sample's tables through their ``DEMO_STEPS``: the unit's
    login submits, the reviewer returns, approves and publishes."""
    from jixiao.store import State

    clerks = {login.unit: login.name for login in logins if login.role == "填报"}
    reviewer = next(login.name for login in logins if login.role == "审核")
    for path, document_id in fresh.items():
        tables = store.document_tables(document_id)
        for number, table in enumerate(tables, start=1):
            key = next(
                (k for k in ((path.name[:3], number), (path.name[:3], 0)) if k in DEMO_STEPS), None
            )
            for to, comment in DEMO_STEPS.get(key, ()) if key else ():
                who = clerks[units[path]] if to == "submitted" else reviewer
                store.transition(table.id, State(to), who, comment)


def _port_free(host: str, port: int) -> str | None:
    """None when ``host:port`` can be listened on, else the reason."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.strerror or str(error)
    return None


@click.command(
    "serve",
    cls=Command,
    short_help=t("启动网页版", "Start the web app"),
    help=t(
        "启动网页版（填报、审核、看板），首次启动时创建并升级数据库。"
        "--demo 导入自带的示例报告（可重复执行，不会重复导入）并建立演示账号。按 Ctrl-C 停止。",
        "Start the web app, creating and migrating the database on first start. --demo "
        "imports the bundled sample reports (idempotent) and makes demo logins. Ctrl-C stops.",
    ),
    **kwargs(),
)
@click.option("--host", default="127.0.0.1", show_default=True, help=t("监听地址", "Host"))
@click.option("--port", default=8000, show_default=True, type=int, help=t("端口", "Port"))
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option("--demo", is_flag=True, help=t("导入示例并建立演示账号", "Samples and demo logins"))
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=t(
        "工作进程数（多人同时使用时可设为 CPU 核数）",
        "Worker processes (set to the CPU count when many use it at once)",
    ),
)
@click.option(
    "--trusted-proxies",
    metavar="IP,…",
    default="",
    help=t(
        "前置反向代理的地址（逗号分隔）：只有来自这些地址的 X-Forwarded-For / "
        "X-Forwarded-Proto 才被采信（默认不采信，登录限流按真实来源地址计）",
        "Addresses of reverse proxies whose X-Forwarded-For / -Proto are believed (default: none)",
    ),
)
@click.option(
    "--secure-cookies",
    is_flag=True,
    help=t(
        "会话 Cookie 只经 HTTPS 发送（站点经 HTTPS 访问时使用）",
        "Session cookies sent over HTTPS only (use when served over HTTPS)",
    ),
)
@click.option(
    "--public-docs",
    is_flag=True,
    help=t(
        "接口文档（/docs、/openapi.json）无需登录即可查看（默认须登录）",
        "API docs (/docs, /openapi.json) readable without logging in (default: login needed)",
    ),
)
def serve_command(
    host: str,
    port: int,
    db: str | None,
    demo: bool,
    workers: int,
    trusted_proxies: str,
    secure_cookies: bool,
    public_docs: bool,
) -> int:
    import uvicorn

    from jixiao import scratch
    from jixiao.service import Service
    from jixiao.web.app import (
        APP_FACTORY,
        DB_VARIABLE,
        PUBLIC_DOCS_VARIABLE,
        SECURE_VARIABLE,
        create_app,
    )
    from jixiao.web.deps import WebSettings

    proxies = [p.strip() for p in trusted_proxies.split(",") if p.strip()]
    network = {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or None}

    reason = _port_free(host, port)
    if reason is not None:
        click.echo(
            t(
                f"错误：无法监听 {host}:{port}（{reason}）",
                f"Error: cannot listen on {host}:{port}",
            ),
            err=True,
        )
        return 2
    store = store_or_say(db)
    if store is None:
        return 2
    with store:
        swept = scratch.sweep()  # uploads' copies left by a server that was killed
        if swept:
            click.echo(
                t(f"已删除 {swept} 个遗留的临时文件夹", f"Removed {swept} stale temp folders")
            )
        logins = load_demo(store, Service()) if demo else []
        shown = f"[{host}]" if ":" in host else host
        click.echo(t(f"jixiao 网页版：http://{shown}:{port}/", f"jixiao: http://{shown}:{port}/"))
        click.echo(t(f"数据库：{store.url}", f"Database: {store.url}"))
        if logins:
            heading = t(
                f"演示账号（密码均为 {DEMO_PASSWORD}）：", f"Demo logins ({DEMO_PASSWORD}):"
            )
            click.echo(heading)
            for login in logins:
                click.echo(f"  {login.name:<8} {login.role}  {login.unit or ''}".rstrip())
        click.echo(t("按 Ctrl-C 停止", "Press Ctrl-C to stop"))
        # returns after Ctrl-C once open requests are answered, then re-raises the Ctrl-C
        with contextlib.suppress(KeyboardInterrupt):
            if workers > 1:  # each worker process opens the (already migrated) database
                os.environ[DB_VARIABLE] = store.url
                os.environ[SECURE_VARIABLE] = "1" if secure_cookies else ""
                os.environ[PUBLIC_DOCS_VARIABLE] = "1" if public_docs else ""
                uvicorn.run(
                    APP_FACTORY,
                    factory=True,
                    host=host,
                    port=port,
                    workers=workers,
                    log_level="warning",
                    access_log=False,
                    **network,  # type: ignore[arg-type]
                )
            else:
                settings = WebSettings(secure_cookies=secure_cookies, public_docs=public_docs)
                app = create_app(store=store, settings=settings)
                config = uvicorn.Config(
                    app,
                    host=host,
                    port=port,
                    log_level="warning",
                    access_log=False,
                    **network,  # type: ignore[arg-type]
                )
                uvicorn.Server(config).run()
    click.echo(t("已停止", "Stopped"))
    return 0
