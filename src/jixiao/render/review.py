"""The review opinion (审核意见) on checked files, as a Word letter and as a workbook.

Input is what ``jixiao check`` produces: one result per file with its findings (and the
problems that kept it from being read). ``CheckedFile`` objects of the service layer fit
as they are (anything with ``path``, ``findings`` and ``errors``); plain
``(file name, findings)`` pairs do too. Findings are grouped by file, then by table; each
shows its rule (code and title), severity, place, the numbers, and what to correct.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from jixiao.audit import CATALOGUE, Finding, Severity
from jixiao.audit.rule import show
from jixiao.model import SourceRef
from jixiao.render.fonts import OFFICIAL, FontPlan

TITLE = "预算绩效自评审核意见"
OTHER_TABLES = "全文及跨表检查"
READ_ERROR = "无法读取"
SIGN_LINE = "＿＿＿＿＿＿＿＿＿＿"
DATE_BLANK = "　　年　　月　　日"


class CheckedLike(Protocol):
    """What the review needs of one checked file (``service.audit.CheckedFile`` fits)."""

    @property
    def path(self) -> str: ...

    @property
    def findings(self) -> Sequence[Finding]: ...

    @property
    def errors(self) -> Sequence[tuple[str, SourceRef | None]]: ...


ReviewInput = CheckedLike | tuple[str, Sequence[Finding]]


@dataclass(frozen=True, slots=True)
class TableGroup:
    """The findings about one table (``index`` None: the report as a whole)."""

    index: int | None
    title: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class FileReview:
    path: str
    groups: tuple[TableGroup, ...]
    errors: tuple[tuple[str, SourceRef | None], ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for group in self.groups for f in group.findings)


def _group(findings: Sequence[Finding]) -> tuple[TableGroup, ...]:
    """By table in document order, whole-report findings last; errors first in a group."""
    tables: dict[int | None, list[Finding]] = {}
    titles: dict[int | None, str] = {None: OTHER_TABLES}
    for finding in findings:
        index = finding.table.index if finding.table is not None else None
        tables.setdefault(index, []).append(finding)
        if finding.table is not None and index not in titles:
            titles[index] = f"表{index}：{finding.table.title or '（无标题）'}"
    order = sorted(tables, key=lambda i: (i is None, i or 0))
    return tuple(
        TableGroup(i, titles[i], tuple(sorted(tables[i], key=lambda f: -f.severity.rank)))
        for i in order
    )


def collect(results: Iterable[ReviewInput]) -> list[FileReview]:
    """The results as files with their findings grouped by table."""
    out: list[FileReview] = []
    for item in results:
        if isinstance(item, tuple):
            path, findings = item
            errors: tuple[tuple[str, SourceRef | None], ...] = ()
        else:
            path, findings, errors = item.path, item.findings, tuple(item.errors)
        out.append(FileReview(str(path), _group(findings), errors))
    return out


def rule_title(code: str) -> str:
    rule = CATALOGUE.rules.get(code)
    return rule.title if rule is not None else ""


def _figure(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return show(value) if isinstance(value, Decimal) else str(value)


def numbers(finding: Finding) -> str:
    """ "填写值：9；应为：9.99" (what is there, and what it should be)."""
    parts = []
    if finding.actual is not None:
        parts.append(f"填写值：{_figure(finding.actual)}")
    if finding.expected is not None:
        parts.append(f"应为：{_figure(finding.expected)}")
    return "；".join(parts)


def where(source: SourceRef | None) -> str:
    """A place in the file as a reader says it: 第2页 第3个表格 第5行第4列, 第120行."""
    if source is None:
        return ""
    parts = []
    if source.page is not None:
        parts.append(f"第{source.page}页")
    if source.sheet is not None:
        parts.append(f"工作表“{source.sheet}”")
    if source.table is not None:
        parts.append(f"第{source.table}个表格")
    cell = ""
    if source.row is not None:
        cell += f"第{source.row}行"
    if source.column is not None:
        cell += f"第{source.column}列"
    if not cell and source.line is not None:
        cell = f"第{source.line}行"
    if cell:
        parts.append(cell)
    return " ".join(parts)


def place(finding: Finding) -> str:
    """The table, indicator and field a finding concerns, and where it is in the file."""
    parts = []
    if finding.table is not None:
        parts.append(f"表{finding.table.index}")
    if finding.indicator:
        parts.append(f"指标“{finding.indicator}”")
    label = finding.field_label
    if label:
        parts.append(f"栏目：{label}")
    location = where(finding.source)
    if location:
        parts.append(f"原文{location}")
    return "；".join(parts)


@dataclass(frozen=True, slots=True)
class Counts:
    files: int
    unreadable: int
    error: int
    warning: int
    info: int

    @property
    def total(self) -> int:
        return self.error + self.warning + self.info

    def sentence(self) -> str:
        text = (
            f"本次共审核文件 {self.files} 个，发现问题 {self.total} 条，其中错误 {self.error} 条、"
            f"警告 {self.warning} 条、提示 {self.info} 条"
        )
        if self.unreadable:
            text += f"；另有 {self.unreadable} 个文件未能完整读取"
        return text + "。"


def count(files: Sequence[FileReview]) -> Counts:
    findings = [f for file in files for f in file.findings]
    by = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    unreadable = sum(1 for file in files if file.errors)
    return Counts(
        len(files), unreadable, by[Severity.ERROR], by[Severity.WARNING], by[Severity.INFO]
    )


def review_docx(
    results: Iterable[ReviewInput], path: str | Path, *, fonts: FontPlan = OFFICIAL
) -> None:
    """Write the review opinion as a Word document."""
    from jixiao.render.review_docx import write_review_docx

    write_review_docx(collect(results), Path(path), fonts)


def review_xlsx(results: Iterable[ReviewInput], path: str | Path) -> None:
    """Write the review opinion as a workbook: 审核意见 (one row a finding) and 汇总."""
    from jixiao.render.review_xlsx import write_review_xlsx

    write_review_xlsx(collect(results), Path(path))


def file_name(path: str) -> str:
    return Path(path).name or path
