"""``jixiao import``: read, score and check files, and store them in the database."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from jixiao.cli.i18n import Command, kwargs, t
from jixiao.service import Service

if TYPE_CHECKING:
    from jixiao.service.store import ImportResult
    from jixiao.store import Store

DB_HELP = t(
    "数据库：SQLite 文件路径或 URL（sqlite:///…、postgresql://…）；"
    "默认为数据目录（$JIXIAO_DATA 或 ~/.local/share/jixiao）下的 jixiao.db",
    "Database: a SQLite file path or a URL (sqlite:///…, postgresql://…); default jixiao.db "
    "in the data directory ($JIXIAO_DATA or ~/.local/share/jixiao)",
)


def store_or_say(db: str | None) -> Store | None:
    """The store at ``db`` (see DB_HELP), or None once why it cannot be opened is said."""
    from jixiao.service.store import open_store
    from jixiao.store import StoreError

    try:
        return open_store(db)
    except StoreError as error:
        click.echo(t("错误：", "Error: ") + str(error), err=True)
        return None


def _line(result: ImportResult) -> str:
    from jixiao.store import ImportStatus

    outcome = result.outcome
    if outcome is None:
        return t(f"失败    {result.path}：{result.error}", f"failed  {result.path}: {result.error}")
    tables = outcome.evaluations
    if outcome.status is ImportStatus.EXISTS:
        return t(
            f"已存在  {result.path}"
            f"（即已导入的 {outcome.file_name}，文件编号 {outcome.document_id}）",
            f"exists  {result.path} (already stored as {outcome.file_name}, "
            f"document {outcome.document_id})",
        )
    none = t("；未找到自评表", "; no self-evaluation table found") if tables == 0 else ""
    return t(
        f"导入    {result.path}（{tables} 张自评表，{outcome.findings} 条审核发现{none}）",
        f"stored  {result.path} ({tables} tables, {outcome.findings} findings{none})",
    )


@click.command(
    "import",
    cls=Command,
    short_help=t("把自评报告导入数据库", "Store reports in the database"),
    help=t(
        "读取、复算并审核报告或自评表文档，连同原文件、审核发现一起存入数据库（新表为“草稿”）。"
        "同一文件（按内容）再次导入时只报告“已存在”，不会重复；每个文件要么完整存入，要么不存。"
        "FILE 可以是报告（txt、docx、xlsx、pdf…）、YAML / JSON 自评表文档或目录。"
        "有文件失败时退出码为 2。",
        "Read, rescore and check reports or evaluation documents and store them with the "
        "original file and the findings (new tables are drafts). A file stored before (same "
        "content) is reported as existing, never duplicated; each file is stored whole or not "
        "at all. Exit 2 when a file failed.",
    ),
    **kwargs(),
)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR...")
@click.option("--db", metavar="URL", help=DB_HELP)
@click.option(
    "--unit",
    metavar=t("单位", "UNIT"),
    help=t("这些文件所属的填报单位（不存在则新建）", "The unit the files belong to"),
)
def import_command(files: tuple[str, ...], db: str | None, unit: str | None) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from jixiao.service.store import import_files
    from jixiao.store import ImportStatus

    service = Service()
    paths = service.expand(files)
    if not paths:
        raise click.UsageError(t("没有可导入的文件", "No files to import"))
    store = store_or_say(db)
    if store is None:
        return 2
    counts = {"stored": 0, "exists": 0, "failed": 0}
    console = Console(stderr=True)
    progress = Progress(
        TextColumn(t("导入", "Importing")),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,
        # result lines stay on stdout when it is redirected, above the bar when it is not
        redirect_stdout=sys.stdout.isatty(),
    )
    with store, progress:
        task = progress.add_task("", total=len(paths))
        for path, result in zip(paths, import_files(store, service, paths, unit=unit), strict=True):
            click.echo(_line(result), file=sys.stdout)
            key = (
                "failed"
                if result.outcome is None
                else "exists"
                if result.outcome.status is ImportStatus.EXISTS
                else "stored"
            )
            counts[key] += 1
            progress.update(task, advance=1, description=path.name)
        url = store.url
    click.echo(
        t(
            f"共 {len(paths)} 个文件：导入 {counts['stored']} 个，已存在 {counts['exists']} 个，"
            f"失败 {counts['failed']} 个（数据库 {url}）",
            f"{len(paths)} files: {counts['stored']} stored, {counts['exists']} existing, "
            f"{counts['failed']} failed (database {url})",
        ),
        err=True,
    )
    return 2 if counts["failed"] else 0
