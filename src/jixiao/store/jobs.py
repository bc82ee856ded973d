"""Background work as the store keeps it: a job (an import batch, a rescore of every table,
an export) and its items, each claimed by one process at a time and settled once.

An item is claimed (``claim``) before it is worked on and settled (``settle``) in the same
transaction as what it writes, so a worker that dies between the two leaves the item
claimed and unsettled: the next claim runs it again and finds nothing half-written. An
item claimed more than ``MAX_ATTEMPTS`` times (its file kills every worker that reads it)
is settled as failed, alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update

from jixiao.store.documents import now
from jixiao.store.records import EvaluationFilter
from jixiao.store.schema import evaluations, job_items, jobs, users

MAX_ATTEMPTS = 3
CRASHED = "处理此项时后台进程多次意外退出（文件可能损坏，或触发了读取库的缺陷），未导入"


class Kind:
    IMPORT = "import"
    RESCORE = "rescore"
    EXPORT = "export"


class ItemState:
    PENDING = "pending"
    RUNNING = "running"
    IMPORTED = "imported"
    EXISTS = "exists"
    FAILED = "failed"
    DONE = "done"


OPEN = (ItemState.PENDING, ItemState.RUNNING)


@dataclass(frozen=True, slots=True)
class NewItem:
    label: str
    content: bytes | None = None
    params: Any = None  # JSON
    state: str = ItemState.PENDING
    message: str | None = None  # an item refused before it is queued (failed) says why


@dataclass(frozen=True, slots=True)
class Claimed:
    """An item taken to be worked on, with its job's kind, parameters and owner."""

    item_id: int
    job_id: int
    kind: str
    label: str
    content: bytes | None
    params: Any
    job_params: Any
    reason: str | None
    user_id: int | None
    attempt: int


@dataclass(frozen=True, slots=True)
class ItemView:
    id: int
    position: int
    label: str
    state: str
    message: str | None
    evaluations: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class JobView:
    """A job and how far it is: items by state, and the items asked for."""

    id: int
    kind: str
    title: str
    reason: str | None
    params: Any
    user_id: int | None
    user_name: str | None
    created_at: datetime
    finished_at: datetime | None
    counts: dict[str, int]
    items: tuple[ItemView, ...]
    result_name: str | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def settled(self) -> int:
        return self.total - sum(self.counts.get(state, 0) for state in OPEN)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def create_job(
    connection: Connection,
    kind: str,
    title: str,
    params: Any,
    user_id: int | None,
    reason: str | None = None,
    result_name: str | None = None,
) -> int:
    result = connection.execute(
        insert(jobs)
        .values(
            kind=kind,
            title=title,
            reason=reason,
            params=json.dumps(params, ensure_ascii=False),
            user_id=user_id,
            created_at=now(),
            result_name=result_name,
        )
        .returning(jobs.c.id)
    )
    return int(result.scalar_one())


def add_items(connection: Connection, job_id: int, items: Sequence[NewItem]) -> list[int]:
    """The items appended to the job (after those it has), their ids in order; a job that
    was finished is open again while they are."""
    if not items:  # a job of nothing (a rescore of an empty store) is done at once
        _close_if_done(connection, job_id)
        return []
    last = connection.scalar(
        select(func.max(job_items.c.position)).where(job_items.c.job_id == job_id)
    )
    start = 0 if last is None else int(last) + 1
    at = now()
    rows = [
        {
            "job_id": job_id,
            "position": start + offset,
            "label": item.label,
            "content": item.content,
            "params": None if item.params is None else json.dumps(item.params),
            "state": item.state,
            "message": item.message,
            "updated_at": at,
        }
        for offset, item in enumerate(items)
    ]
    connection.execute(insert(job_items), rows)
    ids = connection.execute(
        select(job_items.c.id)
        .where(job_items.c.job_id == job_id, job_items.c.position >= start)
        .order_by(job_items.c.position)
    ).scalars()
    _close_if_done(connection, job_id)
    return [int(i) for i in ids]


def claim(connection: Connection, item_id: int, worker: str) -> Claimed | None:
    """Take an open item (pending, or claimed by a process that died) to work on; None when
    it is settled already, or when this is one attempt too many (then it is settled as
    failed)."""
    row = connection.execute(
        select(
            job_items,
            jobs.c.kind,
            jobs.c.params.label("job_params"),
            jobs.c.reason,
            jobs.c.user_id,
        )
        .join(jobs, jobs.c.id == job_items.c.job_id)
        .where(job_items.c.id == item_id)
    ).first()
    if row is None or row.state not in OPEN:
        return None
    attempt = row.attempts + 1
    changed = connection.execute(
        update(job_items)
        .where(job_items.c.id == item_id, job_items.c.attempts == row.attempts)
        .values(state=ItemState.RUNNING, attempts=attempt, claimed_by=worker, updated_at=now())
    )
    if changed.rowcount != 1:  # another process claimed it meanwhile
        return None
    if attempt > MAX_ATTEMPTS:
        settle(connection, item_id, ItemState.FAILED, f"{row.label}: {CRASHED}")
        return None
    return Claimed(
        item_id=item_id,
        job_id=row.job_id,
        kind=row.kind,
        label=row.label,
        content=row.content,
        params=None if row.params is None else json.loads(row.params),
        job_params=json.loads(row.job_params),
        reason=row.reason,
        user_id=row.user_id,
        attempt=attempt,
    )


def claim_batch(
    connection: Connection, item_ids: Sequence[int], worker: str, budget: int, most: int
) -> tuple[list[Claimed], list[int], list[int]]:
    """Claim at once, in order, the import items of ``item_ids`` that no process has tried
    before, as many as ``most`` and ``budget`` bytes of files allow (one at least): the
    claims, the items to claim one at a time (tried before: one of them may be the file
    that killed a worker, and must fail alone; or not an import), and the items left for
    the next batch. Items settled already, or claimed meanwhile by another process, are
    passed over."""
    rows = connection.execute(
        select(
            job_items.c.id,
            job_items.c.job_id,
            job_items.c.label,
            job_items.c.params,
            job_items.c.state,
            job_items.c.attempts,
            func.coalesce(func.length(job_items.c.content), 0).label("size"),
            jobs.c.kind,
            jobs.c.params.label("job_params"),
            jobs.c.reason,
            jobs.c.user_id,
        )
        .join(jobs, jobs.c.id == job_items.c.job_id)
        .where(job_items.c.id.in_(item_ids))
    ).all()
    by_id = {row.id: row for row in rows}
    taken: list[Any] = []
    alone: list[int] = []
    left: list[int] = []
    size = 0
    for item_id in item_ids:
        row = by_id.get(item_id)
        if row is None or row.state not in OPEN:
            continue
        if row.attempts or row.kind != Kind.IMPORT:
            alone.append(item_id)
        elif taken and (len(taken) >= most or size + row.size > budget):
            left.append(item_id)
        else:
            taken.append(row)
            size += row.size
    if not taken:
        return [], alone, left
    contents: dict[int, Any] = dict(
        connection.execute(
            update(job_items)
            .where(job_items.c.id.in_([row.id for row in taken]), job_items.c.attempts == 0)
            .values(state=ItemState.RUNNING, attempts=1, claimed_by=worker, updated_at=now())
            .returning(job_items.c.id, job_items.c.content)
        ).all()
    )
    claims = [
        Claimed(
            item_id=row.id,
            job_id=row.job_id,
            kind=row.kind,
            label=row.label,
            content=None if contents[row.id] is None else bytes(contents[row.id]),
            params=None if row.params is None else json.loads(row.params),
            job_params=json.loads(row.job_params),
            reason=row.reason,
            user_id=row.user_id,
            attempt=1,
        )
        for row in taken
        if row.id in contents
    ]
    return claims, alone, left


@dataclass(frozen=True, slots=True)
class Settled:
    """An item's outcome, as ``settle`` writes it (``settle_many``: many at once)."""

    item_id: int
    job_id: int
    state: str
    message: str | None
    evaluations: Sequence[int] = ()
    document_id: int | None = None


def settle_many(connection: Connection, outcomes: Sequence[Settled]) -> None:
    """Many items settled in one statement, as ``settle`` settles one (an item settled
    already is left as it is); their jobs finished when none of their items is open."""
    if not outcomes:
        return
    at = now()
    connection.execute(
        update(job_items)
        .where(  # not ``in_``: an executemany takes no expanding list
            job_items.c.id == bindparam("item"),
            or_(*(job_items.c.state == state for state in OPEN)),
        )
        .values(
            state=bindparam("new_state"),
            message=bindparam("new_message"),
            evaluations=bindparam("new_evaluations"),
            document_id=bindparam("new_document"),
            content=None,
            updated_at=at,
        ),
        [
            {
                "item": outcome.item_id,
                "new_state": outcome.state,
                "new_message": outcome.message,
                "new_evaluations": json.dumps(list(outcome.evaluations)),
                "new_document": outcome.document_id,
            }
            for outcome in outcomes
        ],
    )
    for job_id in dict.fromkeys(outcome.job_id for outcome in outcomes):
        _close_if_done(connection, job_id)


def document_scopes(
    connection: Connection, document_ids: Sequence[int]
) -> dict[int, tuple[Any, ...]]:
    """The tables stored from each document (``listing.document_tables`` for many at once)."""
    from jixiao.store.listing import Scope
    from jixiao.store.policy import State

    out: dict[int, list[Any]] = {}
    for start in range(0, len(document_ids), 500):
        for row in connection.execute(
            select(
                evaluations.c.id,
                evaluations.c.unit_id,
                evaluations.c.state,
                evaluations.c.document_id,
            )
            .where(evaluations.c.document_id.in_(document_ids[start : start + 500]))
            .order_by(evaluations.c.document_id, evaluations.c.table_index)
        ):
            scope = Scope(row.id, row.unit_id, State(row.state), row.document_id)
            out.setdefault(row.document_id, []).append(scope)
    return {document_id: tuple(scopes) for document_id, scopes in out.items()}


def settle(
    connection: Connection,
    item_id: int,
    state: str,
    message: str | None,
    evaluations: Sequence[int] = (),
    document_id: int | None = None,
    output: bytes | None = None,
) -> bool:
    """The item's outcome (its bytes let go, or replaced by what it made: a part of an
    export); False when it was settled already (by an earlier run of the same item:
    nothing is written twice)."""
    job_id = connection.scalar(
        update(job_items)
        .where(job_items.c.id == item_id, job_items.c.state.in_(OPEN))
        .values(
            state=state,
            message=message,
            evaluations=json.dumps(list(evaluations)),
            document_id=document_id,
            content=output,
            updated_at=now(),
        )
        .returning(job_items.c.job_id)
    )
    if job_id is None:
        return False
    _close_if_done(connection, int(job_id))
    return True


def _close_if_done(connection: Connection, job_id: int) -> None:
    """The job finished when none of its items is open (one look at the index, however
    many items the job has), open again when one is."""
    left = connection.execute(
        select(job_items.c.id)
        .where(job_items.c.job_id == job_id, job_items.c.state.in_(OPEN))
        .limit(1)
    ).first()
    done = jobs.c.finished_at.is_(None) if left is None else jobs.c.finished_at.is_not(None)
    connection.execute(
        update(jobs)
        .where(jobs.c.id == job_id, done)
        .values(finished_at=None if left is not None else now())
    )


def outputs(connection: Connection, job_id: int) -> Iterator[bytes]:
    """What the job's items made (the parts of an export), in their order."""
    for content in connection.execute(
        select(job_items.c.content)
        .where(job_items.c.job_id == job_id, job_items.c.content.is_not(None))
        .order_by(job_items.c.position)
    ).scalars():
        yield bytes(content)


def table_ids(connection: Connection, where: EvaluationFilter, unit_id: int | None) -> list[int]:
    """The tables ``where`` selects (of the unit ``unit_id`` alone when given), in the
    list's order: what an export holds."""
    from jixiao.store.queries import _FROM, _filtered

    query = _filtered(select(evaluations.c.id).select_from(_FROM), where)
    if unit_id is not None:
        query = query.where(evaluations.c.unit_id == unit_id)
    order = (evaluations.c.year.desc(), evaluations.c.department, evaluations.c.name)
    return [int(i) for i in connection.execute(query.order_by(*order, evaluations.c.id)).scalars()]


def _counts(connection: Connection, job_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    counted: dict[int, dict[str, int]] = {job_id: {} for job_id in job_ids}
    rows = connection.execute(
        select(job_items.c.job_id, job_items.c.state, func.count())
        .where(job_items.c.job_id.in_(job_ids))
        .group_by(job_items.c.job_id, job_items.c.state)
    ).all()
    for job_id, state, count in rows:
        counted[job_id][state] = int(count)
    return counted


def _view(row: Any, counts: dict[str, int], items: tuple[ItemView, ...]) -> JobView:
    return JobView(
        id=row.id,
        kind=row.kind,
        title=row.title,
        reason=row.reason,
        params=json.loads(row.params),
        user_id=row.user_id,
        user_name=row.user_name,
        created_at=row.created_at,
        finished_at=row.finished_at,
        counts=counts,
        items=items,
        result_name=row.result_name,
    )


def _job_query() -> Any:
    return select(
        jobs.c.id,
        jobs.c.kind,
        jobs.c.title,
        jobs.c.reason,
        jobs.c.params,
        jobs.c.user_id,
        users.c.name.label("user_name"),
        jobs.c.created_at,
        jobs.c.finished_at,
        jobs.c.result_name,
    ).outerjoin(users, users.c.id == jobs.c.user_id)


def job(connection: Connection, job_id: int, after: int = -1) -> JobView | None:
    """The job with its items settled after position ``after`` (every settled one by
    default: a page polling for news asks for those after the last it shows)."""
    row = connection.execute(_job_query().where(jobs.c.id == job_id)).first()
    if row is None:
        return None
    items = connection.execute(
        select(
            job_items.c.id,
            job_items.c.position,
            job_items.c.label,
            job_items.c.state,
            job_items.c.message,
            job_items.c.evaluations,
        )
        .where(
            job_items.c.job_id == job_id,
            job_items.c.position > after,
            job_items.c.state.not_in(OPEN),
        )
        .order_by(job_items.c.position)
    ).all()
    views = tuple(
        ItemView(
            i.id,
            i.position,
            i.label,
            i.state,
            i.message,
            tuple(json.loads(i.evaluations or "[]")),
        )
        for i in items
    )
    return _view(row, _counts(connection, [job_id])[job_id], views)


def recent(
    connection: Connection, kind: str, user_id: int | None = None, limit: int = 10
) -> list[JobView]:
    """The latest jobs of a kind (of one user's, when ``user_id`` is given), newest first,
    without their items."""
    query = _job_query().where(jobs.c.kind == kind)
    if user_id is not None:
        query = query.where(jobs.c.user_id == user_id)
    rows = connection.execute(query.order_by(jobs.c.id.desc()).limit(limit)).all()
    counted = _counts(connection, [r.id for r in rows])
    return [_view(r, counted[r.id], ()) for r in rows]


def open_items(connection: Connection) -> list[tuple[int, str, str | None]]:
    """Every item not yet settled: (id, state, the process that claimed it)."""
    rows = connection.execute(
        select(job_items.c.id, job_items.c.state, job_items.c.claimed_by)
        .where(job_items.c.state.in_(OPEN))
        .order_by(job_items.c.id)
    ).all()
    return [(r.id, r.state, r.claimed_by) for r in rows]


def item_ids(connection: Connection, job_id: int) -> list[int]:
    return [
        int(i)
        for i in connection.execute(
            select(job_items.c.id)
            .where(job_items.c.job_id == job_id, job_items.c.state.in_(OPEN))
            .order_by(job_items.c.position)
        ).scalars()
    ]


def export_choices(connection: Connection, unit_id: int | None) -> tuple[list[int], list[str]]:
    """The years and the departments (主管部门) of the tables an export may hold (of the unit
    ``unit_id`` alone when given), for the export form."""
    mine = [evaluations.c.unit_id == unit_id] if unit_id is not None else []
    years = connection.execute(
        select(evaluations.c.year)
        .where(evaluations.c.year.is_not(None), *mine)
        .distinct()
        .order_by(evaluations.c.year.desc())
    ).scalars()
    names = connection.execute(
        select(evaluations.c.department)
        .where(evaluations.c.department.is_not(None), *mine)
        .distinct()
        .order_by(evaluations.c.department)
    ).scalars()
    return [int(y) for y in years], [str(n) for n in names]
