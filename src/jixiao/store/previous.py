"""Last year's table of a table in the store: the same unit's, of the same kind, a year
earlier, whose name is the same once its year is taken out (``audit.previous``).

Only the same unit's tables are candidates (a table without a unit: those without one), so
no finding ever shows one unit another unit's figures. Of several stored versions the most
advanced in the workflow (已公开 before 已审核 …), then the latest stored, is taken.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

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
    if evaluation.year is None or not evaluation.name:
        return None
    owner = (
        evaluations.c.unit_id == unit_id if unit_id is not None else evaluations.c.unit_id.is_(None)
    )
    rows = connection.execute(
        select(evaluations.c.id, evaluations.c.name, evaluations.c.state).where(
            evaluations.c.parent_id.is_(None),
            evaluations.c.kind == evaluation.kind,
            evaluations.c.year == evaluation.year - 1,
            owner,
        )
    ).all()
    rank = {state.value: i for i, state in enumerate(STATE_ORDER)}
    year = evaluation.year - 1
    matching = [
        row
        for row in rows
        if same_table(evaluation, Evaluation(kind=evaluation.kind, year=year, name=row.name))
    ]
    if not matching:
        return None
    chosen = min(matching, key=lambda row: (rank.get(row.state, len(rank)), -row.id))
    return load_evaluation(connection, chosen.id)
