"""Storage: evaluations, documents, findings, users and history in SQLite or PostgreSQL."""

from jixiao.store.database import data_dir, database_url, head_revision
from jixiao.store.errors import ConflictError, StoreError
from jixiao.store.policy import ROLE_LABELS, STATE_LABELS, TRANSITIONS, Role, State
from jixiao.store.records import (
    Comment,
    EditedDocument,
    EvaluationFilter,
    EvaluationSummary,
    HistoryEntry,
    ImportOutcome,
    ImportStatus,
    NewDocument,
    Page,
    Rescore,
    Rescored,
    StoredEvaluation,
    StoredFinding,
    User,
)
from jixiao.store.store import Store, open_store

__all__ = [
    "ROLE_LABELS",
    "STATE_LABELS",
    "TRANSITIONS",
    "Comment",
    "ConflictError",
    "EditedDocument",
    "EvaluationFilter",
    "EvaluationSummary",
    "HistoryEntry",
    "ImportOutcome",
    "ImportStatus",
    "NewDocument",
    "Page",
    "Rescore",
    "Rescored",
    "Role",
    "State",
    "Store",
    "StoreError",
    "StoredEvaluation",
    "StoredFinding",
    "User",
    "data_dir",
    "database_url",
    "head_revision",
    "open_store",
]
