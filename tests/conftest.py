"""Shared fixtures: the bundled schemes and sample evaluations, and the PostgreSQL server
that the store and API tests run their PostgreSQL variants on."""

from __future__ import annotations

import glob
import os
import re
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from jixiao.config import load_scheme
from jixiao.scoring import Scheme
from jixiao.store import database_url

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "src" / "jixiao" / "samples"
START_POSTGRES = ROOT / "scripts" / "start-test-postgres"
POSTGRES_BINARIES = "/usr/lib/postgresql/*/bin"
PG_VARIABLE = "JIXIAO_TEST_PG"
NO_POSTGRES = (
    f"PostgreSQL 未安装（没有 {POSTGRES_BINARIES}）且未设置 {PG_VARIABLE}："
    "运行 scripts/install-system-packages 安装，或用 JIXIAO_TEST_PG 指定服务器"
)
_STOP_LINE = re.compile(r"^stop with: (.+)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests check the logic, not the hash's strength."""
    from argon2 import PasswordHasher

    from jixiao.store import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture(scope="session")
def national() -> Scheme:
    return load_scheme("national-2020")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The server for the PostgreSQL variants: the one JIXIAO_TEST_PG names, else a throwaway
    one started now (only when a PostgreSQL test runs) and removed when the session ends,
    else the test is skipped: without Debian's postgresql there is nothing to start."""
    given = os.environ.get(PG_VARIABLE)
    if given:
        yield given
        return
    if not glob.glob(POSTGRES_BINARIES):
        pytest.skip(NO_POSTGRES)
    url, stop = _start_postgres()
    os.environ[PG_VARIABLE] = url  # for anything the tests start that reads it
    try:
        yield url
    finally:
        os.environ.pop(PG_VARIABLE, None)
        subprocess.run(["bash", "-c", stop], capture_output=True, timeout=60, check=False)


def _start_postgres() -> tuple[str, str]:
    """Run scripts/start-test-postgres: the server's URL, and the command that stops it and
    deletes its directory (the script says it on stderr)."""
    started = subprocess.run(
        [str(START_POSTGRES)], capture_output=True, text=True, timeout=120, check=False
    )
    stop = _STOP_LINE.search(started.stderr)
    if started.returncode != 0 or stop is None:
        pytest.fail(f"scripts/start-test-postgres 启动 PostgreSQL 失败：\n{started.stderr}")
    return started.stdout.strip(), stop.group(1)


@contextmanager
def postgres_schema(server: str, prefix: str) -> Iterator[str]:
    """A new, empty schema on ``server`` for one test (dropped after it): the URL to use."""
    admin = create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
