"""Each finding's place in its table in a column of its own, ``findings.path``: the
canonical field paths the rule set (``indicators[5].score``, ``funds.rows[0].executed``;
several joined by a comma). For the findings stored before, it is worked out here once from
the rule's word for the field, the indicator's name (or its place in the file where names
repeat) and the table as stored; a finding whose place cannot be told keeps none (the page
lists it with the table's own).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from jixiao.model.field_path import FieldPath, FieldPathError, format_many

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CHUNK = 1000  # findings read and written per round
INDICATOR_FIELDS = frozenset(
    {"level1", "level2", "name", "target", "actual", "weight", "score", "deviation"}
)

findings = sa.table(
    "findings",
    sa.column("id", sa.Integer()),
    sa.column("evaluation_id", sa.Integer()),
    sa.column("field", sa.String()),
    sa.column("indicator", sa.Text()),
    sa.column("source", sa.Text()),
    sa.column("path", sa.Text()),
)
evaluations = sa.table("evaluations", sa.column("id", sa.Integer()), sa.column("data", sa.Text()))


def _indicator(data: dict[str, Any], name: str | None, source: Any) -> int | None:
    """The indicator a stored finding named: by its name when one has it, else by source."""
    items = [i for i in data.get("indicators") or () if isinstance(i, dict)]
    named = [n for n, item in enumerate(items) if name and item.get("name") == name]
    if len(named) == 1:
        return named[0]
    by_source = [
        n for n in named or range(len(items)) if source and items[n].get("source") == source
    ]
    found = by_source or named
    return found[0] if found else None


def _row(data: dict[str, Any], source: Any, words: str) -> int | None:
    """The funds row a stored finding named: by source, else the first whose label (or
    group) holds ``words``."""
    rows = [r for r in (data.get("funds") or {}).get("rows") or () if isinstance(r, dict)]
    for n, row in enumerate(rows):
        if source and row.get("source") == source:
            return n
    texts = [str(row.get("group") or row.get("label") or "") for row in rows]
    return next((n for n, text in enumerate(texts) if words in text), None)


def _one(data: dict[str, Any], finding: Any, field: str, source: Any) -> FieldPath | None:
    if finding.indicator is not None or (field in INDICATOR_FIELDS and source):
        index = _indicator(data, finding.indicator, source)
        if index is not None:
            item = FieldPath.of("indicators", index)
            return item.child(field) if field in INDICATOR_FIELDS else item
        if finding.indicator is not None:
            return None
    head, _, rest = field.partition(".")
    if head == "funds" and rest.startswith("rows."):
        row = _row(data, source, "总额")
        return None if row is None else FieldPath.of("funds", "rows", row, rest[5:])
    if head == "funds" and rest.startswith("groups."):
        row = _row(data, None, rest[7:])
        return None if row is None else FieldPath.of("funds", "rows", row)
    if head == "level1_weights" and rest:
        return FieldPath.of(head, rest)
    try:
        return FieldPath.parse(field)
    except FieldPathError:
        return None


def path_of(finding: Any, data: dict[str, Any]) -> str | None:
    """The canonical paths of one finding stored before 0005."""
    if not finding.field and finding.indicator is None:
        return None
    source = json.loads(finding.source) if finding.source else None
    fields = finding.field.split(",") if finding.field else [""]
    found = [_one(data, finding, field.strip(), source) for field in fields]
    return format_many(p for p in found if p is not None)


def backfill(connection: sa.Connection) -> None:
    """The path of every stored finding, ``CHUNK`` at a time."""
    update = findings.update().where(findings.c.id == sa.bindparam("row_id"))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(findings).where(findings.c.id > last).order_by(findings.c.id).limit(CHUNK)
        ).all()
        if not rows:
            return
        wanted = {r.evaluation_id for r in rows if r.evaluation_id is not None}
        stored = connection.execute(
            sa.select(evaluations.c.id, evaluations.c.data).where(evaluations.c.id.in_(wanted))
        )
        tables = {row.id: json.loads(row.data) for row in stored}
        values = [
            {"row_id": r.id, "path": path_of(r, tables.get(r.evaluation_id, {}))} for r in rows
        ]
        placed = [v for v in values if v["path"] is not None]
        if placed:
            connection.execute(update, placed)
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("findings", sa.Column("path", sa.Text()))
    backfill(op.get_bind())


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as 0003: a batch copy of the table
    # would drop it, and every finding with it
    op.drop_column("findings", "path")
