"""Several servers and workers on one PostgreSQL (issue 14), each a process of its own as a
deployment runs them: two ``jixiao serve`` and two ``jixiao worker`` on a schema of the
test server (conftest.postgres_url).

- a browser logged in on one server is logged in on the other (the session, its CSRF token
  and its logout are the database's), and failed logins count across both servers;
- a batch uploaded to one server is followed on the other; a worker killed with SIGKILL in
  the middle of a file leaves that file to the other worker (after its heartbeat stops),
  and every file is stored exactly once: none lost, none twice (counted in the database).
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import bindparam, text

from jixiao.store import Role, Store, open_store
from tests.conftest import postgres_schema
from tests.test_jobs import REPORTS, variant
from tests.test_web_e2e import serving
from tests.web_client import PASSWORD, login, zipped

STALLED_AFTER = 3  # seconds: a killed worker's jobs move on quickly in the test
WAIT = 240.0
FILES = 24


def jixiao(*args: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        "import sys; from jixiao.cli.main import main; sys.exit(main(sys.argv[1:]))",
        *args,
    ]


@contextlib.contextmanager
def working(database: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``jixiao worker`` on ``database`` while the block runs; stopped as systemd stops it
    (SIGTERM), unless the test killed it."""
    command = jixiao("worker", "--db", database, "--stalled-after", str(STALLED_AFTER))
    with log.open("wb") as output:
        worker = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


@pytest.fixture(scope="module")
def deployment(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, list[str], list[subprocess.Popen[bytes]]]]:
    """The database's URL, two servers' addresses, two workers."""
    folder = tmp_path_factory.mktemp("province")
    with postgres_schema(postgres_url, "scale") as url:
        with open_store(url) as store:
            store.add_user("reviewer", Role.REVIEWER, PASSWORD)
            store.add_user("filler", Role.FILLER, PASSWORD, unit="株洲市科学技术局")
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        with (
            serving(url, folder / "a") as first,
            serving(url, folder / "b") as second,
            working(url, folder / "worker1.log") as one,
            working(url, folder / "worker2.log") as two,
        ):
            yield url, [first, second], [one, two]


def logged_in(server: str, name: str, password: str = PASSWORD) -> httpx.Response:
    """The login form as a browser posts it, to ``server``."""
    answer: httpx.Response = login(httpx.Client(base_url=server), name, password)
    return answer


def test_a_session_and_its_csrf_token_hold_on_every_server(
    deployment: tuple[str, list[str], list[Any]],
) -> None:
    _, (first, second), _ = deployment
    answer = logged_in(first, "reviewer")
    assert answer.status_code == 303, answer.text
    cookie = answer.cookies["jixiao_session"]
    on_first = httpx.Client(base_url=first, cookies={"jixiao_session": cookie})
    on_second = httpx.Client(base_url=second, cookies={"jixiao_session": cookie})
    me = on_second.get("/api/me")
    assert me.status_code == 200 and me.json()["name"] == "reviewer"
    csrf = on_first.get("/api/me").json()["csrf_token"]
    assert me.json()["csrf_token"] == csrf
    # a change sent to the other server with the token the first one gave
    started = on_second.post(
        "/api/imports",
        files=[("files", ("空.txt", b"\n"))],
        headers={"X-CSRF-Token": csrf},
    )
    assert started.status_code == 202, started.text
    forged = on_second.post("/api/imports", files=[("files", ("空.txt", b"\n"))])
    assert forged.status_code == 403
    # logged out on one, logged out on both
    assert on_second.post("/logout", headers={"X-CSRF-Token": csrf}).status_code in {200, 303}
    assert on_first.get("/api/me").status_code == 401


def test_failed_logins_count_across_servers(
    deployment: tuple[str, list[str], list[Any]],
) -> None:
    _, (first, second), _ = deployment
    # five wrong passwords allowed per name and address (WebSettings.login_failures)
    for server in (first, second, first, second, first):
        assert logged_in(server, "filler", "wrong password").status_code == 401
    refused = logged_in(second, "filler")  # the right password, on the other server
    assert refused.status_code == 429 and "登录失败次数过多" in refused.text


def _running_in(store: Store, pid: int) -> list[int]:
    with store.reading() as connection:
        return list(
            connection.execute(
                text("SELECT id FROM job_items WHERE state = 'running' AND claimed_by LIKE :me"),
                {"me": f"%:{pid}"},
            ).scalars()
        )


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    deployment: tuple[str, list[str], list[subprocess.Popen[bytes]]],
) -> None:
    url, (first, second), (victim, survivor) = deployment
    answer = logged_in(first, "reviewer")
    cookie = answer.cookies["jixiao_session"]
    uploader = httpx.Client(base_url=first, cookies={"jixiao_session": cookie}, timeout=60)
    watcher = httpx.Client(base_url=second, cookies={"jixiao_session": cookie})
    csrf = uploader.get("/api/me").json()["csrf_token"]
    members = {f"省/{n:03d}.txt": variant(REPORTS[n % 2], n) for n in range(FILES)}
    sent = {hashlib.sha256(content).hexdigest() for content in members.values()}
    started = uploader.post(
        "/api/imports",
        files=[("files", ("全省.zip", zipped(members)))],
        headers={"X-CSRF-Token": csrf},
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    with open_store(url) as store:
        deadline = time.monotonic() + WAIT
        while True:  # caught with a file in hand: frozen, then looked at, then killed
            assert time.monotonic() < deadline, "被终止的后台进程始终没有领取任务"
            if _running_in(store, victim.pid):
                victim.send_signal(signal.SIGSTOP)
                time.sleep(1.0)  # a commit it had sent is through, even on a loaded machine
                held = _running_in(store, victim.pid)
                if held:
                    break
                victim.send_signal(signal.SIGCONT)
            time.sleep(0.02)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        while (job := watcher.get(f"/api/jobs/{job_id}").json())["state"] != "finished":
            assert time.monotonic() < deadline, f"任务未完成：{job}"
            time.sleep(0.3)
        assert survivor.poll() is None
        with store.reading() as connection:
            items = connection.execute(
                text("SELECT id, state, attempts FROM job_items WHERE job_id = :job"),
                {"job": job_id},
            ).all()
            stored = connection.execute(
                text("SELECT sha256 FROM documents WHERE sha256 IN :sent").bindparams(
                    bindparam("sent", expanding=True)
                ),
                {"sent": sorted(sent)},
            ).scalars()
            stored_hashes = sorted(stored)
    assert len(items) == FILES
    assert {state for _, state, _ in items} == {"imported"}  # none lost, none "exists"
    assert stored_hashes == sorted(sent)  # each file stored once
    # the files it held (claimed together): each run again once, by itself
    attempts = {i: a for i, _, a in items}
    assert held and all(attempts[i] == 2 for i in held)


def test_a_batch_with_no_worker_alive_says_what_it_waits_for(postgres_url: str) -> None:
    from tests.web_client import As

    with postgres_schema(postgres_url, "idle") as url, open_store(url) as store:
        store.add_user("reviewer", Role.REVIEWER, PASSWORD)
        reviewer = As(store, "reviewer")
        started = reviewer.send("POST", "/api/imports", files=[("files", ("a.txt", b"x\n"))])
        assert started.status_code == 202
        waiting = started.json()["waiting"]
        assert "没有正在运行的后台任务进程" in waiting and "管理员" in waiting
