"""Initial schema: units, users, sessions, login attempts, documents, evaluations, findings,
comments and history.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

POINTS = sa.Numeric(12, 4)


def _id(table: str) -> tuple[sa.Column[int], sa.PrimaryKeyConstraint]:
    return sa.Column("id", sa.Integer(), nullable=False), sa.PrimaryKeyConstraint(
        "id", name=f"pk_{table}"
    )


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.Constraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def _index(table: str, *columns: str, unique: bool = False) -> None:
    prefix = "uq" if unique else "ix"
    op.create_index(f"{prefix}_{table}_{'_'.join(columns)}", table, list(columns), unique=unique)


def upgrade() -> None:
    op.create_table(
        "units",
        *_id("units"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_units_name"),
    )
    op.create_table(
        "users",
        *_id("users"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("unit_id", sa.Integer()),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_users_name"),
        _fk("users", "unit_id", "units"),
    )
    _index("users", "unit_id")
    op.create_table(
        "sessions",
        *_id("sessions"),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
        _fk("sessions", "user_id", "users", "CASCADE"),
    )
    _index("sessions", "user_id")
    _index("sessions", "expires_at")
    op.create_table(
        "login_attempts",
        *_id("login_attempts"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64)),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    _index("login_attempts", "name", "at")
    _index("login_attempts", "address", "at")
    op.create_table(
        "documents",
        *_id("documents"),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("path", sa.String(1000)),
        sa.Column("unit_id", sa.Integer()),
        sa.Column("uploaded_by", sa.Integer()),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
        _fk("documents", "unit_id", "units"),
        _fk("documents", "uploaded_by", "users"),
    )
    _index("documents", "unit_id")
    op.create_table(
        "evaluations",
        *_id("evaluations"),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("table_index", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer()),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("year", sa.Integer()),
        sa.Column("name", sa.String(500)),
        sa.Column("department", sa.String(500)),
        sa.Column("unit_id", sa.Integer()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("total", POINTS),
        sa.Column("grade", sa.String(32)),
        sa.Column("score", POINTS),
        sa.Column("score_grade", sa.String(32)),
        sa.Column("scheme", sa.String(100)),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint(
            "document_id", "table_index", name="uq_evaluations_document_id_table_index"
        ),
        _fk("evaluations", "document_id", "documents", "CASCADE"),
        _fk("evaluations", "parent_id", "evaluations", "CASCADE"),
        _fk("evaluations", "unit_id", "units"),
    )
    for column in ("parent_id", "kind", "year", "name", "department", "unit_id", "state"):
        _index("evaluations", column)
    _index("evaluations", "grade")
    _index("evaluations", "score_grade")
    op.create_table(
        "findings",
        *_id("findings"),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer()),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("field", sa.String(200)),
        sa.Column("indicator", sa.Text()),
        sa.Column("expected", sa.Text()),
        sa.Column("actual", sa.Text()),
        sa.Column("advice", sa.Text()),
        sa.Column("source", sa.Text()),
        _fk("findings", "document_id", "documents", "CASCADE"),
        _fk("findings", "evaluation_id", "evaluations", "CASCADE"),
    )
    _index("findings", "evaluation_id")
    _index("findings", "code")
    _index("findings", "document_id")
    op.create_table(
        "comments",
        *_id("comments"),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("step", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        _fk("comments", "evaluation_id", "evaluations", "CASCADE"),
        _fk("comments", "user_id", "users"),
    )
    _index("comments", "evaluation_id")
    op.create_table(
        "history",
        *_id("history"),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(200)),
        sa.Column("old", sa.Text()),
        sa.Column("new", sa.Text()),
        _fk("history", "evaluation_id", "evaluations", "CASCADE"),
        _fk("history", "user_id", "users"),
    )
    _index("history", "evaluation_id")


def downgrade() -> None:
    for table in (
        "history",
        "comments",
        "findings",
        "evaluations",
        "documents",
        "login_attempts",
        "sessions",
        "users",
        "units",
    ):
        op.drop_table(table)
