"""What a rescore needs of an uploaded file besides its tables (issue 14): ``documents.
report_parts``, the report read from the file without its tables (the narrative, 基础数据表,
allocation tables; contract JSON), kept at import so that a rescore of every table does not
read every file again. NULL for a file stored before: the first rescore reads it and keeps it.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("report_parts", sa.Text()))


def downgrade() -> None:
    op.drop_column("documents", "report_parts")
