"""The reviewer's desk: a decision on each finding of a table under review (需修改 /
已核实无误 / 可忽略, with a comment) in ``finding_decisions``, and comments on a cell of the
table (``comments.path``, the cell's field path; none for a comment on the table).

A decision is kept by the finding's key (its rule, its place in the table and in the file),
not by the finding's row: findings are worked out again after every edit, and a decision
follows the finding it was made on for as long as that finding stands.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finding_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("path", sa.Text()),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("user_id", sa.Integer()),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_finding_decisions"),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name="fk_finding_decisions_evaluation_id_evaluations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_finding_decisions_user_id_users",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("evaluation_id", "key", name="uq_finding_decisions_evaluation_id_key"),
    )
    op.add_column("comments", sa.Column("path", sa.Text()))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as 0003 and 0005
    op.drop_column("comments", "path")
    op.drop_table("finding_decisions")
