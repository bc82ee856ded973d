"""Last year's table of a table in the store: the same unit's, of the same kind, a year
earlier, whose name is the same once its year is taken out (``audit.previous``).

Only the same unit's tables are candidates (a table without a unit: those without one), so
no finding ever shows one unit another unit's figures. Of several stored versions the most
advanced in the workflow (已公开 before 已审核 …), then the latest stored, is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from jixiao.audit.previous import same_table
from jixiao.model import Evaluation
from jixiao.store.policy import State
from jixiao.store.queries import load_evaluation
from jixiao.store.schema import evaluations, units

# Which stored table of last year counts, when there are several: the furthest along.
STATE_ORDER = (State.PUBLISHED, State.APPROVED, State.SUBMITTED, State.RETURNED, State.DRAFT)


def unit_id_of(connection: Connection, unit: str | None) -> int | None:
    """The id of the unit named ``unit`` (None for none, or a unit not stored yet)."""
    if not unit:
        return None
    found = connection.scalar(select(units.c.id).where(units.c.name == unit))
    return int(found) if found is not None else None


def last_year(
    connection: Connection, evaluation: Evaluation, unit_id: int | None
) -> Evaluation | None:
    """Last year's stored table of ``evaluation`` (a top-level table of unit ``unit_id``)
    with its sub-directions, or None."""
    key = wanted(evaluation, unit_id)
    if key is None:
        return None
    chosen = pick(evaluation, candidates(connection, [key]).get(key, []))
    return None if chosen is None else load_evaluation(connection, chosen)


Key = tuple[int | None, str, int]  # (unit id, kind, year) of last year's tables


def wanted(evaluation: Evaluation, unit_id: int | None) -> Key | None:
    """Where last year's table of ``evaluation`` (of unit ``unit_id``) would be; None
    when it cannot have one (no year, no name)."""
    if evaluation.year is None or not evaluation.name:
        return None
    return (unit_id, evaluation.kind, evaluation.year - 1)


def at_keys(keys: Iterable[Key]) -> ColumnElement[bool]:
    """The condition that a table stands at one of ``keys`` (unit, kind, year); the unit
    None is a table filed under no unit."""
    return or_(
        *(
            and_(
                evaluations.c.unit_id == unit
                if unit is not None
                else evaluations.c.unit_id.is_(None),
                evaluations.c.kind == kind,
                evaluations.c.year == year,
            )
            for unit, kind, year in keys
        )
    )


def candidates(connection: Connection, keys: Iterable[Key]) -> dict[Key, list[Any]]:
    """The top-level tables (id, name, state) at each of ``keys``, in one query however
    many keys (a batch of files looks for last year's tables once)."""
    keys = list(dict.fromkeys(keys))
    found: dict[Key, list[Any]] = {key: [] for key in keys}
    for start in range(0, len(keys), 200):
        chunk = keys[start : start + 200]
        rows = connection.execute(
            select(
                evaluations.c.id,
                evaluations.c.name,
                evaluations.c.state,
                evaluations.c.unit_id,
                evaluations.c.kind,
                evaluations.c.year,
            ).where(evaluations.c.parent_id.is_(None), at_keys(chunk))
        ).all()
        for row in rows:
            key = (row.unit_id, row.kind, row.year)
            if key in found:
                found[key].append(row)
    return found


def pick(evaluation: Evaluation, rows: Iterable[Any]) -> int | None:
    """Of ``candidates``' rows at ``evaluation``'s key, the id of its last year's table:
    the same name once the year is out, the furthest along in the workflow, the latest."""
    rank = {state.value: i for i, state in enumerate(STATE_ORDER)}
    year = None if evaluation.year is None else evaluation.year - 1
    matching = [
        row
        for row in rows
        if same_table(evaluation, Evaluation(kind=evaluation.kind, year=year, name=row.name))
    ]
    if not matching:
        return None
    chosen = min(matching, key=lambda row: (rank.get(row.state, len(rank)), -row.id))
    return int(chosen.id)
