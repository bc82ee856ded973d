"""``jixiao worker``: runs the background jobs (imports, rescoring, exports) of a
PostgreSQL deployment; start as many as the machines allow, on any machines."""

from __future__ import annotations

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.cli.importer import DB_HELP, store_or_say

SQLITE_ONLY = (
    "后台任务进程只用于 PostgreSQL 数据库：使用 SQLite 时，jixiao serve 在自己的进程内处理"
    "导入、复算和导出，无需另行启动。"
)


@click.command(
    "worker",
    cls=Command,
    short_help=t("启动后台任务进程（PostgreSQL）", "Run background jobs (PostgreSQL)"),
    help=t(
        "处理网页版交给后台的任务：批量导入、更换评分方案或审核设置后的全部复算、批量导出。"
        "任务保存在同一个 PostgreSQL 数据库中，可在多台机器上各启动若干个；"
        "某个进程意外退出时，它未完成的任务由其他进程接着做，已导入的文件不会重复导入。"
        "按 Ctrl-C（或 SIGTERM）在当前任务完成后停止。",
        "Run the web app's background jobs (batch imports, rescoring after a change of scheme "
        "or audit settings, batch exports) kept in the same PostgreSQL database; start any "
        "number on any machines. Jobs of a worker that dies are taken over by the others. "
        "Ctrl-C (or SIGTERM) stops after the running jobs.",
    ),
    **kwargs(),
)
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help=t(
        "本进程同时处理的任务数（读取与评分耗 CPU：多核机器上宜多启动几个进程，而非加大此值）",
        "Jobs run at once by this process (CPU-bound: prefer more processes)",
    ),
)
@click.option(
    "--stalled-after",
    type=click.FloatRange(min=3),
    default=30.0,
    show_default=True,
    help=t(
        "某个任务进程多少秒无心跳即视为已退出，其任务由其他进程重做",
        "Seconds without a worker's heartbeat before its jobs are run by others",
    ),
)
@click.option(
    "--nice",
    type=click.IntRange(min=0, max=19),
    default=10,
    show_default=True,
    help=t(
        "本进程的 CPU 优先级降低多少（nice 值，0 不降低）：与网页进程在同一台机器上时，"
        "页面先得到 CPU，全部复算等后台任务用其余的",
        "How much lower this process's CPU priority is (nice; 0: not lower): on a machine "
        "shared with the web processes, pages get the CPU first",
    ),
)
def worker_command(db: str | None, concurrency: int, stalled_after: float, nice: int) -> int:
    import logging
    import os

    from jixiao.service.queue import run_worker

    store = store_or_say(db)
    if store is None:
        return 2
    with store:
        if store.engine.dialect.name != "postgresql":
            click.echo(t("错误：", "Error: ") + SQLITE_ONLY, err=True)
            return 2
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
        if nice:
            os.nice(nice)
        click.echo(
            t(
                f"jixiao 后台任务进程：数据库 {store.url}，同时处理 {concurrency} 个任务；"
                "按 Ctrl-C 停止",
                f"jixiao worker on {store.url}, {concurrency} at once; Ctrl-C stops",
            )
        )
        run_worker(store, concurrency, stalled_after)
    click.echo(t("已停止", "Stopped"))
    return 0
