"""Administration: the instance's settings (default scoring scheme, an uploaded scheme,
audit settings) and a unit's 主管部门.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.Integer()),
        sa.PrimaryKeyConstraint("name", name="pk_settings"),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name="fk_settings_updated_by_users",
            ondelete="SET NULL",
        ),
    )
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("department", sa.String(500)))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+): a batch rebuild of ``units`` would trip the foreign
    # keys that point at it
    op.execute("ALTER TABLE units DROP COLUMN department")
    op.drop_table("settings")
