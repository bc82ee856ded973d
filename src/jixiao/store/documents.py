"""Storing an uploaded file with its evaluations and findings: all of it, or nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, func, insert, select

from jixiao.audit import Finding
from jixiao.loading import encode
from jixiao.model import Evaluation
from jixiao.scoring import EvaluationScore
from jixiao.store import jsondata
from jixiao.store.errors import StoreError
from jixiao.store.records import ImportOutcome, ImportStatus, NewDocument
from jixiao.store.schema import State, documents, evaluations, findings, history, units, users


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
    row = connection.execute(
        select(documents.c.id, documents.c.file_name).where(documents.c.sha256 == digest)
    ).first()
    if row is None:
        return None
    count = connection.scalar(
        select(func.count()).select_from(evaluations).where(evaluations.c.document_id == row.id)
    )
    found = connection.scalar(
        select(func.count()).select_from(findings).where(findings.c.document_id == row.id)
    )
    return ImportOutcome(
        ImportStatus.EXISTS, row.id, row.file_name, digest, int(count or 0), int(found or 0)
    )


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    """Contract §1 data of one table; its children are stored as rows of their own."""
    data: dict[str, Any] = encode(evaluation)
    data["children"] = []
    return data


def evaluation_columns(evaluation: Evaluation) -> dict[str, Any]:
    """The columns the list filters on, taken from the evaluation itself."""
    return {
        "kind": evaluation.kind,
        "year": evaluation.year,
        "name": evaluation.name,
        "department": evaluation.department,
        "total": evaluation.total.score,
        "grade": evaluation.grade,
    }


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
    }


def _insert_document(connection: Connection, new: NewDocument, digest: str) -> int:
    result = connection.execute(
        insert(documents),
        {
            "file_name": new.file_name,
            "sha256": digest,
            "size": len(new.content),
            "content": new.content,
            "unit_id": unit_id(connection, new.unit),
            "uploaded_by": user_id(connection, new.uploaded_by),
            "uploaded_at": now(),
        },
    )
    return new_id(result)


def _insert_evaluations(
    connection: Connection, new: NewDocument, document_id: int, unit: int | None
) -> dict[int, int]:
    """Every table in document order; returns table index → evaluation id."""
    ids: dict[int, int] = {}
    parents: dict[int, int] = {}  # id(child Evaluation) → parent's evaluation id
    tables = [table for evaluation in new.evaluations for table in evaluation.walk()]
    scores: list[EvaluationScore | None] = list(new.scores) or [None] * len(tables)
    if len(scores) != len(tables):
        raise ValueError(f"{len(scores)} scores for {len(tables)} evaluations")
    at = now()
    uploader = user_id(connection, new.uploaded_by)
    for index, (table, score) in enumerate(zip(tables, scores, strict=True), start=1):
        # parameters apart from the statement, so SQLAlchemy compiles it once per process
        result = connection.execute(
            insert(evaluations),
            {
                "document_id": document_id,
                "table_index": index,
                "parent_id": parents.get(id(table)),
                "unit_id": unit,
                "state": State.DRAFT.value,
                "score": score.total if score else None,
                "score_grade": score.grade if score else None,
                "scheme": score.scheme_name if score else table.scheme,
                "data": jsondata.dumps(evaluation_data(table)),
                "version": 1,
                "created_at": at,
                "updated_at": at,
                **evaluation_columns(table),
            },
        )
        ids[index] = new_id(result)
        for child in table.children:
            parents[id(child)] = ids[index]
        connection.execute(
            insert(history),
            {"evaluation_id": ids[index], "user_id": uploader, "at": at, "action": "import"},
        )
    return ids


def _insert_findings(
    connection: Connection, new: NewDocument, document_id: int, tables: dict[int, int]
) -> None:
    rows = [
        {
            "document_id": document_id,
            "evaluation_id": tables.get(f.table.index) if f.table else None,
            **finding_row(f),
        }
        for f in new.findings
    ]
    if rows:
        connection.execute(insert(findings), rows)


def import_document(connection: Connection, new: NewDocument) -> ImportOutcome:
    """Store ``new`` inside the caller's transaction; an identical file is only reported."""
    digest = sha256(new.content)
    found = existing(connection, digest)
    if found is not None:
        return found
    document_id = _insert_document(connection, new, digest)
    unit = unit_id(connection, new.unit)
    tables = _insert_evaluations(connection, new, document_id, unit)
    _insert_findings(connection, new, document_id, tables)
    return ImportOutcome(
        ImportStatus.IMPORTED,
        document_id,
        new.file_name,
        digest,
        len(tables),
        len(new.findings),
    )
