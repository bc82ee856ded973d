"""What the web app asks besides the basics: the list with finding counts, who may see a
table, a document's tables, comments outside a state change."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
)

from jixiao.loading import Loaded, decode_stored
from jixiao.model import Evaluation
from jixiao.store import jsondata
from jixiao.store.documents import now
from jixiao.store.errors import StoreError
from jixiao.store.policy import State
from jixiao.store.queries import _FROM, _SUMMARY, OF_REPORT, _filtered, _summary
from jixiao.store.records import EvaluationFilter, EvaluationSummary
from jixiao.store.schema import comments, documents, evaluations, findings, units
from jixiao.store.users import require_user


@dataclass(frozen=True, slots=True)
class Listed:
    """One line of the web list: the summary, its file and its findings by severity."""

    summary: EvaluationSummary
    document_name: str
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    # the findings of its report that concern no table (基础数据表, 正文), by severity
    report_counts: tuple[tuple[str, int], ...] = ()


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


_ERROR: Any = literal_column("'error'")
_NONE: Any = literal_column("0")


def _restricted(query: Any, unit_id: int | None, restrict: bool, has_errors: bool | None) -> Any:
    if restrict:
        # a filler sees its own unit's tables; one without a unit sees none
        query = query.where(evaluations.c.unit_id == unit_id if unit_id is not None else false())
    if has_errors is not None:
        # an error of the table itself, or of its report (基础数据表, 正文), each found in
        # its partial index (schema: the severity written out, as the indexes have it)
        own = exists().where(
            and_(findings.c.evaluation_id == evaluations.c.id, findings.c.severity == _ERROR)
        )
        of_report = exists().where(
            and_(
                findings.c.document_id == evaluations.c.document_id,
                findings.c.severity == _ERROR,
                func.coalesce(findings.c.evaluation_id, _NONE) == _NONE,  # OF_REPORT, written out
            )
        )
        erroneous = or_(own, of_report)
        query = query.where(erroneous if has_errors else ~erroneous)
    return query


_ORDER = (
    evaluations.c.year.desc(),
    evaluations.c.department,
    evaluations.c.name,
    evaluations.c.id,
)


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
    """A page of the list; ``restrict`` limits it to the tables of ``unit_id``.

    The page's ids are chosen first from the index kept in list order (year descending,
    department, name, id) alone; only those rows are then read in full, with their file
    name and their finding counts (summary columns). Sorting whole rows would read every
    table's ``data``.
    """
    page, per_page = max(1, page), max(1, per_page)

    # the units only when filtering on the unit's name: the join keeps SQLite from counting
    # on an index alone
    source = _FROM if where.unit is not None else evaluations

    def chosen(query: Any) -> Any:
        return _restricted(
            _filtered(query.select_from(source), where), unit_id, restrict, has_errors
        )

    total = int(connection.scalar(chosen(select(func.count()))) or 0)
    ids = (
        chosen(select(evaluations.c.id))
        .order_by(*_ORDER)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery("page")
    )
    query = (
        select(
            *_SUMMARY,
            documents.c.file_name,
            evaluations.c.errors,
            evaluations.c.warnings,
            evaluations.c.infos,
        )
        .select_from(
            _FROM.join(ids, ids.c.id == evaluations.c.id).join(
                documents, documents.c.id == evaluations.c.document_id
            )
        )
        .order_by(*_ORDER)
    )
    rows = connection.execute(query).all()
    counts = _report_counts(connection, {row.document_id for row in rows})
    items = tuple(
        Listed(
            _summary(row),
            row.file_name,
            row.errors,
            row.warnings,
            row.infos,
            counts.get(row.document_id, ()),
        )
        for row in rows
    )
    return ListedPage(items, total, page, per_page)


def published_choices(connection: Connection) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The years and the units of the published tables (已公开), for the 公开 page's filters:
    every logged-in user sees them, so they name no unit with nothing published."""
    published = evaluations.c.state == State.PUBLISHED.value
    years = connection.scalars(
        select(evaluations.c.year)
        .where(published, evaluations.c.year.is_not(None))
        .distinct()
        .order_by(evaluations.c.year.desc())
    )
    names = connection.scalars(
        select(units.c.name)
        .select_from(evaluations.join(units, evaluations.c.unit_id == units.c.id))
        .where(published)
        .distinct()
        .order_by(units.c.name)
    )
    return tuple(int(y) for y in years), tuple(str(n) for n in names)


def _report_counts(
    connection: Connection, document_ids: set[int]
) -> dict[int, tuple[tuple[str, int], ...]]:
    """Each document's own findings (no table) counted by severity."""
    if not document_ids:
        return {}
    found: dict[int, list[tuple[str, int]]] = {}
    query = (
        select(findings.c.document_id, findings.c.severity, func.count())
        .where(findings.c.document_id.in_(document_ids), OF_REPORT)
        .group_by(findings.c.document_id, findings.c.severity)
        .order_by(findings.c.document_id, findings.c.severity)
    )
    for document_id, severity, count in connection.execute(query):
        found.setdefault(document_id, []).append((severity, count))
    return {key: tuple(value) for key, value in found.items()}


_SCOPE = select(
    evaluations.c.id, evaluations.c.unit_id, evaluations.c.state, evaluations.c.document_id
).where(evaluations.c.id == bindparam("id"))
_DOCUMENT = select(documents.c.file_name, documents.c.sha256).where(
    documents.c.id == bindparam("id")
)


def scope(connection: Connection, evaluation_id: int) -> Scope | None:
    row = connection.execute(_SCOPE, {"id": evaluation_id}).first()
    return None if row is None else Scope(row.id, row.unit_id, State(row.state), row.document_id)


def document_of(connection: Connection, document_id: int) -> tuple[str, str]:
    """(file name, sha256) of a stored document."""
    row = connection.execute(_DOCUMENT, {"id": document_id}).first()
    if row is None:
        raise StoreError(f"没有编号为 {document_id} 的文件")
    return row.file_name, row.sha256


def document_content(connection: Connection, document_id: int) -> tuple[str, bytes]:
    """(file name, the bytes as uploaded) of a stored document."""
    row = connection.execute(
        select(documents.c.file_name, documents.c.content).where(documents.c.id == document_id)
    ).first()
    if row is None:
        raise StoreError(f"没有编号为 {document_id} 的文件")
    return row.file_name, row.content or b""


def document_evaluations(
    connection: Connection, document_id: int, replaced: Mapping[int, Evaluation] | None = None
) -> tuple[Evaluation, ...]:
    """The document's top-level tables as they now stand in the store, in document order,
    sub-directions back under their parents; a table of ``replaced`` (by id) as given."""
    rows = connection.execute(
        select(evaluations.c.id, evaluations.c.parent_id, evaluations.c.data)
        .where(evaluations.c.document_id == document_id)
        .order_by(evaluations.c.table_index)
    ).all()
    given = replaced or {}
    tables = {
        r.id: given[r.id]
        if r.id in given
        else decode_stored(Evaluation, Loaded(f"自评表{r.id}", jsondata.loads(r.data)))
        for r in rows
    }
    return assembled(rows, tables)


def assembled(rows: Sequence[Any], tables: Mapping[int, Evaluation]) -> tuple[Evaluation, ...]:
    """The top-level tables with their sub-directions back under them, in document order
    (``rows``: the document's table rows with ``id`` and ``parent_id``; ``tables`` by id)."""
    children: dict[int, list[int]] = {}
    for r in rows:
        if r.parent_id is not None:
            children.setdefault(r.parent_id, []).append(r.id)

    def whole(table_id: int) -> Evaluation:
        kids = tuple(whole(child) for child in children.get(table_id, ()))
        return dataclasses.replace(tables[table_id], children=kids) if kids else tables[table_id]

    return tuple(whole(r.id) for r in rows if r.parent_id is None)


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


def add_comment(
    connection: Connection, evaluation_id: int, user_name: str, text: str, path: str | None = None
) -> None:
    """A comment at the table's present step (the workflow adds those of a state change);
    with ``path``, on that cell of the table (a field path, checked by the caller)."""
    user = require_user(connection, user_name)
    text = text.strip()
    if not text:
        raise StoreError("意见内容不能为空")
    state = connection.scalar(select(evaluations.c.state).where(evaluations.c.id == evaluation_id))
    if state is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    connection.execute(
        insert(comments).values(
            evaluation_id=evaluation_id, user_id=user.id, step=state, text=text, at=now(), path=path
        )
    )
