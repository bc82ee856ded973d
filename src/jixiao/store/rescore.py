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

from sqlalchemy import Connection, delete, insert, select, update

from jixiao.audit import Finding
from jixiao.model import Evaluation
from jixiao.store import jsondata
from jixiao.store.documents import finding_row, now, severity_columns
from jixiao.store.records import EditedDocument
from jixiao.store.schema import evaluations, findings, history
from jixiao.store.workflow import _edited_document, _versions

RESCORE = "rescore"  # history.action of a table scored again by a job


@dataclass(frozen=True, slots=True)
class Scored:
    """A table's new score, worked out by the service."""

    score: Decimal | None
    grade: str | None


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document's tables as read: the whole document for the recheck, each table's row
    by its index, the versions that vouch for them."""

    document: EditedDocument
    unit_id: int | None
    rows: Mapping[int, Any]  # table_index → row (id, version, score, grade, counts)
    versions: dict[int, int]


def read_document(connection: Connection, document_id: int) -> StoredDocument | None:
    versions = _versions(connection, document_id)
    rows = connection.execute(
        select(
            evaluations.c.id,
            evaluations.c.document_id,
            evaluations.c.table_index,
            evaluations.c.unit_id,
            evaluations.c.version,
            evaluations.c.score,
            evaluations.c.score_grade,
            evaluations.c.errors,
            evaluations.c.warnings,
            evaluations.c.infos,
            evaluations.c.data,
        )
        .where(evaluations.c.document_id == document_id)
        .order_by(evaluations.c.table_index)
    ).all()
    if not rows:
        return None
    from jixiao.loading import Loaded, decode

    first = decode(Evaluation, Loaded(f"自评表{rows[0].id}", jsondata.loads(rows[0].data)))
    whole = _edited_document(connection, rows[0], first)
    unit = next((r.unit_id for r in rows if r.unit_id is not None), None)
    return StoredDocument(whole, unit, {r.table_index: r for r in rows}, versions)


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
    document_id = next(iter(stored.rows.values())).document_id
    if _versions(connection, document_id, lock=True) != stored.versions:
        return None
    at = now()
    changed = 0
    old_findings = {
        (r.evaluation_id, r.code, r.severity, r.message)
        for r in connection.execute(
            select(
                findings.c.evaluation_id, findings.c.code, findings.c.severity, findings.c.message
            ).where(findings.c.document_id == document_id)
        )
    }
    ids = {index: row.id for index, row in stored.rows.items()}
    new_rows = [
        {
            "document_id": document_id,
            "evaluation_id": ids.get(f.table.index) if f.table else None,
            **finding_row(f),
        }
        for f in found
    ]
    new_findings = {(r["evaluation_id"], r["code"], r["severity"], r["message"]) for r in new_rows}
    if new_findings != old_findings:
        connection.execute(delete(findings).where(findings.c.document_id == document_id))
        if new_rows:
            connection.execute(insert(findings), new_rows)
    notes = []
    for index, row in stored.rows.items():
        scored = scores.get(index)
        if scored is None:
            continue
        counts = severity_columns(
            f.severity.value for f in found if f.table and f.table.index == index
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
        changed += 1
        connection.execute(
            update(evaluations)
            .where(evaluations.c.id == row.id)
            .values(
                score=scored.score,
                score_grade=scored.grade,
                version=row.version + 1,
                updated_at=at,
                **counts,
            )
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
    if notes:
        connection.execute(insert(history), notes)
    return changed
