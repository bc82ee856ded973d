"""``jixiao check``: parse, score and run every enabled rule; findings with place and numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import click

from jixiao.audit import CATALOGUE, AuditSettings, Finding, RuleSettings, Severity
from jixiao.cli.i18n import Command, kwargs, t
from jixiao.config import load_audit_settings
from jixiao.document import dump_json
from jixiao.loading import LoadError
from jixiao.service import CheckedFile, Service, checked_to_data
from jixiao.service.batch import progress_bar
from jixiao.service.render import write_review

JOBS_HELP = t(
    "同时使用的进程数（默认：CPU 核数；1 表示不另开进程）",
    "Worker processes (default: one per CPU; 1 = in this process)",
)
PROGRESS_HELP = t(
    "在标准错误输出显示进度条（默认：终端中且文件较多时显示）",
    "Progress bar on stderr (default: on a terminal with more than a few files)",
)


def _codes(value: str | None) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in (value or "").split(",") if c.strip())


@click.command(
    "check",
    cls=Command,
    short_help=t("审核自评表：逐条规则检查", "Audit evaluations against the rule catalogue"),
    help=t(
        "读取并复算自评表，按审核规则逐条检查，列出每个问题的规则编号、位置、数字和修改建议。"
        "FILE 可以是报告（txt、docx、xlsx、pdf…）、YAML / JSON 自评表文档或目录。",
        "Read and rescore evaluations, run every enabled review rule, and list each finding "
        "with its rule code, place, numbers and what to do. FILE may be a report, an "
        "evaluation document or a directory.",
    ),
    **kwargs(),
)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json"]),
    default="human",
    show_default=True,
    help=t("输出格式", "Output format"),
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help=t(
        "出现该级别及以上的问题、或有文件读取出错时退出码为 1（全部文件都读不了时为 2）",
        "Exit 1 when a finding at or above this level exists or a file could not be read "
        "(2 when none could)",
    ),
)
@click.option(
    "--select",
    metavar="CODES",
    help=t("只运行这些规则（逗号分隔）", "Run only these rules (comma-separated)"),
)
@click.option(
    "--disable",
    metavar="CODES",
    help=t("不运行这些规则（逗号分隔）", "Do not run these rules (comma-separated)"),
)
@click.option(
    "--config",
    "config_file",
    metavar=t("文件", "FILE"),
    help=t(
        "审核设置文件（启用、停用、调整级别和阈值）",
        "Audit settings file (rules, levels, thresholds)",
    ),
)
@click.option(
    "--report",
    "report_format",
    type=click.Choice(["docx", "xlsx"]),
    help=t(
        "另外写出审核意见书（按表分组，含规则、位置、数字和修改要求）",
        "Also write the review opinion (grouped by table, with rule, place, numbers, fix)",
    ),
)
@click.option(
    "--output",
    "-o",
    metavar=t("文件", "FILE"),
    help=t(
        "审核意见书的文件名（默认：当前目录下的 审核意见.docx / .xlsx）",
        "File for the review opinion (default: 审核意见.docx / .xlsx here)",
    ),
)
@click.option(
    "--previous",
    "previous_file",
    metavar=t("上年文件", "LASTYEAR_FILE"),
    help=t(
        "上年同一项目或部门的自评表（报告或自评表文档），用于与上年对照（TG03–TG05）",
        "Last year's tables of the same projects or departments, to compare with (TG03-TG05)",
    ),
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N", help=JOBS_HELP)
@click.option("--progress/--no-progress", default=None, help=PROGRESS_HELP)
def check_command(
    files: tuple[str, ...],
    fmt: str,
    fail_on: str,
    select: str | None,
    disable: str | None,
    config_file: str | None,
    report_format: str | None,
    output: str | None,
    previous_file: str | None,
    jobs: int | None,
    progress: bool | None,
) -> int:
    service = Service()
    previous = service.evaluations_in(previous_file) if previous_file else []
    if previous_file and not previous:
        raise LoadError.single(previous_file, "上年文件中没有找到绩效自评表")
    paths = service.expand(files)
    if not paths:
        raise click.UsageError(t("没有可检查的文件", "No files to check"))
    base = load_audit_settings(config_file) if config_file else AuditSettings()
    rules = dict(base.rules)
    for code in _codes(disable):
        rules[code] = RuleSettings(enabled=False)
    unknown = (_codes(disable) | _codes(select)) - set(CATALOGUE.rules)
    if unknown:
        raise click.UsageError(
            t(
                f"没有这些规则：{'、'.join(sorted(unknown))}",
                f"Unknown rules: {', '.join(sorted(unknown))}",
            )
        )
    settings = replace(base, rules=rules, only=_codes(select) or None)
    threshold = Severity(fail_on).rank
    with progress_bar(len(paths), t("检查", "Checking"), show=progress) as tick:
        results = service.check_many(paths, settings, jobs=jobs, tick=tick, previous=previous)
    if fmt == "json":
        click.echo(dump_json([checked_to_data(r) for r in results]))
    else:
        for result in results:
            _human(result)
        _summary(results)
    if report_format:
        target = write_review(results, report_format, output or f"审核意见.{report_format}")
        click.echo(t(f"审核意见书已写入 {target}", f"Review opinion written to {target}"), err=True)
    if all(r.errors and not r.findings for r in results):
        return 2
    worst = max((f.severity.rank for r in results for f in r.findings), default=0)
    failed = any(r.errors for r in results)  # a file not (wholly) read is never a pass
    return 1 if worst >= threshold or failed else 0


def _where(finding: Finding, path: str) -> str:
    """``file:155:`` for a text line (editors jump to it), else the file alone; then the
    place in the document as a reader says it (第2页 第3个表格 第13行第4列)."""
    from jixiao.render.review import where  # only for findings said to a person

    source = finding.source
    if source is None:
        return f"{path}:"
    head = f"{source.file or path}:" + (f"{source.line}:" if source.line is not None else "")
    place = where(replace(source, line=None))
    return f"{head} {place}" if place else head


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Report-level findings (基础数据表, 正文, across tables) first, then one group per
    self-evaluation table in document order; findings keep their order within a group."""
    report: list[Finding] = []
    tables: dict[int, list[Finding]] = {}
    titles: dict[int, str] = {}
    for finding in findings:
        table = finding.table
        if table is None:
            report.append(finding)
            continue
        tables.setdefault(table.index, []).append(finding)
        titles[table.index] = table.title or "（未填名称）"
    groups = [("报告整体（基础数据表、正文及跨表核对）", report)] if report else []
    groups += [(f"自评表{i}：{titles[i]}", tables[i]) for i in sorted(tables)]
    return groups


def _human(result: CheckedFile) -> None:
    click.echo(f"== {result.path}")
    for message, _source in result.errors:
        click.echo(t("   错误：", "   Error: ") + message, err=True)
    for note in result.notes:
        click.echo(t("   说明：", "   Note: ") + note, err=True)
    for heading, findings in _groups(result.findings):
        click.echo(f"  {heading}")
        for finding in findings:
            click.echo(
                f"    {_where(finding, result.path)} {finding.code} "
                f"[{finding.severity.label}] {finding.message}"
            )
            if finding.advice:
                click.echo(f"        → {finding.advice}")


def _summary(results: list[CheckedFile]) -> None:
    counts = Counter(f.severity for r in results for f in r.findings)
    failed = sum(bool(r.errors) for r in results)
    click.echo(
        f"共 {len(results)} 个文件：错误 {counts[Severity.ERROR]} 个，警告 "
        f"{counts[Severity.WARNING]} 个，提示 {counts[Severity.INFO]} 个；{failed} 个文件读取出错"
    )
