"""Every table of a document scored and checked again (a new scheme or new audit settings):
read in one transaction, worked out outside it, written in a short one if no table of the
document moved meanwhile (as an edit is, ``workflow.plan_edit`` / ``apply_edit``).

A table whose score, grade or findings changed gets a new version and a history row
(``rescore``) that says the old and new score and why (the job's reason); one that did not
change is left as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, delete, insert, select, update

from jixiao.audit import Finding
from jixiao.model import Evaluation
from jixiao.store import jsondata
from jixiao.store.documents import finding_row, now, severity_columns
from jixiao.store.listing import assembled
from jixiao.store.records import EditedDocument
from jixiao.store.schema import documents, evaluations, findings, history

RESCORE = "rescore"  # history.action of a table scored again by a job


@dataclass(frozen=True, slots=True)
class Scored:
    """A table's new score, worked out by the service."""

    score: Decimal | None
    grade: str | None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document's tables as read: the whole document for the recheck, each table's row
    by its index, the versions that vouch for them, and the report's other parts as kept
    at import (None: not kept, ``document.content`` holds the file to read them from)."""

    document: EditedDocument
    unit_id: int | None
    rows: Mapping[int, Any]  # table_index → row (id, version, score, grade, counts)
    versions: dict[int, int]
    parts: str | None = None

    @property
    def document_id(self) -> int:
        return int(next(iter(self.rows.values())).document_id)


def read_document(connection: Connection, document_id: int) -> StoredDocument | None:
    return read_documents(connection, [document_id]).get(document_id)


def read_documents(
    connection: Connection, document_ids: Sequence[int]
) -> dict[int, StoredDocument]:
    """The documents that still have tables, by id, in two statements however many: each
    table decoded once, the file's bytes read only where its other parts were not kept."""
    from jixiao.loading import Loaded, decode

    rows = connection.execute(
        select(
            evaluations.c.id,
            evaluations.c.document_id,
            evaluations.c.table_index,
            evaluations.c.parent_id,
            evaluations.c.unit_id,
            evaluations.c.version,
            evaluations.c.score,
            evaluations.c.score_grade,
            evaluations.c.errors,
            evaluations.c.warnings,
            evaluations.c.infos,
            evaluations.c.data,
        )
        .where(evaluations.c.document_id.in_(document_ids))
        .order_by(evaluations.c.document_id, evaluations.c.table_index)
    ).all()
    if not rows:
        return {}
    files = {
        row.id: row
        for row in connection.execute(
            select(
                documents.c.id,
                documents.c.file_name,
                documents.c.report_parts,
                case((documents.c.report_parts.is_(None), documents.c.content)).label("content"),
            ).where(documents.c.id.in_({r.document_id for r in rows}))
        )
    }
    per_document: dict[int, list[Any]] = {}
    for row in rows:
        per_document.setdefault(row.document_id, []).append(row)
    out = {}
    for document_id, own in per_document.items():
        tables = {
            r.id: decode(Evaluation, Loaded(f"自评表{r.id}", jsondata.loads(r.data))) for r in own
        }
        top = assembled(own, tables)
        file = files[document_id]
        document = EditedDocument(top, own[0].table_index, file.file_name, file.content or b"")
        unit = next((r.unit_id for r in own if r.unit_id is not None), None)
        out[document_id] = StoredDocument(
            document,
            unit,
            {r.table_index: r for r in own},
            {r.id: r.version for r in own},
            file.report_parts,
        )
    return out


@dataclass(frozen=True, slots=True)
class Worked:
    """A document scored and checked again: the new scores by table index, the findings,
    and the report's other parts to keep when they were read from the file this time."""

    stored: StoredDocument
    scores: Mapping[int, Scored]
    found: Sequence[Finding]
    parts: str | None = None


def _shown(score: Any, grade: Any) -> str:
    if score is None:
        return "（无）"
    text = format(Decimal(score).normalize(), "f")
    return f"{text}（{grade}）" if grade else text


def write_rescore(
    connection: Connection,
    stored: StoredDocument,
    scores: Mapping[int, Scored],
    found: Sequence[Finding],
    reason: str,
    user_id: int | None,
) -> int | None:
    """Write the document's new scores (by table index) and findings; the tables changed,
    or None (nothing written) when a table of the document moved since it was read."""
    changed, moved = write_rescores(connection, [Worked(stored, scores, found)], reason, user_id)
    return None if moved else changed


def write_rescores(
    connection: Connection, worked: Sequence[Worked], reason: str, user_id: int | None
) -> tuple[int, list[int]]:
    """Write the documents' new scores and findings, a few statements for all of them: the
    tables changed, and the documents left as they were because a table of theirs moved
    since they were read (to be read and worked out again)."""
    ids = [w.stored.document_id for w in worked]
    now_versions: dict[int, dict[int, int]] = {document_id: {} for document_id in ids}
    for row in connection.execute(
        select(evaluations.c.id, evaluations.c.version, evaluations.c.document_id)
        .where(evaluations.c.document_id.in_(ids))
        .with_for_update()
    ):
        now_versions[row.document_id][row.id] = row.version
    moved = [
        w.stored.document_id
        for w in worked
        if now_versions[w.stored.document_id] != w.stored.versions
    ]
    kept = [w for w in worked if w.stored.document_id not in moved]
    if not kept:
        return 0, moved
    at = now()
    old_findings: dict[int, set[tuple[Any, ...]]] = {w.stored.document_id: set() for w in kept}
    for r in connection.execute(
        select(
            findings.c.document_id,
            findings.c.evaluation_id,
            findings.c.code,
            findings.c.severity,
            findings.c.message,
        ).where(findings.c.document_id.in_(list(old_findings)))
    ):
        old_findings[r.document_id].add((r.evaluation_id, r.code, r.severity, r.message))
    replaced: list[int] = []
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for w in kept:
        stored, document_id = w.stored, w.stored.document_id
        ids_by_index = {index: row.id for index, row in stored.rows.items()}
        owners = [ids_by_index.get(f.table.index) if f.table else None for f in w.found]
        mine = {
            (owner, f.code, f.severity.value, f.message)
            for owner, f in zip(owners, w.found, strict=True)
        }
        if mine != old_findings[document_id]:  # the rows made only for findings that changed
            replaced.append(document_id)
            new_rows += [
                {"document_id": document_id, "evaluation_id": owner, **finding_row(f)}
                for owner, f in zip(owners, w.found, strict=True)
            ]
        for index, row in stored.rows.items():
            scored = w.scores.get(index)
            if scored is None:
                continue
            counts = severity_columns(
                f.severity.value for f in w.found if f.table and f.table.index == index
            )
            same_score = (row.score is None) == (scored.score is None) and (
                scored.score is None or Decimal(row.score) == scored.score
            )
            same = (
                same_score
                and row.score_grade == scored.grade
                and (row.errors, row.warnings, row.infos)
                == (counts["errors"], counts["warnings"], counts["infos"])
            )
            if same:
                continue
            updates.append(
                {
                    "table": row.id,
                    "new_score": scored.score,
                    "new_grade": scored.grade,
                    "new_version": row.version + 1,
                    "new_errors": counts["errors"],
                    "new_warnings": counts["warnings"],
                    "new_infos": counts["infos"],
                }
            )
            found_before = f"错误{row.errors} 警告{row.warnings} 提示{row.infos}"
            found_now = f"错误{counts['errors']} 警告{counts['warnings']} 提示{counts['infos']}"
            notes.append(
                {
                    "evaluation_id": row.id,
                    "user_id": user_id,
                    "at": at,
                    "action": RESCORE,
                    "field": None,
                    "old": jsondata.dumps(f"{_shown(row.score, row.score_grade)}；{found_before}"),
                    "new": jsondata.dumps(f"{_shown(scored.score, scored.grade)}；{found_now}"),
                    "note": reason,
                }
            )
    if replaced:
        connection.execute(delete(findings).where(findings.c.document_id.in_(replaced)))
    if new_rows:
        connection.execute(insert(findings), new_rows)
    if updates:
        connection.execute(
            update(evaluations)
            .where(evaluations.c.id == bindparam("table"))
            .values(
                score=bindparam("new_score"),
                score_grade=bindparam("new_grade"),
                version=bindparam("new_version"),
                errors=bindparam("new_errors"),
                warnings=bindparam("new_warnings"),
                infos=bindparam("new_infos"),
                updated_at=at,
            ),
            updates,
        )
    if notes:
        connection.execute(insert(history), notes)
    parts = [
        {"document": w.stored.document_id, "parts": w.parts} for w in kept if w.parts is not None
    ]
    if parts:
        connection.execute(
            update(documents)
            .where(documents.c.id == bindparam("document"))
            .values(report_parts=bindparam("parts")),
            parts,
        )
    return len(updates), moved
