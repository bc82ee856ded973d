"""What the indicator library reads: every stored table's indicators with the table's year,
department and unit, as much as the reader may see (``policy.library_reach``).

The library is built from these rows by ``service.library``; the store only selects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from jixiao.store import jsondata
from jixiao.store.policy import Reach, State
from jixiao.store.schema import evaluations

INDICATOR_KEYS = ("level1", "level2", "name", "target", "weight")


@dataclass(frozen=True, slots=True)
class LibraryTable:
    """One stored table as the library needs it: where it belongs and its indicator rows
    (each a mapping of ``INDICATOR_KEYS``)."""

    id: int
    kind: str
    year: int | None
    department: str | None
    indicators: tuple[dict[str, Any], ...]


def visible(reach: Reach) -> Any:
    """The tables a reader's library is made of: all of them for the finance bureau; for a
    unit, its own tables and every published (已公开) one — never another unit's table that
    is not public."""
    if not reach.restricted:
        return None
    published = evaluations.c.state == State.PUBLISHED.value
    if reach.unit_id is None:
        return published
    return or_(evaluations.c.unit_id == reach.unit_id, published)


def library_tables(
    connection: Connection,
    reach: Reach,
    *,
    year: int | None = None,
    department: str | None = None,
    kind: str | None = None,
) -> Iterator[LibraryTable]:
    """Every table the reader may draw on, filtered by year, department and kind."""
    query = select(
        evaluations.c.id,
        evaluations.c.kind,
        evaluations.c.year,
        evaluations.c.reporting_department,
        evaluations.c.department,
        evaluations.c.data,
    ).order_by(evaluations.c.id)
    limit = visible(reach)
    if limit is not None:
        query = query.where(limit)
    for column, value in (
        (evaluations.c.year, year),
        (evaluations.c.reporting_department, department),
        (evaluations.c.kind, kind),
    ):
        if value is not None:
            query = query.where(column == value)
    for row in connection.execute(query):
        data = jsondata.loads(row.data)
        rows = tuple(
            {key: item.get(key) for key in INDICATOR_KEYS}
            for item in data.get("indicators") or ()
            if isinstance(item, dict)
        )
        yield LibraryTable(
            row.id, row.kind, row.year, row.reporting_department or row.department, rows
        )


def library_choices(connection: Connection, reach: Reach) -> tuple[list[int], list[str]]:
    """The years and departments of the tables the reader's library is made of (for the
    filters)."""
    query = select(evaluations.c.year, evaluations.c.reporting_department).distinct()
    limit = visible(reach)
    if limit is not None:
        query = query.where(limit)
    rows = connection.execute(query).all()
    years = sorted({int(r.year) for r in rows if r.year is not None}, reverse=True)
    departments = sorted({str(r.reporting_department) for r in rows if r.reporting_department})
    return years, departments
