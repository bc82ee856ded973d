"""Many people editing one table at once (issue 13.1): each PATCH rescored the table inside
SQLite's write lock (BEGIN IMMEDIATE), so with 16 sessions on a 1,000-indicator table the
lock was held for seconds at a time and 20 of 48 edits failed with 'database is locked' (a
500). The rescoring now happens before the write transaction, which lasts milliseconds."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from jixiao.store import Role, Store, open_store
from tests.security.big_tables import store_big_table
from tests.web_client import PASSWORD, As

WRITERS = 16
EDITS = 3  # each


def _impatient(store: Store) -> Store:
    """A store that waits at most 1 s for SQLite's write lock (10 s by default): a write
    transaction that holds the lock for a rescore makes the others give up here."""

    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=1000")

    event.listen(store.engine, "connect", connect)
    store.engine.dispose()
    return store


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[Store, Store, int]]:
    """Two stores on one SQLite file (two server processes), a 300-indicator table."""
    path = str(tmp_path / "shared.db")
    with open_store(path) as first:
        first.add_user("admin", Role.ADMIN, PASSWORD)
        table = store_big_table(first, 300)
    with _impatient(open_store(path)) as one, _impatient(open_store(path)) as two:
        yield one, two, table


def test_sixteen_writers_on_one_table_all_succeed(two_servers: tuple[Store, Store, int]) -> None:
    one, two, table = two_servers
    browsers = [As(one if n % 2 else two, "admin") for n in range(WRITERS)]
    start = threading.Barrier(WRITERS)

    def edit(n: int) -> list[int]:
        start.wait()
        answers = []
        for k in range(EDITS):
            change = {"path": f"indicators[{n * EDITS + k}].actual", "value": f"完成{n}-{k}"}
            answer = browsers[n].send(
                "PATCH", f"/api/evaluations/{table}", json={"changes": [change]}
            )
            answers.append(answer.status_code)
        return answers

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for answers in pool.map(edit, range(WRITERS)) for s in answers]
    assert statuses == [200] * (WRITERS * EDITS)
    stored = one.evaluation(table)
    for n in range(WRITERS):
        for k in range(EDITS):
            assert stored.evaluation.indicators[n * EDITS + k].actual == f"完成{n}-{k}"
    assert sum(h.action == "edit" for h in stored.history) == WRITERS * EDITS
    assert stored.summary.version == 1 + WRITERS * EDITS


def test_a_database_locked_too_long_answers_busy_not_500(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    with open_store(str(path)) as first:
        first.add_user("admin", Role.ADMIN, PASSWORD)
        table = store_big_table(first, 20)
    with _impatient(open_store(str(path))) as store:
        browser = As(store, "admin")
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # someone else's long write
        try:
            change = {"path": "indicators[0].actual", "value": "已完成"}
            answer = browser.send("PATCH", f"/api/evaluations/{table}", json={"changes": [change]})
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert answer.status_code == 503
        assert "数据库繁忙" in answer.json()["error"]["message"]
        assert answer.headers["Retry-After"]
        assert store.evaluation(table).summary.version == 1  # nothing half-written
