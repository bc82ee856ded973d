"""Summary columns on evaluations, so the dashboard and the list need not parse ``data`` or
scan every finding: 全年预算数, 全年执行数 and the execution rate they give, the table's own
findings counted by severity, and the department the dashboard counts it under (主管部门,
else a department table's own name); filled in here for the rows already stored.

Indexes: findings by (table, code, severity), replacing the one on the table alone;
evaluations in the list's order (year descending, department, name, id), replacing the one
on year alone, so a page of the list comes from the index; evaluations by (parent, year,
dashboard department), replacing the one on the parent alone, so the dashboard finds a
year's and a department's top-level tables, and its filter choices, from the index.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEVERITIES = {"error": "errors", "warning": "warnings", "info": "infos"}
CHUNK = 1000  # rows read (with their JSON) and written per round

evaluations = sa.table(
    "evaluations",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("name", sa.String()),
    sa.column("department", sa.String()),
    sa.column("reporting_department", sa.String()),
    sa.column("data", sa.Text()),
    sa.column("annual_budget", sa.Numeric()),
    sa.column("executed", sa.Numeric()),
    sa.column("execution_rate", sa.Float()),
    sa.column("errors", sa.Integer()),
    sa.column("warnings", sa.Integer()),
    sa.column("infos", sa.Integer()),
)
findings = sa.table(
    "findings", sa.column("evaluation_id", sa.Integer()), sa.column("severity", sa.String())
)


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Decimal(value)


def funds_summary(text: str) -> dict[str, Any]:
    """Budget, executed and rate of one stored ``data`` (contract §1 JSON), as the store
    writes them from the model since 0003 (``documents.evaluation_columns``)."""
    data = json.loads(text, parse_float=Decimal)
    funds = data.get("funds") if isinstance(data, dict) else None
    funds = funds if isinstance(funds, dict) else {}
    budget, executed = _amount(funds.get("annual_budget")), _amount(funds.get("executed"))
    rate = None
    if budget is not None and executed is not None and float(budget) > 0:
        rate = float(executed) * 100.0 / float(budget)
    return {"annual_budget": budget, "executed": executed, "execution_rate": rate}


def _counts(connection: sa.Connection) -> dict[int, dict[str, int]]:
    """Each table's findings by severity (tables without findings are left out)."""
    out: dict[int, dict[str, int]] = {}
    rows = connection.execute(
        sa.select(findings.c.evaluation_id, findings.c.severity, sa.func.count())
        .where(findings.c.evaluation_id.is_not(None))
        .group_by(findings.c.evaluation_id, findings.c.severity)
    )
    for evaluation_id, severity, count in rows:
        column = SEVERITIES.get(severity)
        if column is not None:
            out.setdefault(int(evaluation_id), {})[column] = int(count)
    return out


def backfill(connection: sa.Connection) -> None:
    """Fill the new columns of every stored table, ``CHUNK`` rows at a time."""
    named = sa.case((evaluations.c.kind == "department", evaluations.c.name), else_=None)
    connection.execute(
        evaluations.update().values(
            reporting_department=sa.func.coalesce(evaluations.c.department, named)
        )
    )
    counts = _counts(connection)
    # the columns to set come from the parameters' keys; the row from ``row_id``
    update = evaluations.update().where(evaluations.c.id == sa.bindparam("row_id"))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(evaluations.c.id, evaluations.c.data)
            .where(evaluations.c.id > last)
            .order_by(evaluations.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        connection.execute(
            update,
            [
                {
                    "row_id": row.id,
                    **funds_summary(row.data),
                    **{
                        column: counts.get(row.id, {}).get(column, 0)
                        for column in SEVERITIES.values()
                    },
                }
                for row in rows
            ],
        )
        last = rows[-1].id


def upgrade() -> None:
    op.add_column("evaluations", sa.Column("annual_budget", sa.Numeric()))
    op.add_column("evaluations", sa.Column("executed", sa.Numeric()))
    op.add_column("evaluations", sa.Column("execution_rate", sa.Float()))
    for column in SEVERITIES.values():
        op.add_column(
            "evaluations", sa.Column(column, sa.Integer(), nullable=False, server_default="0")
        )
    op.add_column("evaluations", sa.Column("reporting_department", sa.String(500)))
    op.drop_index("ix_findings_evaluation_id", table_name="findings")
    op.create_index(
        "ix_findings_evaluation_id_code_severity", "findings", ["evaluation_id", "code", "severity"]
    )
    op.drop_index("ix_evaluations_year", table_name="evaluations")
    op.create_index(
        "ix_evaluations_list_order",
        "evaluations",
        [sa.text("year DESC"), "department", "name", "id"],
    )
    op.drop_index("ix_evaluations_parent_id", table_name="evaluations")
    op.create_index(
        "ix_evaluations_parent_id_year_reporting_department",
        "evaluations",
        ["parent_id", "year", "reporting_department"],
    )
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_evaluations_parent_id_year_reporting_department", table_name="evaluations")
    op.create_index("ix_evaluations_parent_id", "evaluations", ["parent_id"])
    op.drop_index("ix_evaluations_list_order", table_name="evaluations")
    op.create_index("ix_evaluations_year", "evaluations", ["year"])
    op.drop_index("ix_findings_evaluation_id_code_severity", table_name="findings")
    op.create_index("ix_findings_evaluation_id", "findings", ["evaluation_id"])
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of the table would drop
    # the old one, and with foreign keys on that deletes every finding and history row
    for column in ("annual_budget", "executed", "execution_rate", *SEVERITIES.values()):
        op.drop_column("evaluations", column)
    op.drop_column("evaluations", "reporting_department")
