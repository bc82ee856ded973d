"""Reading back: the filtered, paged list and one evaluation with its findings and history."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select

from jixiao.loading import Loaded, decode
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
from jixiao.store.schema import comments, evaluations, findings, history, units, users

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
    return decode(Evaluation, Loaded(f"自评表{evaluation_id}", jsondata.loads(text)))


def load_evaluation(connection: Connection, evaluation_id: int) -> Evaluation:
    """The evaluation as the model, its sub-direction tables attached as ``children``.

    The descendants are read a generation at a time (one query for a fund's six
    sub-directions, not one each)."""
    text = connection.scalar(select(evaluations.c.data).where(evaluations.c.id == evaluation_id))
    if text is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    below: dict[int, list[Any]] = {}  # parent id → its children's (id, data), in order
    generation = [evaluation_id]
    while generation:
        rows = connection.execute(
            select(evaluations.c.id, evaluations.c.parent_id, evaluations.c.data)
            .where(evaluations.c.parent_id.in_(generation))
            .order_by(evaluations.c.table_index)
        ).all()
        for row in rows:
            below.setdefault(row.parent_id, []).append(row)
        generation = [row.id for row in rows]

    def build(number: int, data: str) -> Evaluation:
        evaluation = _decode(number, data)
        children = below.get(number)
        if children:
            evaluation = dataclasses.replace(
                evaluation, children=tuple(build(row.id, row.data) for row in children)
            )
        return evaluation

    return build(evaluation_id, text)


def get_evaluation(connection: Connection, evaluation_id: int) -> StoredEvaluation:
    row = connection.execute(
        select(*_SUMMARY).select_from(_FROM).where(evaluations.c.id == evaluation_id)
    ).first()
    if row is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    found = _stored_findings(connection, findings.c.evaluation_id == evaluation_id)
    # the report's own findings (基础数据表, 正文): shown with each of its tables
    report_level = _stored_findings(
        connection,
        and_(findings.c.document_id == row.document_id, findings.c.evaluation_id.is_(None)),
    )
    said = tuple(
        Comment(c.id, c.user, State(c.step), c.text, c.at, stored_path(c.path))
        for c in connection.execute(
            select(comments, users.c.name.label("user"))
            .select_from(comments.outerjoin(users, comments.c.user_id == users.c.id))
            .where(comments.c.evaluation_id == evaluation_id)
            .order_by(comments.c.id)
        )
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
        for h in connection.execute(
            select(history, users.c.name.label("user"))
            .select_from(history.outerjoin(users, history.c.user_id == users.c.id))
            .where(history.c.evaluation_id == evaluation_id)
            .order_by(history.c.id)
        )
    )
    evaluation = load_evaluation(connection, evaluation_id)
    return StoredEvaluation(_summary(row), evaluation, found, said, changes, report_level)


def _stored_findings(
    connection: Connection, where: ColumnElement[bool]
) -> tuple[StoredFinding, ...]:
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
        for f in connection.execute(select(findings).where(where).order_by(findings.c.id))
    )
