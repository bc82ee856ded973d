"""What the web app asks besides the basics: the list with finding counts, who may see a
table, a document's tables, comments outside a state change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, exists, false, func, insert, select

from jixiao.store.documents import now
from jixiao.store.errors import StoreError
from jixiao.store.queries import _FROM, _SUMMARY, _filtered, _summary
from jixiao.store.records import EvaluationFilter, EvaluationSummary
from jixiao.store.schema import State, comments, documents, evaluations, findings
from jixiao.store.users import require_user


@dataclass(frozen=True, slots=True)
class Listed:
    """One line of the web list: the summary, its file and its findings by severity."""

    summary: EvaluationSummary
    document_name: str
    errors: int = 0
    warnings: int = 0
    infos: int = 0


@dataclass(frozen=True, slots=True)
class ListedPage:
    items: tuple[Listed, ...]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a table belongs, for the access check, without loading it."""

    id: int
    unit_id: int | None
    state: State
    document_id: int


def _restricted(query: Any, unit_id: int | None, restrict: bool, has_errors: bool | None) -> Any:
    if restrict:
        # a filler sees its own unit's tables; one without a unit sees none
        query = query.where(evaluations.c.unit_id == unit_id if unit_id is not None else false())
    if has_errors is not None:
        erroneous = exists().where(
            and_(findings.c.evaluation_id == evaluations.c.id, findings.c.severity == "error")
        )
        query = query.where(erroneous if has_errors else ~erroneous)
    return query


def list_evaluations(
    connection: Connection,
    where: EvaluationFilter,
    *,
    unit_id: int | None = None,
    restrict: bool = False,
    has_errors: bool | None = None,
    page: int = 1,
    per_page: int = 50,
) -> ListedPage:
    """A page of the list; ``restrict`` limits it to the tables of ``unit_id``."""
    page, per_page = max(1, page), max(1, per_page)
    counted = _restricted(
        _filtered(select(func.count()).select_from(_FROM), where), unit_id, restrict, has_errors
    )
    total = int(connection.scalar(counted) or 0)
    query = (
        _restricted(
            _filtered(select(*_SUMMARY).select_from(_FROM), where), unit_id, restrict, has_errors
        )
        .order_by(
            evaluations.c.year.desc(),
            evaluations.c.department,
            evaluations.c.name,
            evaluations.c.id,
        )
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    summaries = [_summary(row) for row in connection.execute(query)]
    ids = [s.id for s in summaries]
    counts: dict[tuple[int, str], int] = {}
    names: dict[int, str] = {}
    if ids:
        for row in connection.execute(
            select(findings.c.evaluation_id, findings.c.severity, func.count())
            .where(findings.c.evaluation_id.in_(ids))
            .group_by(findings.c.evaluation_id, findings.c.severity)
        ):
            counts[(row[0], row[1])] = int(row[2])
        document_ids = sorted({s.document_id for s in summaries})
        names = dict(
            connection.execute(
                select(documents.c.id, documents.c.file_name).where(
                    documents.c.id.in_(document_ids)
                )
            ).all()
        )
    items = tuple(
        Listed(
            s,
            names.get(s.document_id, ""),
            counts.get((s.id, "error"), 0),
            counts.get((s.id, "warning"), 0),
            counts.get((s.id, "info"), 0),
        )
        for s in summaries
    )
    return ListedPage(items, total, page, per_page)


def scope(connection: Connection, evaluation_id: int) -> Scope | None:
    row = connection.execute(
        select(
            evaluations.c.id, evaluations.c.unit_id, evaluations.c.state, evaluations.c.document_id
        ).where(evaluations.c.id == evaluation_id)
    ).first()
    return None if row is None else Scope(row.id, row.unit_id, State(row.state), row.document_id)


def document_of(connection: Connection, document_id: int) -> tuple[str, str]:
    """(file name, sha256) of a stored document."""
    row = connection.execute(
        select(documents.c.file_name, documents.c.sha256).where(documents.c.id == document_id)
    ).first()
    if row is None:
        raise StoreError(f"没有编号为 {document_id} 的文件")
    return row.file_name, row.sha256


def document_tables(connection: Connection, document_id: int) -> tuple[Scope, ...]:
    """The tables stored from a document, in document order."""
    return tuple(
        Scope(row.id, row.unit_id, State(row.state), document_id)
        for row in connection.execute(
            select(evaluations.c.id, evaluations.c.unit_id, evaluations.c.state)
            .where(evaluations.c.document_id == document_id)
            .order_by(evaluations.c.table_index)
        )
    )


def add_comment(connection: Connection, evaluation_id: int, user_name: str, text: str) -> None:
    """A comment at the table's present step (the workflow adds those of a state change)."""
    user = require_user(connection, user_name)
    text = text.strip()
    if not text:
        raise StoreError("意见内容不能为空")
    state = connection.scalar(select(evaluations.c.state).where(evaluations.c.id == evaluation_id))
    if state is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    connection.execute(
        insert(comments).values(
            evaluation_id=evaluation_id, user_id=user.id, step=state, text=text, at=now()
        )
    )
