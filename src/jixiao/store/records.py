"""What goes into the store and what comes out: frozen values, never ORM rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jixiao.audit import Finding, Severity, TableRef
from jixiao.loading import Loaded, decode
from jixiao.model import Evaluation, FieldPath, SourceRef
from jixiao.scoring import EvaluationScore
from jixiao.store.policy import Role, State


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A read, scored and checked file, ready to be stored in one transaction.

    ``evaluations`` are the top-level tables (children inside them); ``scores`` is every
    table scored, flat in document order (``Evaluation.walk``), or empty; ``findings`` refer
    to tables by that 1-based position (``TableRef.index``), as ``jixiao check`` numbers them.
    """

    file_name: str
    content: bytes
    evaluations: tuple[Evaluation, ...] = ()
    scores: tuple[EvaluationScore, ...] = ()
    findings: tuple[Finding, ...] = ()
    unit: str | None = None
    uploaded_by: str | None = None
    parts: str | None = None  # the report without its tables (JSON), for later rescores


class ImportStatus(StrEnum):
    IMPORTED = "imported"
    EXISTS = "exists"

    @property
    def label(self) -> str:
        return "导入" if self is ImportStatus.IMPORTED else "已存在"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    status: ImportStatus
    document_id: int
    file_name: str  # of the stored document (the first upload, when it already existed)
    sha256: str
    evaluations: int
    findings: int
    unit_id: int | None = None  # the unit the document is filed under
    replaced: int = 0  # tables that became a new version of a stored record


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    display_name: str | None
    role: Role
    unit: str | None
    unit_id: int | None
    active: bool


@dataclass(frozen=True, slots=True)
class EvaluationSummary:
    """One line of the list: what the filters and columns need."""

    id: int
    document_id: int
    table_index: int
    parent_id: int | None
    kind: str
    year: int | None
    name: str | None
    department: str | None
    unit: str | None
    state: State
    total: Decimal | None
    grade: str | None
    score: Decimal | None
    score_grade: str | None
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredFinding:
    id: int
    evaluation_id: int | None
    code: str
    severity: str
    rule: str
    message: str
    field: str | None
    indicator: str | None
    expected: str | None
    actual: str | None
    advice: str | None
    source: dict[str, Any] | None
    paths: tuple[FieldPath, ...] = ()

    def as_finding(self, table: TableRef | None) -> Finding:
        """The audit's own value again (``table`` for a finding of a table, None for one of
        the report itself): for the serialiser and the review renderers."""
        source = None
        if self.source:
            source = decode(SourceRef, Loaded(f"finding{self.id}", dict(self.source)))
        return Finding(
            code=self.code,
            severity=Severity(self.severity),
            message=self.message,
            rule=self.rule,
            table=table,
            indicator=self.indicator,
            field=self.field,
            expected=self.expected,
            actual=self.actual,
            source=source,
            advice=self.advice,
            paths=self.paths,
        )


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    user: str | None
    step: State
    text: str
    at: datetime
    path: FieldPath | None = None  # the cell commented on; None: the table


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    user: str | None
    at: datetime
    action: str  # import | edit | correct | derived | state | version (workflow.Action)
    path: FieldPath | None  # the edited field; ``state`` for a step
    old: Any
    new: Any
    note: str | None = None  # a correction's reason, a new version's file


@dataclass(frozen=True, slots=True)
class StoredEvaluation:
    summary: EvaluationSummary
    # with its children attached, unless read without them (``Store.evaluation``)
    evaluation: Evaluation
    findings: tuple[StoredFinding, ...] = ()
    comments: tuple[Comment, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    # the findings of its document that concern no table (基础数据表, 正文)
    report_findings: tuple[StoredFinding, ...] = ()
    document: tuple[str, str] | None = None  # its file: (name, sha256), read with it
    # its sub-directions' names (a fund's), in order: read with it, children or not
    sub_directions: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class EvaluationFilter:
    """List filters; ``grade`` is the recomputed grade, ``search`` matches name or department."""

    year: int | None = None
    department: str | None = None
    kind: str | None = None
    grade: str | None = None
    state: State | None = None
    unit: str | None = None
    search: str | None = None
    top_level: bool = False  # only tables that are not a fund's sub-direction


@dataclass(frozen=True, slots=True)
class Page:
    items: tuple[EvaluationSummary, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class Rescored:
    """What an edit changes besides the data: the new score, grade and findings.

    ``findings`` are the edited table's. ``document_findings``, when given, are those of
    the whole document rechecked with the edit (table-level ones numbered by ``table_index``,
    report-level ones without a table): they replace every finding of the document, since
    an edit can settle or raise a cross-table finding on another table."""

    score: Decimal | None
    score_grade: str | None
    findings: tuple[Finding, ...] = field(default=())
    document_findings: tuple[Finding, ...] | None = None


@dataclass(frozen=True, slots=True)
class EditedDocument:
    """The document of an edited table, as its recheck needs it: the tables as they now
    stand (the edit included, sub-directions under their parents), the edited table's
    number among them (1-based, document order), and the uploaded file."""

    evaluations: tuple[Evaluation, ...]
    table_index: int
    file_name: str
    content: bytes


Rescore = Callable[[Evaluation, EditedDocument], Rescored]
