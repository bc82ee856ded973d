"""The tables, as SQLAlchemy Core: what the newest migration builds (a test compares them).

Times are naive UTC. Money and points are ``Numeric``; the exact figures of an evaluation
live in its ``data`` (contract §1 JSON, decimals written as they were read).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
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
    text,
)

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
    Column("department", String(500)),  # 主管部门, as the admin gave it (migration 0004)
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

settings = Table(
    "settings",  # the instance's own settings, set by an admin in the browser (0004)
    metadata,
    Column("name", String(64), primary_key=True),  # scheme | scheme_upload | audit
    Column("value", Text, nullable=False),  # JSON
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", ForeignKey("users.id", ondelete="SET NULL")),
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
    # the report without its tables (contract JSON), for a rescore not to read the file (0010)
    Column("report_parts", Text),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("table_index", Integer, nullable=False),  # 1-based, as findings' 表N
    Column("parent_id", ForeignKey("evaluations.id", ondelete="CASCADE")),
    Column("kind", String(16), nullable=False, index=True),
    Column("year", Integer),
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
    # Summaries of ``data`` and of the table's own findings, written by every import and
    # edit (migration 0003): the dashboard and the list read these, never parse ``data``.
    Column("annual_budget", Numeric),  # 全年预算数 (funds.annual_budget), 万元
    Column("executed", Numeric),  # 全年执行数 (funds.executed), 万元
    Column("execution_rate", Float),  # percent: executed × 100 / annual_budget; None unknown
    Column("errors", Integer, nullable=False, server_default="0"),  # findings by severity
    Column("warnings", Integer, nullable=False, server_default="0"),
    Column("infos", Integer, nullable=False, server_default="0"),
    # the dashboard's department: 主管部门, else a department table's own name (预算部门)
    Column("reporting_department", String(500)),
    # which upload of the record this is: 1, then 2 when the same project, unit and year
    # comes again (the earlier ones in ``evaluation_versions``; migration 0006)
    Column("revision", Integer, nullable=False, server_default="1"),
    UniqueConstraint("document_id", "table_index"),
    # a fund's sub-directions by parent_id; the top-level tables (parent_id NULL) of a year
    # and department; and the years and departments of the dashboard's filters, all from it
    Index(None, "parent_id", "year", "reporting_department"),
)

# The list's order (newest year first, then department, name): a filter on the year, and a
# page of the list, come from this index alone, without sorting or reading the rows.
Index(
    "ix_evaluations_list_order",
    evaluations.c.year.desc(),
    evaluations.c.department,
    evaluations.c.name,
    evaluations.c.id,
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("evaluation_id", ForeignKey("evaluations.id", ondelete="CASCADE")),
    Column("code", String(8), nullable=False, index=True),
    Column("severity", String(8), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("message", Text, nullable=False),
    Column("field", String(200)),  # the rule's word for the field, as JSON output gives it
    Column("indicator", Text),
    Column("expected", Text),
    Column("actual", Text),
    Column("advice", Text),
    Column("source", Text),  # JSON
    # where in the table: canonical field paths, comma-joined (migration 0005)
    Column("path", Text),
    Index(None, "document_id"),
    Index(None, "evaluation_id", "code", "severity"),  # counts per table without the rows
)

# The errors alone (the list's 有错误 filter, migration 0011): a table's own, and its
# report's that concern no table; a query names the severity as written here ('error', not
# a bound parameter) for the database to take them.
_ERRORS = text("severity = 'error'")
_REPORT_ERRORS = text("severity = 'error' AND coalesce(evaluation_id, 0) = 0")
Index(
    "ix_findings_errors_evaluation",
    findings.c.evaluation_id,
    sqlite_where=_ERRORS,
    postgresql_where=_ERRORS,
)
Index(
    "ix_findings_errors_document",
    findings.c.document_id,
    sqlite_where=_REPORT_ERRORS,
    postgresql_where=_REPORT_ERRORS,
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
    Column("path", Text),  # the cell commented on (a field path); none: the table (0007)
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
    # why: the reason given with a correction of a budget-time field, the file of a new
    # version (migration 0006)
    Column("note", Text),
)

evaluation_versions = Table(
    "evaluation_versions",  # each earlier upload of a record, as it stood when replaced (0006)
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "evaluation_id",
        ForeignKey("evaluations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("revision", Integer, nullable=False),  # 1, 2, … as evaluations.revision was
    Column("document_id", ForeignKey("documents.id"), nullable=False, index=True),
    Column("table_index", Integer, nullable=False),
    Column("data", Text, nullable=False),  # contract §1 JSON, edits made on it included
    Column("state", String(16), nullable=False),
    Column("total", Points),
    Column("grade", String(32)),
    Column("score", Points),
    Column("score_grade", String(32)),
    Column("replaced_at", DateTime, nullable=False),
    Column("replaced_by", ForeignKey("users.id", ondelete="SET NULL")),
    UniqueConstraint("evaluation_id", "revision"),
)

trail = Table(
    "trail",  # what an administrator removed, kept whole, with who, when and why (0006)
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False, index=True),
    Column("user_id", ForeignKey("users.id", ondelete="SET NULL")),
    Column("action", String(16), nullable=False),  # delete
    Column("evaluation_id", Integer, nullable=False),  # the removed table's id (no longer held)
    Column("title", Text),  # what people called it: name, unit, year
    Column("note", Text),  # the reason given
    Column("data", Text, nullable=False),  # JSON: the table, its sub-tables, history, versions
)


finding_decisions = Table(
    "finding_decisions",  # the reviewer's decision on each finding of a table (0007)
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evaluation_id", ForeignKey("evaluations.id", ondelete="CASCADE"), nullable=False),
    # the finding's rule, place in the table and in the file, hashed (store.review.finding_key):
    # findings are worked out again after each edit, the decision follows its finding
    Column("key", String(64), nullable=False),
    Column("code", String(8), nullable=False),
    Column("path", Text),  # the finding's place when it was decided, for the history
    Column("decision", String(16), nullable=False),  # needs_change | verified | ignored
    Column("comment", Text),
    Column("user_id", ForeignKey("users.id", ondelete="SET NULL")),
    Column("at", DateTime, nullable=False),
    UniqueConstraint("evaluation_id", "key"),
)

jobs = Table(
    "jobs",  # work done in the background: an import batch, a rescore of all, an export (0008)
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),  # import | rescore | export
    Column("title", Text, nullable=False),  # what the job is, as people say it
    Column("reason", Text),  # rescore: why the scores may change (each table's history says it)
    Column("params", Text, nullable=False),  # JSON: the unit, the export's filter and format
    Column("user_id", ForeignKey("users.id", ondelete="SET NULL"), index=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("finished_at", DateTime),  # the last of its items settled
    Column("result_name", String(500)),  # export: the name of the file it makes
)

job_items = Table(
    "job_items",  # one part of a job: a file to import, a run of documents to rescore (0008)
    metadata,
    Column("id", Integer, primary_key=True),
    Column("job_id", ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # in the order the files came
    Column("label", Text, nullable=False),  # the file as its uploader knows it (批量.zip/001.txt)
    Column("content", LargeBinary),  # the file's bytes until it is imported
    Column("params", Text),  # JSON: rescore: the documents of this part
    # pending | running | imported | exists | failed | done (a part of a rescore or export)
    Column("state", String(16), nullable=False),
    Column("message", Text),  # the outcome, as the upload page shows it
    Column("evaluations", Text),  # JSON: the ids of the tables it brought
    Column("document_id", ForeignKey("documents.id", ondelete="SET NULL")),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(200)),  # the process running it (host:pid)
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("job_id", "position"),
    Index(None, "state", "job_id"),
)

report_texts = Table(
    "report_texts",  # the report written in the web app (生成报告), one per table (0009)
    metadata,
    Column("id", Integer, primary_key=True),
    Column("evaluation_id", ForeignKey("evaluations.id", ondelete="CASCADE"), nullable=False),
    Column("html", Text, nullable=False),  # the editor's HTML, kept to a few plain tags
    Column("revision", Integer, nullable=False),  # 1 when drafted, bumped by every save
    Column("created_by", ForeignKey("users.id", ondelete="SET NULL")),  # who drafted it
    Column("created_at", DateTime, nullable=False),
    Column("updated_by", ForeignKey("users.id", ondelete="SET NULL")),  # who saved it last
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("evaluation_id"),
)
