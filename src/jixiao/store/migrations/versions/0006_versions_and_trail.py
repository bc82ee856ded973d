"""Versions and the administrator's trail: the same project, unit and year uploaded again
becomes a new version of the same record (``evaluations.revision``; the earlier ones kept in
``evaluation_versions`` as they stood when replaced); a history row may say why
(``history.note``: the reason of a correction, the file of a new version); what an
administrator deletes is kept whole in ``trail``. Rows stored before are the first version
of their record; nothing is rewritten.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Points = sa.Numeric(12, 4)


def upgrade() -> None:
    op.add_column(
        "evaluations", sa.Column("revision", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("history", sa.Column("note", sa.Text()))
    op.create_table(
        "evaluation_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("table_index", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", Points),
        sa.Column("grade", sa.String(32)),
        sa.Column("score", Points),
        sa.Column("score_grade", sa.String(32)),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.Column("replaced_by", sa.Integer()),
        sa.PrimaryKeyConstraint("id", name="pk_evaluation_versions"),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluations.id"],
            name="fk_evaluation_versions_evaluation_id_evaluations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_evaluation_versions_document_id_documents",
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by"],
            ["users.id"],
            name="fk_evaluation_versions_replaced_by_users",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "evaluation_id", "revision", name="uq_evaluation_versions_evaluation_id_revision"
        ),
    )
    op.create_index(
        "ix_evaluation_versions_evaluation_id", "evaluation_versions", ["evaluation_id"]
    )
    op.create_index("ix_evaluation_versions_document_id", "evaluation_versions", ["document_id"])
    op.create_table(
        "trail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trail"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_trail_user_id_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_trail_at", "trail", ["at"])


def downgrade() -> None:
    op.drop_index("ix_trail_at", "trail")
    op.drop_table("trail")
    op.drop_index("ix_evaluation_versions_document_id", "evaluation_versions")
    op.drop_index("ix_evaluation_versions_evaluation_id", "evaluation_versions")
    op.drop_table("evaluation_versions")
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as 0003: a batch copy of the table
    # would drop it, and every row that points at it
    op.drop_column("history", "note")
    op.drop_column("evaluations", "revision")
