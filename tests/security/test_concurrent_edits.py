"""Many people editing one table at once (issue 13.1): each PATCH rescored the table inside
SQLite's write lock (BEGIN IMMEDIATE), so with 16 sessions on a 1,000-indicator table the
lock was held for seconds at a time and 20 of 48 edits failed with 'database is locked' (a
500). The rescoring now happens before the write transaction, which lasts milliseconds.
The same on PostgreSQL (conftest.postgres_url: JIXIAO_TEST_PG or a throwaway server,
skipped without it): two stores on one schema, row locks instead of a file lock."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from jixiao.store import Role, Store, open_store, workflow
from tests.conftest import postgres_schema
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


def _two_stores(url: str, wrap: Callable[[Store], Store]) -> Iterator[tuple[Store, Store, int]]:
    with open_store(url) as first:
        first.add_user("admin", Role.ADMIN, PASSWORD)
        table = store_big_table(first, 300)
    with wrap(open_store(url)) as one, wrap(open_store(url)) as two:
        yield one, two, table


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def two_servers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Store, Store, int]]:
    """Two stores (two server processes) on one SQLite file, or on one PostgreSQL schema;
    a 300-indicator table."""
    if request.param == "sqlite":
        yield from _two_stores(str(tmp_path / "shared.db"), _impatient)
        return
    with postgres_schema(request.getfixturevalue("postgres_url"), "c") as url:
        yield from _two_stores(url, lambda store: store)


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
    lost = [
        f"完成{n}-{k}"
        for n in range(WRITERS)
        for k in range(EDITS)
        if stored.evaluation.indicators[n * EDITS + k].actual != f"完成{n}-{k}"
    ]
    edits = sum(h.action == "edit" for h in stored.history)
    assert (lost, edits, stored.summary.version) == ([], WRITERS * EDITS, 1 + WRITERS * EDITS)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_edit_committed_while_another_is_planned_is_not_lost(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 16 writers' race made certain: another server's edit is committed while the
    planning edit reads the versions (under PostgreSQL's READ COMMITTED it used to be read
    with the table's row already taken, and was then written over)."""
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = str(tmp_path / "shared.db")
        else:
            url = stack.enter_context(postgres_schema(request.getfixturevalue("postgres_url"), "r"))
        one, two = stack.enter_context(open_store(url)), stack.enter_context(open_store(url))
        one.add_user("admin", Role.ADMIN, PASSWORD)
        table = store_big_table(one, 5)
        real = workflow._versions

        def versions(connection: Any, document_id: int, lock: bool = False) -> dict[int, int]:
            if not lock and not interrupted:
                interrupted.append(True)
                two.edit(table, "indicators[1].actual", "他人的修改", "admin")
            return real(connection, document_id, lock)

        interrupted: list[bool] = []
        monkeypatch.setattr(workflow, "_versions", versions)
        one.edit(table, "indicators[0].actual", "我的修改", "admin")
        assert interrupted
        stored = one.evaluation(table)
        actual = [i.actual for i in stored.evaluation.indicators[:2]]
        assert (actual, stored.summary.version) == (["我的修改", "他人的修改"], 3)


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
