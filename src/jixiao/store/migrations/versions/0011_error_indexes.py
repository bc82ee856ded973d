"""The list's 有错误 filter (``has_errors``) from two partial indexes of the findings that are
errors: a table's own, and its report's that concern no table (基础数据表, 正文). The filter
had looked into every table's findings: 17 ms a count on 10,000 tables (SQLite), 2.7 ms
from these.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ERRORS = "severity = 'error'"
OF_REPORT = "severity = 'error' AND coalesce(evaluation_id, 0) = 0"


def upgrade() -> None:
    op.create_index(
        "ix_findings_errors_evaluation",
        "findings",
        ["evaluation_id"],
        sqlite_where=sa.text(ERRORS),
        postgresql_where=sa.text(ERRORS),
    )
    op.create_index(
        "ix_findings_errors_document",
        "findings",
        ["document_id"],
        sqlite_where=sa.text(OF_REPORT),
        postgresql_where=sa.text(OF_REPORT),
    )


def downgrade() -> None:
    op.drop_index("ix_findings_errors_document", table_name="findings")
    op.drop_index("ix_findings_errors_evaluation", table_name="findings")
