"""Reading back: the filtered, paged list and one evaluation with its findings and history."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, bindparam, func, or_, select

from jixiao.loading import Loaded, decode_stored
from jixiao.model import Evaluation, FieldPath, FieldPathError
from jixiao.store import jsondata
from jixiao.store.errors import StoreError
from jixiao.store.policy import State
from jixiao.store.records import (
    Comment,
    EvaluationFilter,
    EvaluationSummary,
    HistoryEntry,
    Page,
    StoredEvaluation,
    StoredFinding,
)
from jixiao.store.schema import comments, documents, evaluations, findings, history, units, users

_SUMMARY = (
    evaluations.c.id,
    evaluations.c.document_id,
    evaluations.c.table_index,
    evaluations.c.parent_id,
    evaluations.c.kind,
    evaluations.c.year,
    evaluations.c.name,
    evaluations.c.department,
    units.c.name.label("unit"),
    evaluations.c.state,
    evaluations.c.total,
    evaluations.c.grade,
    evaluations.c.score,
    evaluations.c.score_grade,
    evaluations.c.version,
    evaluations.c.updated_at,
)
_FROM = evaluations.outerjoin(units, evaluations.c.unit_id == units.c.id)


_FIELDS = tuple(field.name for field in dataclasses.fields(EvaluationSummary))


def _summary(row: Any) -> EvaluationSummary:
    """The summary from a row of ``_SUMMARY`` (other columns beside them are left)."""
    values = {name: row._mapping[name] for name in _FIELDS}
    values["state"] = State(values["state"])
    return EvaluationSummary(**values)


def stored_path(text: str | None) -> FieldPath | None:
    """A path column read back; None for none (or a text no path reads, never an error)."""
    paths = stored_paths(text)
    return paths[0] if len(paths) == 1 else None


def stored_paths(text: str | None) -> tuple[FieldPath, ...]:
    """The comma-joined paths of a column; none for none or a text no path reads."""
    try:
        return FieldPath.parse_many(text) if text else ()
    except FieldPathError:
        return ()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(query: Select[Any], where: EvaluationFilter) -> Select[Any]:
    column_filters = {
        evaluations.c.year: where.year,
        evaluations.c.department: where.department,
        evaluations.c.kind: where.kind,
        evaluations.c.score_grade: where.grade,
        evaluations.c.state: where.state.value if where.state else None,
        units.c.name: where.unit,
    }
    for column, value in column_filters.items():
        if value is not None:
            query = query.where(column == value)
    if where.top_level:
        query = query.where(evaluations.c.parent_id.is_(None))
    if where.search and where.search.strip():
        pattern = _like(where.search.strip())
        query = query.where(
            or_(
                evaluations.c.name.ilike(pattern, escape="\\"),
                evaluations.c.department.ilike(pattern, escape="\\"),
            )
        )
    return query


def list_evaluations(
    connection: Connection,
    where: EvaluationFilter | None = None,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    where = where or EvaluationFilter()
    page, per_page = max(1, page), max(1, per_page)
    total = connection.scalar(_filtered(select(func.count()).select_from(_FROM), where))
    query = (
        _filtered(select(*_SUMMARY).select_from(_FROM), where)
        .order_by(
            evaluations.c.year.desc(),
            evaluations.c.department,
            evaluations.c.name,
            evaluations.c.id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = tuple(_summary(row) for row in connection.execute(query))
    return Page(items, int(total or 0), page, per_page)


def _decode(evaluation_id: int, text: str) -> Evaluation:
    return decode_stored(Evaluation, Loaded(f"自评表{evaluation_id}", jsondata.loads(text)))


# every table below one (its sub-directions, theirs …), in one statement
_BELOW = (
    select(evaluations.c.id).where(evaluations.c.parent_id == bindparam("id")).cte(recursive=True)
)
_BELOW = _BELOW.union_all(
    select(evaluations.c.id).join_from(evaluations, _BELOW, evaluations.c.parent_id == _BELOW.c.id)
)
_DESCENDANTS = (
    select(evaluations.c.id, evaluations.c.parent_id, evaluations.c.data)
    .join_from(evaluations, _BELOW, evaluations.c.id == _BELOW.c.id)
    .order_by(evaluations.c.table_index)
)


def load_evaluation(
    connection: Connection, evaluation_id: int, text: str | None = None
) -> Evaluation:
    """The evaluation as the model, its sub-direction tables attached as ``children``
    (``text``: its own ``data``, when the caller read it already).

    The descendants are read in one query (a recursive one: a fund's six sub-directions,
    and any below them)."""
    if text is None:
        text = connection.scalar(
            select(evaluations.c.data).where(evaluations.c.id == evaluation_id)
        )
    if text is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    below: dict[int, list[Any]] = {}  # parent id → its children's (id, data), in order
    for row in connection.execute(_DESCENDANTS, {"id": evaluation_id}):
        below.setdefault(row.parent_id, []).append(row)

    def build(number: int, data: str) -> Evaluation:
        evaluation = _decode(number, data)
        children = below.get(number)
        if children:
            evaluation = dataclasses.replace(
                evaluation, children=tuple(build(row.id, row.data) for row in children)
            )
        return evaluation

    return build(evaluation_id, text)


# A finding of the report itself (基础数据表, 正文), of no table. Written so that a query
# finds these by its document (an index of the findings' documents) rather than among every
# report's such findings (the index on evaluation_id, which SQLite takes for IS NULL): a
# list page's counts took 1.5 ms so on 10,000 tables, 0.2 ms by document.
OF_REPORT = func.coalesce(findings.c.evaluation_id, 0) == 0


# What a table's page reads, built once (building a select of many columns took longer
# than running it: 0.27 ms against 0.04 ms for the summary)
_ONE = (
    select(*_SUMMARY, evaluations.c.data, documents.c.file_name, documents.c.sha256)
    .select_from(_FROM.outerjoin(documents, documents.c.id == evaluations.c.document_id))
    .where(evaluations.c.id == bindparam("id"))
)
# its own findings, and its report's (基础数据表, 正文: shown with each of its tables)
_FINDINGS = (
    select(findings)
    .where(
        or_(
            findings.c.evaluation_id == bindparam("id"),
            and_(findings.c.document_id == bindparam("document"), OF_REPORT),
        )
    )
    .order_by(findings.c.id)
)
_COMMENTS = (
    select(comments, users.c.name.label("user"))
    .select_from(comments.outerjoin(users, comments.c.user_id == users.c.id))
    .where(comments.c.evaluation_id == bindparam("id"))
    .order_by(comments.c.id)
)
_HISTORY = (
    select(history, users.c.name.label("user"))
    .select_from(history.outerjoin(users, history.c.user_id == users.c.id))
    .where(history.c.evaluation_id == bindparam("id"))
    .order_by(history.c.id)
)


# a fund's sub-directions' names, in order (its page lists them: reading and decoding their
# six tables for it was 1.5 ms of the demo fund's page)
_SUB_DIRECTIONS = (
    select(evaluations.c.name)
    .where(evaluations.c.parent_id == bindparam("id"))
    .order_by(evaluations.c.table_index)
)


def get_evaluation(
    connection: Connection, evaluation_id: int, *, children: bool = True
) -> StoredEvaluation:
    """A table as its page and the API show it; ``children=False``: without its
    sub-directions' tables (``sub_directions`` still names them)."""
    row = connection.execute(_ONE, {"id": evaluation_id}).first()
    if row is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    both = _findings_of(
        connection.execute(_FINDINGS, {"id": evaluation_id, "document": row.document_id})
    )
    found = tuple(f for f in both if f.evaluation_id is not None)
    report_level = tuple(f for f in both if f.evaluation_id is None)
    said = tuple(
        Comment(c.id, c.user, State(c.step), c.text, c.at, stored_path(c.path))
        for c in connection.execute(_COMMENTS, {"id": evaluation_id})
    )
    changes = tuple(
        HistoryEntry(
            h.id,
            h.user,
            h.at,
            h.action,
            stored_path(h.field),
            jsondata.loads(h.old),
            jsondata.loads(h.new),
            h.note,
        )
        for h in connection.execute(_HISTORY, {"id": evaluation_id})
    )
    if children:
        evaluation = load_evaluation(connection, evaluation_id, row.data)
        names = tuple(child.name for child in evaluation.children)
    else:  # the sub-directions by the names in their rows, their tables left undecoded
        evaluation = _decode(evaluation_id, row.data)
        names = tuple(connection.scalars(_SUB_DIRECTIONS, {"id": evaluation_id}))
    document = None if row.file_name is None else (row.file_name, row.sha256)
    return StoredEvaluation(
        _summary(row), evaluation, found, said, changes, report_level, document, names
    )


def _stored_findings(
    connection: Connection, where: ColumnElement[bool]
) -> tuple[StoredFinding, ...]:
    return _findings_of(connection.execute(select(findings).where(where).order_by(findings.c.id)))


def _findings_of(rows: Iterable[Any]) -> tuple[StoredFinding, ...]:
    return tuple(
        StoredFinding(
            id=f.id,
            evaluation_id=f.evaluation_id,
            code=f.code,
            severity=f.severity,
            rule=f.rule,
            message=f.message,
            field=f.field,
            indicator=f.indicator,
            expected=f.expected,
            actual=f.actual,
            advice=f.advice,
            source=jsondata.loads(f.source),
            paths=stored_paths(f.path),
        )
        for f in rows
    )
