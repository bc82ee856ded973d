"""The review opinion (审核意见) on checked files, as a Word letter and as a workbook.

Input is what ``jixiao check`` produces: one result per file with its findings (and the
problems that kept it from being read). ``CheckedFile`` objects of the service layer fit
as they are (anything with ``path``, ``findings`` and ``errors``); plain
``(file name, findings)`` pairs do too. Findings are grouped by file, then by table; each
shows its rule (code and title), severity, place (表2 第3行（年度资金总额）“得分”栏, as the
unit finds it in the table it sent), the figures (the value written, and beside it the one
worked out or the one it is compared with, each named: 复算值, 年度指标值), and what to
correct.

A table reviewed in the web app comes as a ``SignedReview``: its findings each with the
reviewer's decision (``Ruling``: 需修改 / 已核实无误 / 可忽略, with a comment), the notes left on
its cells, and where the review stands (``Signature``): the conclusion follows the state
(退回修改, 审核通过, 已公开) and names the reviewer and the date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from jixiao.audit import CATALOGUE, Decision, Finding, Severity
from jixiao.audit.rule import Rule, show
from jixiao.model import FieldPath, SourceRef
from jixiao.model.field_path import FIELD_LABELS

if TYPE_CHECKING:
    from jixiao.render.fonts import FontPlan

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


@dataclass(frozen=True, slots=True)
class Ruling:
    """The reviewer's decision on one finding, as the opinion prints it."""

    decision: Decision  # 需修改 / 已核实无误 / 可忽略
    comment: str = ""
    by: str | None = None
    at: date | None = None

    def text(self) -> str:
        label = self.decision.label
        return f"{label}：{self.comment}" if self.comment else label


@dataclass(frozen=True, slots=True)
class Note:
    """A comment the reviewer (or the unit) left on a cell of the table, or on the table."""

    place: str  # as a reader says it; empty for the table as a whole
    text: str
    by: str | None = None
    at: date | None = None


class Verdict(StrEnum):
    """Where the review of a table stands: what its opinion can conclude."""

    DRAFT = "draft"  # not submitted: nothing to conclude
    PENDING = "pending"  # submitted, under review
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Signature:
    """The conclusion of a reviewed table: the verdict, who gave it and when (the step's
    comment with it), the date it was published, the notes and other comments."""

    verdict: Verdict
    reviewer: str | None = None
    at: date | None = None
    comment: str = ""
    published: date | None = None
    notes: tuple[Note, ...] = ()
    reviewing_unit: str | None = None

    @property
    def signed(self) -> bool:
        return self.verdict in (Verdict.RETURNED, Verdict.APPROVED, Verdict.PUBLISHED)


@dataclass(frozen=True, slots=True)
class SignedReview:
    """One table reviewed in the web app: its findings, each with the reviewer's decision
    (None: not decided), and the conclusion."""

    path: str
    findings: Sequence[tuple[Finding, Ruling | None]]
    signature: Signature


ReviewInput = CheckedLike | tuple[str, Sequence[Finding]] | SignedReview


@dataclass(frozen=True, slots=True)
class TableGroup:
    """The findings about one table (``index`` None: the report as a whole), with the
    reviewer's decision on each where there is one (``rulings``, in the same order)."""

    index: int | None
    title: str
    findings: tuple[Finding, ...]
    rulings: tuple[Ruling | None, ...] = ()

    def ruled(self) -> list[tuple[Finding, Ruling | None]]:
        rulings = self.rulings or (None,) * len(self.findings)
        return list(zip(self.findings, rulings, strict=True))


@dataclass(frozen=True, slots=True)
class FileReview:
    path: str
    groups: tuple[TableGroup, ...]
    errors: tuple[tuple[str, SourceRef | None], ...]
    signature: Signature | None = None  # a table reviewed in the web app

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for group in self.groups for f in group.findings)

    @property
    def rulings(self) -> list[Ruling | None]:
        return [r for group in self.groups for _, r in group.ruled()]


def _group(findings: Sequence[tuple[Finding, Ruling | None]]) -> tuple[TableGroup, ...]:
    """By table in document order, whole-report findings last; errors first in a group.
    A table is headed by its number among the self-evaluation tables and its title, and
    by the table of the file it was read from when its findings name one (原文表2)."""
    tables: dict[int | None, list[tuple[Finding, Ruling | None]]] = {}
    titles: dict[int | None, str] = {None: OTHER_TABLES}
    for finding, ruling in findings:
        index = finding.table.index if finding.table is not None else None
        tables.setdefault(index, []).append((finding, ruling))
        if finding.table is not None and index not in titles:
            titles[index] = f"自评表{index}：{finding.table.title or '（无标题）'}"
    for index, found in tables.items():
        read_from = {f.source.table for f, _ in found if f.source and f.source.table}
        if index is not None and len(read_from) == 1:
            titles[index] += f"（原文表{read_from.pop()}）"
    order = sorted(tables, key=lambda i: (i is None, i or 0))
    out = []
    for i in order:
        ranked = sorted(tables[i], key=lambda pair: -pair[0].severity.rank)
        rulings = tuple(r for _, r in ranked)
        out.append(
            TableGroup(
                i,
                titles[i],
                tuple(f for f, _ in ranked),
                rulings if any(r is not None for r in rulings) else (),
            )
        )
    return tuple(out)


def collect(results: Iterable[ReviewInput]) -> list[FileReview]:
    """The results as files with their findings grouped by table."""
    out: list[FileReview] = []
    for item in results:
        signature = None
        errors: tuple[tuple[str, SourceRef | None], ...] = ()
        if isinstance(item, SignedReview):
            path, pairs, signature = item.path, list(item.findings), item.signature
        elif isinstance(item, tuple):
            path, pairs = item[0], [(f, None) for f in item[1]]
        else:
            path, pairs = item.path, [(f, None) for f in item.findings]
            errors = tuple(item.errors)
        out.append(FileReview(str(path), _group(pairs), errors, signature))
    return out


def rule_title(code: str) -> str:
    rule = CATALOGUE.rules.get(code)
    return rule.title if rule is not None else ""


def _figure(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return show(value) if isinstance(value, Decimal) else str(value)


def figure_labels(code: str) -> tuple[str, str]:
    """What a rule's two figures are: (填写值, 复算值) unless the rule names them (DV03:
    实际完成值 beside 年度指标值, which is a comparison, never a value to copy)."""
    rule = CATALOGUE.rules.get(code)
    if rule is None:
        return Rule.actual_label, Rule.expected_label
    return rule.actual_label, rule.expected_label


def numbers(finding: Finding) -> str:
    """ "填写值：9；复算值：9.99": the value written, and the one worked out or compared with,
    each named as the rule says."""
    actual_label, expected_label = figure_labels(finding.code)
    parts = []
    if finding.actual is not None:
        parts.append(f"{actual_label}：{_figure(finding.actual)}")
    if finding.expected is not None:
        parts.append(f"{expected_label}：{_figure(finding.expected)}")
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


def column_word(path: FieldPath) -> str | None:
    """The column of the form a field sits in (得分, 全年执行数, 偏差原因分析及改进措施);
    None for a path that ends on a row or a written key (the row as a whole)."""
    leaf = path.leaf
    if leaf is None or (len(path.parts) > 1 and path.parts[0] == "level1_weights"):
        return None
    return FIELD_LABELS.get(leaf)


def cell_place(
    source: SourceRef | None,
    paths: Sequence[FieldPath],
    indicator: str | None = None,
    in_table: bool = True,
) -> str:
    """Where a field is, as the unit finds it in the table it sent: 表2 第18行（规模工业总产值
    同比增长）“得分”栏 when the reading kept the row; else the field in the form's words
    (第6个指标“…”的“得分”) with the table and the line of the file (表1 年度总体目标
    （原文第97行）); a finding of the report's text by its line (报告正文第45行)."""
    columns = [word for word in (column_word(p) for p in paths) if word]
    label = "、".join(dict.fromkeys(p.label() for p in paths if p.label()))
    if indicator and "个指标" in label:
        label = label.replace("个指标", f"个指标“{indicator}”", 1)
    elif indicator and not label:
        label = f"指标“{indicator}”"
    if source is None:
        return label
    if not in_table:
        location = where(source)
        text = f"报告正文{location}" if location else "报告正文"
        return text + (f"（对照{label}）" if label else "")
    head = []
    if source.page is not None:
        head.append(f"第{source.page}页")
    if source.sheet is not None:
        head.append(f"工作表“{source.sheet}”")
    if source.table is not None:
        head.append(f"表{source.table}")
    if source.row is None:
        line = f"（原文第{source.line}行）" if source.line is not None else ""
        return " ".join([*head, label]).strip() + line
    row = f"第{source.row}行"
    name = (indicator or source.excerpt or "").strip()
    if name and name not in columns:
        row += f"（{name}）"
    cells = "".join(f"“{word}”" for word in dict.fromkeys(columns))
    return " ".join([*head, row + (f"{cells}栏" if cells else "")])


def place(finding: Finding) -> str:
    """Where a finding is, as a reader finds it (see ``cell_place``); a finding of the
    report's text (正文) by its line, with the table's field it is set against."""
    source = finding.source
    rule = CATALOGUE.rules.get(finding.code)
    in_text = rule is not None and rule.in_text and source is not None and source.table is None
    return cell_place(source, finding.paths, finding.indicator, not in_text)


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


def day(value: date | None) -> str:
    """A date as an official letter writes it: 2026年12月5日; the blank to fill without one."""
    return f"{value.year}年{value.month}月{value.day}日" if value is not None else DATE_BLANK


def signed_by(by: str | None, at: date | None) -> str:
    """Who wrote a decision or a note and when: shenhe，2026年12月5日."""
    return "，".join(x for x in (by, day(at) if at else "") if x)


def signature_of(files: Sequence[FileReview]) -> Signature | None:
    """The conclusion of a single table reviewed in the web app (None for ``jixiao check``'s
    opinion on files, which the reviewer completes by hand)."""
    signed = [file.signature for file in files if file.signature is not None]
    return signed[0] if len(files) == 1 and signed else None


def subtitle(signature: Signature | None) -> str | None:
    """The line under the title of an opinion not yet signed."""
    if signature is None or signature.signed:
        return None
    if signature.verdict is Verdict.DRAFT:
        return "（自评表尚未提交审核，本意见书仅供填报单位自查）"
    return "（审核尚未完成，本意见书未签发）"


def conclusion(files: Sequence[FileReview], counts: Counts) -> list[str]:
    """The paragraphs of 审核结论: for a reviewed table what the state says (退回修改, 审核通过,
    已公开) with the reviewer's decisions counted; else what the findings call for."""
    signature = signature_of(files)
    if signature is None:
        if counts.total or counts.unreadable:
            return ["请按上述意见逐条核实修改，并在规定时间内重新报送。"]
        return ["经审核，所报材料未发现问题。"]
    rulings = [r for file in files for r in file.rulings if r is not None]
    by = {d: sum(1 for r in rulings if r.decision is d) for d in Decision}
    needs = by[Decision.NEEDS_CHANGE]
    said = [f"退回意见：{signature.comment}"] if signature.comment else []
    if signature.verdict is Verdict.DRAFT:
        return ["该自评表尚未提交审核，以上为系统审核发现的问题，请填报单位自查修改后提交。"]
    if signature.verdict is Verdict.PENDING:
        decided = f"已处理 {len(rulings)} 条，其中需修改 {needs} 条" if rulings else "尚未处理"
        return [f"该自评表正在审核中，尚未作出审核结论（审核发现的问题{decided}）。"]
    if signature.verdict is Verdict.RETURNED:
        ask = (
            f"请对上述标为“需修改”的 {needs} 条问题逐条核实修改，修改后重新报送。"
            if needs
            else "请按退回意见核实修改，修改后重新报送。"
        )
        return ["审核结论：退回修改。", *said, ask]
    head = "审核结论：审核通过。"
    if signature.verdict is Verdict.PUBLISHED:
        when = f"于{day(signature.published)}" if signature.published else ""
        head = f"审核结论：审核通过，已{when}公开。"
    lines = [head]
    if signature.comment:
        lines.append(f"审核意见：{signature.comment}")
    settled = [f"{by[d]} 条{d.label}" for d in (Decision.VERIFIED, Decision.IGNORED) if by[d]]
    if settled:
        lines.append(f"上述问题中，{'、'.join(settled)}，不影响审核结论。")
    if needs:
        lines.append(f"另有 {needs} 条标为“需修改”的问题，经审核人确认后仍予通过。")
    return lines


def review_docx(
    results: Iterable[ReviewInput], path: str | Path, *, fonts: FontPlan | None = None
) -> None:
    """Write the review opinion as a Word document (in the official fonts unless
    ``fonts``)."""
    from jixiao.render.fonts import OFFICIAL
    from jixiao.render.review_docx import write_review_docx

    write_review_docx(collect(results), Path(path), fonts or OFFICIAL)


def review_xlsx(results: Iterable[ReviewInput], path: str | Path) -> None:
    """Write the review opinion as a workbook: 审核意见 (one row a finding) and 汇总."""
    from jixiao.render.review_xlsx import write_review_xlsx

    write_review_xlsx(collect(results), Path(path))


def file_name(path: str) -> str:
    return Path(path).name or path
