"""What an administrator deletes, kept whole in ``trail`` (migration 0006).

A table is deleted with all that hangs on it: its sub-directions (支出方向), findings,
comments, history, earlier versions and the reviewer's decisions; a file none of whose
tables is left goes too (so that the same file uploaded again is imported afresh, not
answered 已存在). Before anything goes, one trail row keeps who deleted it, when, why, what
people called the table, and all of the above as JSON (the files by name and digest): what
was deleted can always be told. A sub-direction is deleted only with its fund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, delete, exists, insert, or_, select

from jixiao.store import jsondata
from jixiao.store.documents import new_id, now
from jixiao.store.errors import StoreError
from jixiao.store.policy import delete_refusal
from jixiao.store.schema import (
    comments,
    documents,
    evaluation_versions,
    evaluations,
    finding_decisions,
    findings,
    history,
    trail,
    units,
    users,
)
from jixiao.store.users import require_user

DELETE = "delete"  # trail.action
_JSON = frozenset({"data", "old", "new", "source"})  # columns that hold JSON text
_HELD = frozenset({"content", "password_hash"})  # never copied: a file's bytes, a secret


@dataclass(frozen=True, slots=True)
class TrailEntry:
    """One row of the trail: what was deleted, by whom, when and why."""

    id: int
    at: datetime
    user: str | None
    action: str
    evaluation_id: int
    title: str | None
    note: str | None
    data: Any  # the record as it stood: see ``_kept``


def _plain(column: str, value: Any) -> Any:
    """A column's value as JSON keeps it: times as ISO text, JSON text as its data."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if column in _JSON and isinstance(value, str):
        try:
            return jsondata.loads(value)
        except ValueError:
            return value
    if isinstance(value, Decimal | float | int | str | bool) or value is None:
        return value
    return str(value)


def _rows(connection: Connection, table: Table, *where: Any) -> list[dict[str, Any]]:
    query = select(table).where(*where).order_by(table.c.id)
    return [
        {k: _plain(k, v) for k, v in row._mapping.items() if k not in _HELD}
        for row in connection.execute(query)
    ]


def title_of(row: Any, unit: str | None) -> str:
    """What people call a table: 名称（单位，2023年度）; a unit's own table (部门整体) by its
    name and year alone."""
    name = row.name or "（未填名称）"
    parts = [unit if unit and unit != row.name else None, f"{row.year}年度" if row.year else None]
    where = "，".join(part for part in parts if part)
    return f"{name}（{where}）" if where else name


def _kept(connection: Connection, row: Any, unit: str | None) -> dict[str, Any]:
    """Everything deleted with the table ``row``, as JSON data; its files each say whether
    they go with it (``deleted``: no other table or version uses them)."""
    tables, level, children = [row.id], [row.id], []
    while level:  # its sub-directions (and theirs)
        found = _rows(connection, evaluations, evaluations.c.parent_id.in_(level))
        children += found
        level = [child["id"] for child in found]
        tables += level
    versions = _rows(
        connection, evaluation_versions, evaluation_versions.c.evaluation_id.in_(tables)
    )
    files = _rows(
        connection,
        documents,
        documents.c.id.in_({row.document_id, *(v["document_id"] for v in versions)}),
    )
    for file in files:
        used = or_(
            exists().where(
                evaluations.c.document_id == file["id"], evaluations.c.id.not_in(tables)
            ),
            exists().where(
                evaluation_versions.c.document_id == file["id"],
                evaluation_versions.c.evaluation_id.not_in(tables),
            ),
        )
        file["deleted"] = not connection.scalar(select(used))
    gone = [file["id"] for file in files if file["deleted"]]
    of = {  # the rows of each kind that go with the table
        "findings": (
            findings,
            or_(
                findings.c.evaluation_id.in_(tables),
                findings.c.document_id.in_(gone) & findings.c.evaluation_id.is_(None),
            ),
        ),
        "comments": (comments, comments.c.evaluation_id.in_(tables)),
        "history": (history, history.c.evaluation_id.in_(tables)),
        "decisions": (finding_decisions, finding_decisions.c.evaluation_id.in_(tables)),
    }
    kept: dict[str, Any] = {
        "table": {**_rows(connection, evaluations, evaluations.c.id == row.id)[0], "unit": unit},
        "sub_tables": children,
        **{name: _rows(connection, table, where) for name, (table, where) in of.items()},
        "versions": versions,
        "documents": files,
    }
    # the people its rows name by id, by name
    named = {
        item.get(key)
        for rows in kept.values()
        if isinstance(rows, list)
        for item in rows
        for key in ("user_id", "uploaded_by", "replaced_by")
    } - {None}
    kept["users"] = {
        str(r.id): r.name
        for r in connection.execute(select(users.c.id, users.c.name).where(users.c.id.in_(named)))
    }
    return kept


def delete_evaluation(
    connection: Connection, evaluation_id: int, user_name: str, reason: str
) -> TrailEntry:
    """Delete a table (an administrator, with a reason), kept whole in the trail first."""
    user = require_user(connection, user_name)
    refused = delete_refusal(user.role, reason)
    if refused is not None:
        raise StoreError(refused[1])
    row = connection.execute(
        select(evaluations).where(evaluations.c.id == evaluation_id)
    ).one_or_none()
    if row is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    if row.parent_id is not None:
        raise StoreError("支出方向（子表）随所属的自评表一起删除，不能单独删除")
    unit = connection.scalar(select(units.c.name).where(units.c.id == row.unit_id))
    kept = _kept(connection, row, unit)
    at = now()
    title = title_of(row, unit)
    result = connection.execute(
        insert(trail).values(
            at=at,
            user_id=user.id,
            action=DELETE,
            evaluation_id=row.id,
            title=title,
            note=reason.strip(),
            data=jsondata.dumps(kept),
        )
    )
    # the table goes with what hangs on it (foreign keys: sub-tables, findings, comments,
    # history, versions, decisions); then each of its files no table or version still uses
    connection.execute(delete(evaluations).where(evaluations.c.id == row.id))
    gone = [file["id"] for file in kept["documents"] if file["deleted"]]
    if gone:
        connection.execute(delete(findings).where(findings.c.document_id.in_(gone)))
        connection.execute(delete(documents).where(documents.c.id.in_(gone)))
    return TrailEntry(new_id(result), at, user.name, DELETE, row.id, title, reason.strip(), kept)


def trail_entries(
    connection: Connection, limit: int = 100, entry_id: int | None = None
) -> list[TrailEntry]:
    """The latest deletions, the newest first (or the one ``entry_id``)."""
    query = (
        select(trail, users.c.name.label("user"))
        .select_from(trail.outerjoin(users, trail.c.user_id == users.c.id))
        .order_by(trail.c.at.desc(), trail.c.id.desc())
        .limit(limit)
    )
    if entry_id is not None:
        query = query.where(trail.c.id == entry_id)
    return [
        TrailEntry(
            r.id, r.at, r.user, r.action, r.evaluation_id, r.title, r.note, jsondata.loads(r.data)
        )
        for r in connection.execute(query)
    ]
