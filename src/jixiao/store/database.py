"""Opening a database: where it lives by default, SQLite settings, migrations, version guard."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from jixiao.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

DB_FILE = "jixiao.db"


def data_dir() -> Path:
    """``$JIXIAO_DATA``, else ``$XDG_DATA_HOME/jixiao``, else ``~/.local/share/jixiao``."""
    explicit = os.environ.get("JIXIAO_DATA")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "jixiao"


def database_url(url: str | None) -> str:
    """A SQLAlchemy URL from what the user gave: a URL, a file path, or nothing (default)."""
    if not url:
        return f"sqlite:///{data_dir() / DB_FILE}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg (3) is the driver we ship for; SQLAlchemy's default would be psycopg2
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy (not the sqlite3 module) decide where transactions begin, so reads
    # and writes of one operation share one transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writing transaction takes the write lock at once (waiting up to busy_timeout) rather
    # than failing when it upgrades from reading; reading ones stay deferred.
    writing = connection.get_execution_options().get("writing", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


# Connections kept open: one for each of the web server's worker threads (``WORKER_THREADS``,
# which run its routes), and a few for its background jobs and look-ups made between them.
# A connection over these is opened for one transaction and closed after it (on SQLite with
# its four PRAGMAs): a pool smaller than the threads reopened connections on every busy page.
WORKER_THREADS = 16
POOL_SIZE = WORKER_THREADS + 4
POOL_OVERFLOW = 10


def _pool(database: str | None) -> dict[str, int]:
    """The pool's size for a database file or server (SQLite in memory keeps its own)."""
    if database in (None, "", ":memory:"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}


def make_engine(url: str | None) -> Engine:
    full = database_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError:
        raise StoreError(f"数据库地址无法识别：{url}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"无法创建数据库目录 {Path(parsed.database).parent}（{error.strerror}）"
                ) from None
        engine = create_engine(parsed, **_pool(parsed.database))
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, **_pool(parsed.database))
    except (ArgumentError, ImportError) as error:
        raise StoreError(f"无法使用数据库 {parsed.render_as_string()}：{error}") from None


# Alembic is imported when a database is opened, not with the package (it is slow to load).


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    folder = resources.files("jixiao.store") / "migrations"
    config.set_main_option("script_location", str(folder))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    with resources.as_file(resources.files("jixiao.store") / "migrations") as folder:
        script = ScriptDirectory(str(folder))
        head = script.get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Create or bring up to date; refuse a database written by a newer jixiao."""
    from alembic import command
    from alembic.script import ScriptDirectory

    try:
        with engine.begin() as connection:
            config = _alembic_config(connection)
            script = ScriptDirectory.from_config(config)
            current = current_revision(connection)
            known = {rev.revision for rev in script.walk_revisions()}
            if current is not None and current not in known:
                raise StoreError(
                    f"数据库 {engine.url.render_as_string()} 的结构版本（{current}）"
                    f"比本程序支持的（{script.get_current_head()}）新：请升级 jixiao 后再打开，"
                    "或换用其他数据库。"
                )
            if current != script.get_current_head():
                command.upgrade(config, "head")
    except OperationalError as error:
        raise StoreError(f"无法打开数据库 {engine.url.render_as_string()}：{error.orig}") from None
