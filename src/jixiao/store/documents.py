"""Storing an uploaded file with its evaluations and findings: all of it, or nothing."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, Table, func, insert, select

from jixiao.audit import Finding
from jixiao.loading import encode
from jixiao.model import Evaluation
from jixiao.model.field_path import format_many
from jixiao.scoring import EvaluationScore
from jixiao.store import jsondata
from jixiao.store.errors import StoreError
from jixiao.store.policy import State
from jixiao.store.records import ImportOutcome, ImportStatus, NewDocument
from jixiao.store.schema import documents, evaluations, findings, history, units, users


def now() -> datetime:
    """Naive UTC, the one time zone of the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def unit_id(connection: Connection, name: str | None, *, create: bool = True) -> int | None:
    """The unit's id, created on first mention."""
    if not name:
        return None
    found = connection.scalar(select(units.c.id).where(units.c.name == name))
    if found is not None:
        return int(found)
    if not create:
        raise StoreError(f"没有这个单位：{name}")
    result = connection.execute(insert(units).values(name=name, created_at=now()))
    return new_id(result)


def user_id(connection: Connection, name: str | None) -> int | None:
    if name is None:
        return None
    found = connection.scalar(select(users.c.id).where(users.c.name == name))
    if found is None:
        raise StoreError(f"没有这个用户：{name}")
    return int(found)


def existing(connection: Connection, digest: str) -> ImportOutcome | None:
    return existing_many(connection, [digest]).get(digest)


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Slices short enough for one ``IN (…)`` (SQLite bounds the parameters of a statement)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _per_document(connection: Connection, table: Table, ids: list[int]) -> dict[int, int]:
    rows = connection.execute(
        select(table.c.document_id, func.count())
        .where(table.c.document_id.in_(ids))
        .group_by(table.c.document_id)
    )
    return {int(document): int(count) for document, count in rows}


def existing_many(connection: Connection, digests: Sequence[str]) -> dict[str, ImportOutcome]:
    """The stored documents among ``digests``, with their tables and findings counted."""
    out: dict[str, ImportOutcome] = {}
    for chunk in _chunks(sorted(set(digests))):
        rows = connection.execute(
            select(
                documents.c.id, documents.c.file_name, documents.c.sha256, documents.c.unit_id
            ).where(documents.c.sha256.in_(chunk))
        ).all()
        if not rows:
            continue
        ids = [row.id for row in rows]
        tables = _per_document(connection, evaluations, ids)
        found = _per_document(connection, findings, ids)
        for row in rows:
            out[row.sha256] = ImportOutcome(
                ImportStatus.EXISTS,
                row.id,
                row.file_name,
                row.sha256,
                tables.get(row.id, 0),
                found.get(row.id, 0),
                row.unit_id,
            )
    return out


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """Contract §1 data of one table; its children are stored as rows of their own."""
    data: dict[str, Any] = encode(evaluation)
    data["children"] = []
    return data


def evaluation_columns(evaluation: Evaluation) -> dict[str, Any]:
    """The columns the list filters on and the dashboard sums, taken from the evaluation
    itself (written on import and on every edit, so they never disagree with ``data``)."""
    budget, executed = evaluation.funds.annual_budget, evaluation.funds.executed
    rate = None
    if budget is not None and executed is not None and float(budget) > 0:
        # as migration 0003 computes it for rows stored before it
        rate = float(executed) * 100.0 / float(budget)
    return {
        "kind": evaluation.kind,
        "year": evaluation.year,
        "name": evaluation.name,
        "department": evaluation.department,
        "total": evaluation.total.score,
        "grade": evaluation.grade,
        "annual_budget": budget,
        "executed": executed,
        "execution_rate": rate,
        "reporting_department": reporting_department(evaluation),
    }


def reporting_department(evaluation: Evaluation) -> str | None:
    """The department the dashboard counts a table under: 主管部门; a department table
    (部门整体支出) names its own department in 预算部门名称 and often leaves 主管部门 blank."""
    if evaluation.department is not None:
        return evaluation.department
    return evaluation.name if evaluation.kind == "department" else None


SEVERITY_COLUMNS = {"error": "errors", "warning": "warnings", "info": "infos"}


def severity_columns(severities: Iterable[str]) -> dict[str, int]:
    """A table's findings counted by severity, as its ``errors``/``warnings``/``infos``."""
    counts = dict.fromkeys(SEVERITY_COLUMNS.values(), 0)
    for severity in severities:
        column = SEVERITY_COLUMNS.get(severity)
        if column is not None:
            counts[column] += 1
    return counts


def finding_row(finding: Finding) -> dict[str, Any]:
    def text(value: object) -> str | None:
        return None if value is None else str(value)

    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "field": finding.field,
        "indicator": finding.indicator,
        "expected": text(finding.expected),
        "actual": text(finding.actual),
        "advice": finding.advice,
        "source": jsondata.dumps(encode(finding.source)) if finding.source else None,
        "path": format_many(finding.paths),
    }


@dataclass(slots=True)
class _Table:
    """One table of a batch on its way in: where it sits, and its id once inserted."""

    document: int  # position of its document in the batch
    index: int  # 1-based, in document order
    evaluation: Evaluation
    score: EvaluationScore | None
    parent: _Table | None
    depth: int
    id: int = 0


def _insert_ids(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their ids in order: one multi-row statement where the
    database returns ids of an executemany in order (SQLite 3.35+, PostgreSQL), else row
    by row. Parameters stay apart from the statement, so it is compiled once per process."""
    if not rows:
        return []
    if connection.dialect.insert_executemany_returning_sort_by_parameter_order:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(row[0]) for row in connection.execute(statement, rows)]
    return [new_id(connection.execute(insert(table), row)) for row in rows]


def _tables(new: NewDocument, position: int) -> list[_Table]:
    """The document's tables in document order (``Evaluation.walk``), each with its parent."""
    out: list[_Table] = []

    def add(evaluation: Evaluation, parent: _Table | None) -> None:
        depth = parent.depth + 1 if parent else 0
        table = _Table(position, len(out) + 1, evaluation, None, parent, depth)
        out.append(table)
        for child in evaluation.children:
            add(child, table)

    for evaluation in new.evaluations:
        add(evaluation, None)
    scores: list[EvaluationScore | None] = list(new.scores) or [None] * len(out)
    if len(scores) != len(out):
        raise ValueError(f"{len(scores)} scores for {len(out)} evaluations")
    for table, score in zip(out, scores, strict=True):
        table.score = score
    return out


@dataclass(slots=True)
class _Names:
    """Units and users of a batch by name, each looked up (or the unit created) once."""

    connection: Connection
    units: dict[str | None, int | None] = dataclasses.field(default_factory=dict)
    users: dict[str | None, int | None] = dataclasses.field(default_factory=dict)

    def unit(self, name: str | None) -> int | None:
        if name not in self.units:
            self.units[name] = unit_id(self.connection, name)
        return self.units[name]

    def user(self, name: str | None) -> int | None:
        if name not in self.users:
            self.users[name] = user_id(self.connection, name)
        return self.users[name]


def _insert_documents(
    names: _Names, news: list[tuple[NewDocument, str]], at: datetime
) -> list[int]:
    rows = [
        {
            "file_name": new.file_name,
            "sha256": digest,
            "size": len(new.content),
            "content": new.content,
            "unit_id": names.unit(new.unit),
            "uploaded_by": names.user(new.uploaded_by),
            "uploaded_at": at,
            "report_parts": new.parts,
        }
        for new, digest in news
    ]
    return _insert_ids(names.connection, documents, rows)


def _evaluation_row(
    table: _Table, document_id: int, unit: int | None, at: datetime, severities: list[str]
) -> dict[str, Any]:
    score, evaluation = table.score, table.evaluation
    return {
        **severity_columns(severities),
        "document_id": document_id,
        "table_index": table.index,
        "parent_id": table.parent.id if table.parent else None,
        "unit_id": unit,
        "state": State.DRAFT.value,
        "score": score.total if score else None,
        "score_grade": score.grade if score else None,
        "scheme": score.scheme_name if score else evaluation.scheme,
        "data": jsondata.dumps(evaluation_data(evaluation)),
        "version": 1,
        "created_at": at,
        "updated_at": at,
        **evaluation_columns(evaluation),
    }


def _insert_evaluations(
    names: _Names,
    news: list[tuple[NewDocument, str]],
    document_ids: list[int],
    at: datetime,
) -> list[list[_Table]]:
    """Every table of every document, a level at a time (funds before their sub-directions,
    whose rows need the fund's id), each level one statement; an import history row each."""
    connection = names.connection
    per_document = [_tables(new, position) for position, (new, _) in enumerate(news)]
    units = [names.unit(new.unit) for new, _ in news]
    flat = [table for tables in per_document for table in tables]
    severities: dict[tuple[int, int], list[str]] = {}  # (document, table index) → severities
    for position, (new, _) in enumerate(news):
        for finding in new.findings:
            if finding.table is not None:
                key = (position, finding.table.index)
                severities.setdefault(key, []).append(finding.severity.value)
    for depth in range(max((t.depth for t in flat), default=-1) + 1):
        level = [t for t in flat if t.depth == depth]
        rows = [
            _evaluation_row(
                t,
                document_ids[t.document],
                units[t.document],
                at,
                severities.get((t.document, t.index), []),
            )
            for t in level
        ]
        for table, number in zip(level, _insert_ids(connection, evaluations, rows), strict=True):
            table.id = number
    uploaders = [names.user(new.uploaded_by) for new, _ in news]
    history_rows = [
        {"evaluation_id": t.id, "user_id": uploaders[t.document], "at": at, "action": "import"}
        for t in flat
    ]
    if history_rows:
        connection.execute(insert(history), history_rows)
    return per_document


def _insert_findings(
    connection: Connection,
    news: list[tuple[NewDocument, str]],
    document_ids: list[int],
    tables: list[list[_Table]],
) -> None:
    rows = []
    for (new, _), document_id, own in zip(news, document_ids, tables, strict=True):
        ids = {t.index: t.id for t in own}
        rows += [
            {
                "document_id": document_id,
                "evaluation_id": ids.get(f.table.index) if f.table else None,
                **finding_row(f),
            }
            for f in new.findings
        ]
    if rows:
        connection.execute(insert(findings), rows)


def import_documents(connection: Connection, batch: Sequence[NewDocument]) -> list[ImportOutcome]:
    """Store a batch inside the caller's transaction, a few statements for the whole batch
    (a province loads in seconds, not one round trip per row); files already stored, or
    twice in the batch, are only reported. Outcomes in the order of ``batch``."""
    digests = [sha256(new.content) for new in batch]
    known = existing_many(connection, digests)
    first: dict[str, int] = {}  # digest → position of its first new copy in the batch
    for position, digest in enumerate(digests):
        if digest not in known:
            first.setdefault(digest, position)
    news = [(batch[position], digest) for digest, position in first.items()]
    at = now()
    names = _Names(connection)
    document_ids = _insert_documents(names, news, at)
    tables = _insert_evaluations(names, news, document_ids, at)
    _insert_findings(connection, news, document_ids, tables)
    for (new, digest), document_id, own in zip(news, document_ids, tables, strict=True):
        known[digest] = ImportOutcome(
            ImportStatus.EXISTS, document_id, new.file_name, digest, len(own), len(new.findings)
        )
    return [
        dataclasses.replace(known[digest], status=ImportStatus.IMPORTED)
        if first.get(digest) == position
        else known[digest]
        for position, digest in enumerate(digests)
    ]


def import_document(connection: Connection, new: NewDocument) -> ImportOutcome:
    """Store ``new`` inside the caller's transaction; an identical file is only reported.
    A table of the same project, unit and year as a stored record becomes that record's
    next version (``store.versions``); bulk loads (``import_documents``) store every table
    as a record of its own."""
    from jixiao.store.versions import fold_versions

    outcome = import_documents(connection, [new])[0]
    if outcome.status is ImportStatus.IMPORTED:
        folded = fold_versions(
            connection, outcome.document_id, user_id(connection, new.uploaded_by)
        )
        if folded:
            outcome = dataclasses.replace(outcome, replaced=len(folded))
    return outcome
