"""Work done in the background (issue 14): ``jobs`` (an import batch, a rescore of every
table after the scheme or the audit settings changed, an export) and ``job_items``, its
parts (each file of a batch with its bytes until imported, each run of documents of a
rescore, each run of tables of an export with what it made) with their state and
outcome, so that a page shows the progress from any server and a part whose worker died is
run again by another.

The queue that hands the parts to the workers on PostgreSQL (procrastinate) keeps its own
tables beside these; ``jixiao.service.queue`` lays them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime()),
        sa.Column("result_name", sa.String(500)),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_jobs_user_id_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_jobs_user_id", "jobs", ["user_id"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_table(
        "job_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("params", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("message", sa.Text()),
        sa.Column("evaluations", sa.Text()),
        sa.Column("document_id", sa.Integer()),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_items"),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name="fk_job_items_job_id_jobs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_job_items_document_id_documents",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("job_id", "position", name="uq_job_items_job_id_position"),
    )
    op.create_index("ix_job_items_state_job_id", "job_items", ["state", "job_id"])


def downgrade() -> None:
    op.drop_table("job_items")
    op.drop_table("jobs")
