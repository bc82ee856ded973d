"""Versions of a record: the same project (or department), unit and year uploaded again
becomes the next version of the record already stored, never a second record.

A new upload is stored as any other; then each of its top-level tables that matches a
stored record (same unit, kind, year and name) is folded into that record: the record keeps
its id, comments, history and workflow, takes the new file's data, findings and place, and
its former content goes to ``evaluation_versions`` (as it stood when replaced, edits made on
it included). A fund's sub-directions are matched by name within their fund. A record that
is no longer open (submitted, approved, published) is not replaced: the whole file is
refused, nothing stored.

Any two versions of a record compare field by field (``compare``): each field whose value
changed, each row added or removed, named by its ``FieldPath`` (the page says it as the form
does); where things sit in the file (sources), reading notes and confidence are left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    bindparam,
    delete,
    false,
    insert,
    null,
    select,
    true,
    union_all,
    update,
)

from jixiao.model import FieldPath
from jixiao.store import jsondata
from jixiao.store.errors import StoreError
from jixiao.store.policy import EDITABLE, State
from jixiao.store.previous import at_keys
from jixiao.store.schema import documents, evaluation_versions, evaluations, findings, history

_SPACE = re.compile(r"\s+")
# the columns a new version brings with it (the rest is the record's own)
_CARRIED = (
    "document_id",
    "table_index",
    "kind",
    "year",
    "name",
    "department",
    "total",
    "grade",
    "score",
    "score_grade",
    "scheme",
    "data",
    "annual_budget",
    "executed",
    "execution_rate",
    "errors",
    "warnings",
    "infos",
    "reporting_department",
)


def _key(name: str | None) -> str:
    return _SPACE.sub("", name or "")


@dataclass(frozen=True, slots=True)
class Folded:
    record: int  # the stored record's id
    revision: int  # its new version number


def fold_versions(connection: Connection, document_id: int, user_id: int | None) -> list[Folded]:
    """Fold the newly stored document's tables into the records they are new versions of
    (inside the caller's transaction); the records folded into, with their new versions."""
    return fold_many(connection, [document_id], [user_id])[0]


def fold_many(
    connection: Connection, document_ids: Sequence[int], user_ids: Sequence[int | None]
) -> list[list[Folded]]:
    """``fold_versions`` for each of the documents just stored (in the order stored), as if
    one after the other: a table matches the record stored before the batch, else the
    same table of an earlier document of the batch. The records are looked for once for
    the whole batch, reading only their names and states; ``StoreError`` as
    ``fold_versions`` when a match is closed (the caller stores such a file alone)."""
    if not document_ids:
        return []
    batch = set(document_ids)
    rows = connection.execute(
        select(evaluations)
        .where(evaluations.c.document_id.in_(document_ids), evaluations.c.parent_id.is_(None))
        .order_by(evaluations.c.document_id, evaluations.c.table_index)
    ).all()
    keys = {(r.unit_id, r.kind, r.year) for r in rows if _key(r.name) and r.year is not None}
    stored: dict[tuple[Any, ...], Any] = {}  # (unit, kind, year, name) → the oldest record
    for start in range(0, len(keys), 200):
        chunk = list(keys)[start : start + 200]
        for record in connection.execute(
            select(
                evaluations.c.id,
                evaluations.c.name,
                evaluations.c.state,
                evaluations.c.year,
                evaluations.c.unit_id,
                evaluations.c.kind,
                evaluations.c.document_id,
            ).where(evaluations.c.parent_id.is_(None), at_keys(chunk))
        ):
            if record.document_id in batch:
                continue
            key = (record.unit_id, record.kind, record.year, _key(record.name))
            if key not in stored or record.id < stored[key].id:
                stored[key] = record
    earlier: dict[tuple[Any, ...], Any] = {}  # the same, of the batch's earlier documents
    per_document: dict[int, list[Any]] = {}
    for row in rows:
        per_document.setdefault(row.document_id, []).append(row)
    plans = []
    for document_id, user_id in zip(document_ids, user_ids, strict=True):
        pairs, mine = [], []
        for row in per_document.get(document_id, []):
            if not _key(row.name) or row.year is None:
                continue
            key = (row.unit_id, row.kind, row.year, _key(row.name))
            match = stored.get(key) or earlier.get(key)
            if match is not None:
                pairs.append((row, match))
            else:
                mine.append((key, row))
        for key, row in mine:
            earlier.setdefault(key, row)
        plans.append((document_id, user_id, pairs))
    # the records folded into, locked in one order (two workers folding into the same
    # records wait for each other, never for each other at once), their states as now
    records = sorted({match.id for *_, pairs in plans for _, match in pairs})
    states = dict(
        connection.execute(
            select(evaluations.c.id, evaluations.c.state)
            .where(evaluations.c.id.in_(records))
            .order_by(evaluations.c.id)
            .with_for_update()
        ).all()
        if records
        else []
    )
    for *_, pairs in plans:
        closed = [old for _, old in pairs if State(states.get(old.id, old.state)) not in EDITABLE]
        if closed:
            old = closed[0]
            state = State(states.get(old.id, old.state)).label
            raise StoreError(
                f"“{old.name}”（{old.year}年度）已有一份自评表处于“{state}”状态，不能用新文件替换；"
                "请先撤回（已提交的）或请审核人员退回后再上传"
            )
    every = iter(_fold_all(connection, plans))
    return [[next(every) for _ in pairs] for *_, pairs in plans]


def _fold_all(
    connection: Connection, plans: list[tuple[int, int | None, list[Any]]]
) -> list[Folded]:
    """Every fold of the batch (each document's new tables into their records), a round at
    a time: a round folds into each record once, in a few statements for all its folds; a
    record that the batch folds into again (two new versions of it) is folded into again
    in the next round, as it then stands."""
    rounds: list[list[tuple[Any, Any, int | None, int]]] = []
    times: dict[int, int] = {}
    for document_id, user_id, pairs in plans:
        for new, match in pairs:
            number = times.get(match.id, 0)
            times[match.id] = number + 1
            if number == len(rounds):
                rounds.append([])
            rounds[number].append((new, match.id, user_id, document_id))
    folded: dict[int, Folded] = {}  # by the new table's id
    old_documents: set[int] = set()
    for folds in rounds:
        olds = {
            row.id: row
            for row in connection.execute(
                select(evaluations).where(evaluations.c.id.in_([f[1] for f in folds]))
            )
        }
        pairs = [(olds[old], new, user, document) for new, old, user, document in folds]
        old_documents |= {old.document_id for old, *_ in pairs}
        for old, new, *_ in pairs:
            folded[new.id] = Folded(old.id, old.revision + 1)
        _fold_round(connection, pairs)
    if old_documents:  # a file none of whose tables is current: its report's findings go
        current = set(
            connection.execute(
                select(evaluations.c.document_id)
                .where(evaluations.c.document_id.in_(old_documents))
                .distinct()
            ).scalars()
        )
        gone = old_documents - current
        if gone:
            connection.execute(delete(findings).where(findings.c.document_id.in_(gone)))
    return [folded[new.id] for *_, pairs in plans for new, _ in pairs]


def _fold_round(connection: Connection, pairs: list[tuple[Any, Any, int | None, int]]) -> None:
    """Make each ``new`` (a row just stored, of the document ``document``) the next version
    of its record ``old`` (each record once), in a few statements for all of them; the
    sub-directions matched by name within each fund are folded likewise."""
    at = _now()
    names = dict(
        connection.execute(
            select(documents.c.id, documents.c.file_name).where(
                documents.c.id.in_({old.document_id for old, *_ in pairs} | {d for *_, d in pairs})
            )
        ).all()
    )
    connection.execute(
        insert(evaluation_versions),
        [
            {
                "evaluation_id": old.id,
                "revision": old.revision,
                "document_id": old.document_id,
                "table_index": old.table_index,
                "data": old.data,
                "state": old.state,
                "total": old.total,
                "grade": old.grade,
                "score": old.score,
                "score_grade": old.score_grade,
                "replaced_at": at,
                "replaced_by": user,
            }
            for old, _, user, _ in pairs
        ],
    )
    olds = [old.id for old, *_ in pairs]
    news = [new.id for _, new, *_ in pairs]
    # the records' old findings go; the new ones, and the new sub-directions, are theirs
    connection.execute(delete(findings).where(findings.c.evaluation_id.in_(olds)))
    moves = [{"from_table": new.id, "to_table": old.id} for old, new, *_ in pairs]
    connection.execute(
        update(findings)
        .where(findings.c.evaluation_id == bindparam("from_table"))
        .values(evaluation_id=bindparam("to_table")),
        moves,
    )
    children: dict[int, list[Any]] = {}
    for row in connection.execute(
        select(evaluations).where(evaluations.c.parent_id.in_(olds + news))
    ):
        children.setdefault(row.parent_id, []).append(row)
    connection.execute(
        update(evaluations)
        .where(evaluations.c.parent_id == bindparam("from_table"))
        .values(parent_id=bindparam("to_table")),
        moves,
    )
    connection.execute(delete(history).where(history.c.evaluation_id.in_(news)))
    connection.execute(delete(evaluations).where(evaluations.c.id.in_(news)))
    connection.execute(
        update(evaluations)
        .where(evaluations.c.id == bindparam("record"))
        .values(
            {
                **{column: bindparam(f"new_{column}") for column in _CARRIED},
                "revision": bindparam("new_revision"),
                "version": bindparam("new_version"),
                "updated_at": at,
            }
        ),
        [
            {
                "record": old.id,
                **{f"new_{column}": new._mapping[column] for column in _CARRIED},
                "new_revision": old.revision + 1,
                "new_version": old.version + 1,
            }
            for old, new, *_ in pairs
        ],
    )
    connection.execute(
        insert(history),
        [
            {
                "evaluation_id": old.id,
                "user_id": user,
                "at": at,
                "action": "version",
                "field": None,
                "old": jsondata.dumps(f"第{old.revision}版：{names[old.document_id]}"),
                "new": jsondata.dumps(f"第{old.revision + 1}版：{names[document]}"),
                "note": f"重新上传 {names[document]}",
            }
            for old, _, user, document in pairs
        ],
    )
    below = []  # each new sub-direction with the record's of the same name (once)
    for old, new, user, document in pairs:
        mine = {_key(r.name): r for r in children.get(old.id, [])}
        for child in children.get(new.id, []):
            match = mine.pop(_key(child.name), None)
            if match is not None and _key(child.name):
                below.append((match, child, user, document))
    if below:
        _fold_round(connection, below)


def _now() -> Any:
    from jixiao.store.documents import now

    return now()


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a record: its number, file, when it came and (for an earlier one)
    when it was replaced; the current one is the record itself."""

    revision: int
    file_name: str
    uploaded_at: Any
    uploaded_by: str | None
    replaced_at: Any = None
    current: bool = False


def versions_of(connection: Connection, evaluation_id: int) -> list[Version]:
    """Every version of a record, the first first; the last is the current one. One query
    (each version's file and uploader joined, the versions' data not read): the table's
    page asks for it every time."""
    return [
        Version(
            row.revision, row.file_name, row.uploaded_at, row.name, row.replaced_at, bool(row.now)
        )
        for row in connection.execute(_VERSIONS, {"id": evaluation_id})
    ]


def _versions() -> Any:
    from jixiao.store.schema import users

    def with_file(query: Any, source: Any, document: Any) -> Any:
        uploader = documents.outerjoin(users, documents.c.uploaded_by == users.c.id)
        return query.add_columns(
            documents.c.file_name, documents.c.uploaded_at, users.c.name
        ).select_from(source.join(uploader, documents.c.id == document))

    earlier = with_file(
        select(
            evaluation_versions.c.revision,
            evaluation_versions.c.replaced_at,
            false().label("now"),
        ).where(evaluation_versions.c.evaluation_id == bindparam("id")),
        evaluation_versions,
        evaluation_versions.c.document_id,
    )
    current = with_file(
        select(
            evaluations.c.revision,
            null().label("replaced_at"),
            true().label("now"),
        ).where(evaluations.c.id == bindparam("id")),
        evaluations,
        evaluations.c.document_id,
    )
    both = union_all(earlier, current).subquery()
    return select(both).order_by(both.c.now, both.c.revision)


_VERSIONS = _versions()


def version_data(connection: Connection, evaluation_id: int, revision: int) -> dict[str, Any]:
    """The data of one version of a record (contract §1 JSON)."""
    current = connection.execute(
        select(evaluations.c.revision, evaluations.c.data).where(evaluations.c.id == evaluation_id)
    ).one_or_none()
    if current is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    if revision == current.revision:
        data: dict[str, Any] = jsondata.loads(current.data)
        return data
    text = connection.scalar(
        select(evaluation_versions.c.data).where(
            evaluation_versions.c.evaluation_id == evaluation_id,
            evaluation_versions.c.revision == revision,
        )
    )
    if text is None:
        raise StoreError(f"这张自评表没有第{revision}版")
    found: dict[str, Any] = jsondata.loads(text)
    return found


# what two versions are not compared on: where each value sat in its file, how sure the
# reading was, its notes; a fund's sub-directions are records of their own
_NOT_COMPARED = frozenset({"source", "confidence", "read_notes", "children"})


@dataclass(frozen=True, slots=True)
class Change:
    """A field changed between two versions (``old`` → ``new``), or a row (an indicator, a
    funds row) that only one of them has: ``added`` or ``removed``, its data the value."""

    path: FieldPath
    old: Any
    new: Any
    kind: str = "changed"  # changed | added | removed


def changes_between(before: Any, after: Any) -> list[Change]:
    """What changed from the data ``before`` to the data ``after`` (contract §1 JSON), in the
    order of the form; numbers compared by value (9 and 9.0 are the same)."""
    found: list[Change] = []
    _walk((), before, after, found)
    return found


def _walk(parts: tuple[str | int, ...], old: Any, new: Any, found: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            if key not in _NOT_COMPARED:
                _walk((*parts, key), old.get(key), new.get(key), found)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            path = (*parts, index)
            if index >= len(old):
                found.append(Change(FieldPath(path), None, new[index], "added"))
            elif index >= len(new):
                found.append(Change(FieldPath(path), old[index], None, "removed"))
            else:
                _walk(path, old[index], new[index], found)
    elif old != new and parts:
        found.append(Change(FieldPath(parts), old, new))


def compare(connection: Connection, evaluation_id: int, old: int, new: int) -> list[Change]:
    """What changed in a record from its version ``old`` to its version ``new``."""
    return changes_between(
        version_data(connection, evaluation_id, old), version_data(connection, evaluation_id, new)
    )
