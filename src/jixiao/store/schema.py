"""The tables, as SQLAlchemy Core: what the newest migration builds (a test compares them).

Times are naive UTC. Money and points are ``Numeric``; the exact figures of an evaluation
live in its ``data`` (contract §1 JSON, decimals written as they were read).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)


class Role(StrEnum):
    FILLER = "filler"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


ROLE_LABELS = {Role.FILLER: "填报", Role.REVIEWER: "审核", Role.ADMIN: "管理员"}
STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.RETURNED: "已退回",
    State.APPROVED: "已审核",
    State.PUBLISHED: "已公开",
}

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
Points = Numeric(12, 4)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("display_name", String(200)),
    Column("role", String(16), nullable=False),
    Column("unit_id", ForeignKey("units.id"), index=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False, index=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("label", String(200)),
    Column("created_at", DateTime, nullable=False),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("address", String(64)),
    Column("success", Boolean, nullable=False),
    Column("at", DateTime, nullable=False),
    Index(None, "name", "at"),
    Index(None, "address", "at"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary),  # the uploaded bytes; or ``path`` under the data dir
    Column("path", String(1000)),
    Column("unit_id", ForeignKey("units.id"), index=True),
    Column("uploaded_by", ForeignKey("users.id")),
    Column("uploaded_at", DateTime, nullable=False),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("table_index", Integer, nullable=False),  # 1-based, as findings' 表N
    Column("parent_id", ForeignKey("evaluations.id", ondelete="CASCADE"), index=True),
    Column("kind", String(16), nullable=False, index=True),
    Column("year", Integer, index=True),
    Column("name", String(500), index=True),
    Column("department", String(500), index=True),
    Column("unit_id", ForeignKey("units.id"), index=True),
    Column("state", String(16), nullable=False, index=True),
    Column("total", Points),  # 总分 as written
    Column("grade", String(32), index=True),  # 等级 as written
    Column("score", Points),  # total recomputed by the scheme
    Column("score_grade", String(32), index=True),  # grade recomputed by the scheme
    Column("scheme", String(100)),
    Column("data", Text, nullable=False),  # contract §1 JSON, children as their own rows
    Column("version", Integer, nullable=False),  # bumped by every change (optimistic locking)
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("document_id", "table_index"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("evaluation_id", ForeignKey("evaluations.id", ondelete="CASCADE"), index=True),
    Column("code", String(8), nullable=False, index=True),
    Column("severity", String(8), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("message", Text, nullable=False),
    Column("field", String(200)),
    Column("indicator", Text),
    Column("expected", Text),
    Column("actual", Text),
    Column("advice", Text),
    Column("source", Text),  # JSON
    Index(None, "document_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "evaluation_id",
        ForeignKey("evaluations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("user_id", ForeignKey("users.id")),
    Column("step", String(16), nullable=False),  # the state the evaluation moved to
    Column("text", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "evaluation_id",
        ForeignKey("evaluations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("user_id", ForeignKey("users.id")),
    Column("at", DateTime, nullable=False),
    Column("action", String(16), nullable=False),  # import | edit | state
    Column("field", String(200)),  # the edited path, e.g. indicators[2].actual
    Column("old", Text),  # JSON
    Column("new", Text),  # JSON
)
