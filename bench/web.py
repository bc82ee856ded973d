"""Web speed: latency of the list, an evaluation and the dashboard under concurrent users.

Loads --evaluations self-evaluation tables (default 10,000) into a fresh SQLite file and a
fresh PostgreSQL database, then for each serves the app with ``jixiao serve`` (uvicorn in
a subprocess, real HTTP as in production) and drives it with --clients concurrent httpx
clients (default 8) logged in as a 审核 user, --requests requests per endpoint (default
300): the list page and /api/evaluations (filters and pages varied), an evaluation's page
and /api/evaluations/{id} (tables chosen at random), the dashboard page and /api/dashboard
(as it is served: cached until an evaluation changes), and /api/dashboard with a different
year and department each time (uncached: every request computes the aggregates afresh).
Also timed in the process: the unfiltered dashboard computed from scratch, the heaviest
query (medians of 5). Reports median, p95 and requests/s per endpoint, and the server
process's CPU time per request (its own cost, apart from waiting its turn; PostgreSQL's
own processes not counted), SQLite and PostgreSQL side by side; goal (issue 6): p95 <
100 ms for every endpoint. Each database is served by one server process and by two
(``--workers``, default 1,2): with 8 clients a request mostly waits for the others, so p95
is about clients ÷ requests/s, and a second process on the second core raises requests/s.

The tables are the seed reports' parsed evaluations (src/jixiao/samples/reports) with
variations, scored and checked as an upload is, and stored through ``Store.import_documents``
in batches: 14 cities × 8 bureaus as departments and units, years 2019–2025, budgets scaled
0.2–5×, execution rates from 40 % to 100 %, a few indicators left unachieved. Deterministic
for a given --seed. PostgreSQL: --pg URL uses that server (a database of its own is
created on it and dropped after); without it a throwaway server is started with
scripts/start-test-postgres and stopped after; --no-pg, or no PostgreSQL installed, runs
SQLite alone. With --demo the database is ``jixiao serve --demo``'s instead (the sample
reports in every state, the demo logins: 11 tables, a fund with six sub-directions among them).

With --src DIR (another checkout's ``src``: the code before a change, in a git worktree)
each database is built twice, once by this checkout and once by DIR's code (this script
run on it in a subprocess: each with its own migrations), and both are served at once,
``jixiao serve`` from each checkout, and driven endpoint by endpoint in turn (the first of
the two alternating): the ratio of their server CPU per request is measured in one run, on
one machine, at one load. The machine's load average is printed at the start, around each
measurement and at the end: on a shared machine every latency grows with it, CPU time
and the ratios much less.

    python bench/web.py [--evaluations 10000 | --demo] [--clients 8] [--requests 300]\
        [--pg URL | --no-pg] [--workers 1,2] [--src DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

from jixiao.audit import AuditSettings, run_audit
from jixiao.model import Evaluation, Funds, Report
from jixiao.service import Service
from jixiao.service.audit import _tables
from jixiao.service.store import read_report
from jixiao.store import NewDocument, Role, Store, database_url, open_store
from jixiao.store.dashboard import dashboard

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "src" / "jixiao" / "samples" / "reports"
START_PG = ROOT / "scripts" / "start-test-postgres"
CITIES = (
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "张家界市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "湘西州",
)
BUREAUS = (
    "科学技术局",
    "财政局",
    "教育局",
    "卫生健康委员会",
    "农业农村局",
    "交通运输局",
    "工业和信息化局",
    "生态环境局",
)
PROJECTS = (
    "科技发展专项",
    "市级专项资金",
    "乡村振兴衔接资金",
    "产业发展引导资金",
    "公共卫生服务补助",
    "农村公路养护资金",
    "义务教育保障经费",
    "生态环境保护专项",
)
YEARS = tuple(range(2019, 2026))
REVIEWER, PASSWORD = "shenhe", "bench-password-42"
DEMO_PASSWORD = "jixiao-demo"  # the demo logins' (jixiao serve --demo)
GOAL_MS = 100.0
BATCH = 200  # documents per transaction
_CENT = Decimal("0.01")


# ---- the tables ------------------------------------------------------------------------------


def seed_reports() -> list[tuple[str, Report]]:
    """The seed reports that hold self-evaluation tables, parsed once."""
    out = []
    for path in sorted(REPORTS.glob("*.txt")):
        report = read_report(path).report
        if report is not None and report.evaluations:
            out.append((path.name, report))
    return out


def _amount(value: Decimal | None, scale: Decimal) -> Decimal | None:
    return None if value is None else (value * scale).quantize(_CENT)


def _funds(funds: Funds, scale: Decimal, rate: Decimal) -> Funds:
    """The same block for another budget: amounts times ``scale``, executed at ``rate``."""

    def executed(budget: Decimal | None, was: Decimal | None) -> Decimal | None:
        return None if budget is None or was is None else (budget * rate).quantize(_CENT)

    budget = _amount(funds.annual_budget, scale)
    spent = executed(budget, funds.executed)
    rows = tuple(
        dataclasses.replace(
            row,
            initial_budget=_amount(row.initial_budget, scale),
            annual_budget=_amount(row.annual_budget, scale),
            executed=executed(_amount(row.annual_budget, scale), row.executed),
            amount=_amount(row.amount, scale),
        )
        for row in funds.rows
    )
    written = None
    if funds.rate is not None and budget and spent is not None:
        written = (spent * 100 / budget).quantize(_CENT)
    return dataclasses.replace(
        funds,
        initial_budget=_amount(funds.initial_budget, scale),
        annual_budget=budget,
        executed=spent,
        rate=written,
        rows=rows,
    )


@dataclass(frozen=True, slots=True)
class Variation:
    department: str
    project: str
    year: int
    scale: Decimal
    rate: Decimal
    unachieved: frozenset[int]  # indicator positions whose actual becomes 未完成


def _varied(evaluation: Evaluation, change: Variation, parent: str | None) -> Evaluation:
    if evaluation.kind == "department" and parent is None:
        name, department = change.department, None
    else:
        name = f"{change.department}{change.year}年度{change.project}"
        department = change.department
        if parent is not None:
            suffix = re.search(r"（[^（）]*）$", evaluation.name or "")
            name = parent + (suffix.group(0) if suffix else f"（{evaluation.name}）")
    indicators = tuple(
        dataclasses.replace(item, actual="未完成") if n in change.unachieved else item
        for n, item in enumerate(evaluation.indicators)
    )
    return dataclasses.replace(
        evaluation,
        name=name,
        department=department,
        year=change.year,
        funds=_funds(evaluation.funds, change.scale, change.rate),
        indicators=indicators,
        children=tuple(_varied(child, change, name) for child in evaluation.children),
    )


def _variation(rng: random.Random) -> Variation:
    rate = Decimal(1) if rng.random() < 0.4 else Decimal(rng.randint(4000, 9999)) / 10000
    return Variation(
        department=rng.choice(CITIES) + rng.choice(BUREAUS),
        project=rng.choice(PROJECTS),
        year=rng.choice(YEARS),
        scale=Decimal(rng.randint(20, 500)) / 100,
        rate=rate,
        unachieved=frozenset(rng.sample(range(8), rng.choice((0, 0, 0, 1, 1, 2, 3)))),
    )


def documents(count: int, seed: int) -> Iterator[NewDocument]:
    """Variants of the seed reports, scored and checked, until ``count`` tables in all."""
    rng = random.Random(seed)
    service, settings = Service(), AuditSettings()
    bases = seed_reports()
    sizes = {name: len([t for e in report.evaluations for t in e.walk()]) for name, report in bases}
    left, number = count, 0
    while left > 0:
        fitting = [(name, report) for name, report in bases if sizes[name] <= left]
        name, report = rng.choice(fitting)
        change = _variation(rng)
        varied = dataclasses.replace(
            report,
            year=change.year,
            evaluations=tuple(_varied(e, change, None) for e in report.evaluations),
        )
        tables = _tables(service, varied.evaluations)
        yield NewDocument(
            file_name=f"{number:05d}_{change.department}_{change.year}_{name}",
            content=f"jixiao bench/web.py {seed} {number} {name}".encode(),
            evaluations=varied.evaluations,
            scores=tuple(checked.score for checked in tables),
            findings=tuple(run_audit(tables, varied, settings)),
            unit=change.department,
        )
        left -= sizes[name]
        number += 1


def load_demo(store: Store) -> tuple[int, int]:
    """The demo database (``jixiao serve --demo``: the sample reports in every state, the
    demo logins); (tables, findings) stored."""
    from jixiao.cli.serve import load_demo as demo

    demo(store, Service())
    counts = store.counts()
    return counts["evaluations"], counts["findings"]


def load(store: Store, batch: list[NewDocument]) -> tuple[int, int]:
    """Store the documents ``BATCH`` at a time; (tables, findings) stored."""
    tables = found = 0
    for start in range(0, len(batch), BATCH):
        for outcome in store.import_documents(batch[start : start + BATCH]):
            tables += outcome.evaluations
            found += outcome.findings
    if store.user(REVIEWER) is None:
        store.add_user(REVIEWER, Role.REVIEWER, PASSWORD, display_name="审核（压测）")
    return tables, found


# ---- the databases ---------------------------------------------------------------------------


@dataclass
class Database:
    label: str
    url: str
    cleanup: Callable[[], None] = lambda: None


def sqlite_database(folder: Path, number: int = 0) -> Database:
    return Database("SQLite", f"sqlite:///{folder / f'web{number}.db'}")


def _stop_command(stderr: str) -> str | None:
    found = re.search(r"^stop with: (.+)$", stderr, re.MULTILINE)
    return found.group(1) if found else None


def postgres_server(given: str | None) -> tuple[str, Callable[[], None]] | None:
    """The server ``given``, else a throwaway one: its URL and how to stop it; None (with a
    message) when there is no PostgreSQL to use."""
    if given is not None:
        return given, lambda: None
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        print("跳过 PostgreSQL：未安装（scripts/install-system-packages 安装），或用 --pg URL")
        return None
    started = subprocess.run(
        [str(START_PG)], capture_output=True, text=True, timeout=180, check=False
    )
    stop = _stop_command(started.stderr)
    if started.returncode != 0 or stop is None:
        print(f"跳过 PostgreSQL：scripts/start-test-postgres 失败\n{started.stderr}")
        return None

    def stopped() -> None:
        subprocess.run(["bash", "-c", stop], capture_output=True, timeout=60, check=False)

    return started.stdout.strip(), stopped


def postgres_database(server: str) -> Database:
    """A fresh database on ``server``, dropped by its cleanup."""
    name = f"jixiao_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url(server), isolation_level="AUTOCOMMIT")

    def cleanup() -> None:
        try:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        finally:
            admin.dispose()

    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(database_url(server)).set(database=name)
    return Database("PostgreSQL", url.render_as_string(hide_password=False), cleanup)


# ---- the server and its clients --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(src: Path | None) -> dict[str, str]:
    """This process's environment; with ``src``, that checkout's code imported first."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


class Server:
    """``jixiao serve`` on the database, in a subprocess, until the block ends."""

    def __init__(self, url: str, workers: int = 1, src: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # a file, not a pipe: a pipe left unread could block the server; closed in __exit__
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        command = "import sys; from jixiao.cli.main import main; sys.exit(main(sys.argv[1:]))"
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-c", command, "serve", "--db", url),
                *("--port", str(self.port), "--workers", str(workers)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            env=environment(src),
        )

    def said(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def __enter__(self) -> Server:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jixiao serve 退出：{self.said()}")
            try:
                if httpx.get(self.base + "/login", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("jixiao serve 60 秒内没有就绪")

    def __exit__(self, *_: object) -> None:
        self.process.send_signal(signal.SIGINT)  # as Ctrl-C: open requests answered first
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


async def logged_in(base: str, password: str = PASSWORD) -> httpx.AsyncClient:
    """A client with a 审核 user's session cookie."""
    client = httpx.AsyncClient(base_url=base, timeout=60)
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, "登录页没有 csrf_token"
    done = await client.post(
        "/login",
        data={"name": REVIEWER, "password": password, "csrf_token": token.group(1), "next": "/"},
    )
    assert done.status_code in (200, 303), done.text[:300]
    return client


@dataclass(frozen=True, slots=True)
class Result:
    latencies: list[float]  # ms
    seconds: float  # wall time of the whole run
    failures: int
    server_cpu: float | None = None  # CPU seconds the server process spent on the run

    @property
    def cpu_ms(self) -> float | None:
        """The server's CPU time per request: its cost apart from waiting its turn."""
        return None if self.server_cpu is None else self.server_cpu * 1000 / len(self.latencies)

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


async def drive(clients: list[httpx.AsyncClient], urls: list[str]) -> Result:
    """Every URL once, the clients each taking the next as soon as they are free."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    latencies: list[float] = []
    failures = 0

    async def work(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not queue.empty():
            url = queue.get_nowait()
            start = time.perf_counter()
            response = await client.get(url)
            latencies.append((time.perf_counter() - start) * 1000)
            failures += response.status_code != 200

    start = time.perf_counter()
    await asyncio.gather(*(work(client) for client in clients))
    return Result(latencies, time.perf_counter() - start, failures)


# ---- what is asked ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    """What the request mix needs to know of the stored data."""

    ids: list[int]
    pages: int  # of the unfiltered list, 50 a page
    years: list[int]
    departments: list[str]


def shape(store: Store) -> Shape:
    with store.reading() as connection:
        ids = [int(i) for i in connection.scalars(text("SELECT id FROM evaluations"))]
        board = dashboard(connection)
    return Shape(ids, -(-len(ids) // 50), list(board.years), list(board.department_names))


def list_queries(data: Shape, rng: random.Random, count: int) -> list[str]:
    """List pages as people ask them: mostly plain pages, some filtered or searched."""
    out = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.5:
            out.append(f"page={rng.randint(1, data.pages)}")
        elif kind < 0.7:
            out.append(f"year={rng.choice(data.years)}&page={rng.randint(1, 10)}")
        elif kind < 0.8:
            out.append(f"department={rng.choice(data.departments)}")
        elif kind < 0.9:
            out.append(f"q={rng.choice(PROJECTS)[:2]}&page={rng.randint(1, 5)}")
        else:
            out.append(f"has_errors=true&page={rng.randint(1, 20)}")
    return out


def endpoints(data: Shape, count: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    queries = list_queries(data, rng, count)
    ids = [rng.choice(data.ids) for _ in range(count)]
    pairs = [(y, d) for y in data.years for d in data.departments]
    rng.shuffle(pairs)
    fresh = [f"/api/dashboard?year={y}&department={d}" for y, d in pairs[:count]]
    return {
        "列表页 /evaluations": [f"/evaluations?{q}" for q in queries],
        "/api/evaluations": [f"/api/evaluations?{q}" for q in queries],
        "自评表页 /evaluations/{id}": [f"/evaluations/{i}" for i in ids],
        "/api/evaluations/{id}": [f"/api/evaluations/{i}" for i in ids],
        "看板页 /dashboard": ["/dashboard"] * count,
        "/api/dashboard": ["/api/dashboard"] * count,
        "/api/dashboard 未缓存（年度×部门）": fresh,
    }


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, its threads and its worker processes (Linux
    /proc), else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(child) or 0.0 for child in children(pid))


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(n) for n in task.read_text().split()]
        except OSError:
            continue
    return found


async def measure(
    servers: dict[str, Server], plans: dict[str, dict[str, list[str]]], clients: int, password: str
) -> dict[str, dict[str, Result]]:
    """Each endpoint on each server in turn (side by side: the servers take turns, the
    first of them alternating from one endpoint to the next)."""
    sessions = {
        name: [await logged_in(server.base, password) for _ in range(clients)]
        for name, server in servers.items()
    }
    out: dict[str, dict[str, Result]] = {name: {} for name in servers}
    names = list(servers)
    try:
        for turn, label in enumerate(next(iter(plans.values()))):
            for name in names[turn % len(names) :] + names[: turn % len(names)]:
                urls = plans[name][label]
                mine = sessions[name]
                await drive(mine, [u for u in urls[: clients * 2] if "未缓存" not in label])
                pid = servers[name].process.pid
                before = cpu_seconds(pid)
                result = await drive(mine, urls)
                after = cpu_seconds(pid)
                spent = None if before is None or after is None else after - before
                out[name][label] = dataclasses.replace(result, server_cpu=spent)
        return out
    finally:
        for mine in sessions.values():
            for session in mine:
                await session.aclose()


def scratch_dashboard(store: Store, repeat: int = 5) -> float:
    """The unfiltered dashboard computed afresh (no cache), median ms."""
    times = []
    with store.reading() as connection:
        for _ in range(repeat):
            start = time.perf_counter()
            dashboard(connection)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# ---- the report ------------------------------------------------------------------------------


def table(results: dict[str, dict[str, Result]]) -> str:
    """One row an endpoint; per setting: median / p95 ms, requests/s, server CPU ms."""
    names = list(results)
    head = "| endpoint | " + " | ".join(names) + " |"
    lines = [head, "|" + " --- |" * (1 + len(names))]
    for label in next(iter(results.values())):
        cells = []
        for name in names:
            r = results[name][label]
            failed = f" ({r.failures} failed)" if r.failures else ""
            cpu = "—" if r.cpu_ms is None else f"{r.cpu_ms:.1f}"
            cells.append(f"{r.median:.0f} / {r.p95:.0f}{failed} ms, {r.rate:.0f}/s, CPU {cpu}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("cells: median / p95 latency, requests per second, server CPU ms per request")
    return "\n".join(lines)


def verdict(results: dict[str, dict[str, Result]]) -> str:
    over = [
        f"{label} on {name} (p95 {r.p95:.0f} ms)"
        for name, rows in results.items()
        for label, r in rows.items()
        if r.p95 >= GOAL_MS
    ]
    if not over:
        return f"goal p95 < {GOAL_MS:.0f} ms: met for every endpoint"
    return f"goal p95 < {GOAL_MS:.0f} ms: NOT met for " + "; ".join(over)


def build(url: str, args: argparse.Namespace, batch: list[NewDocument] | None) -> tuple[int, int]:
    """Fill the database at ``url`` (this checkout's code): the demo, or ``batch``."""
    with open_store(url) as store:
        return load_demo(store) if args.demo else load(store, batch or [])


def build_with(src: Path, url: str, args: argparse.Namespace) -> None:
    """Fill the database at ``url`` with another checkout's code (its own migrations), by
    this script run in a subprocess on ``src``."""
    command = [sys.executable, __file__, "--load-into", url, "--seed", str(args.seed)]
    command += ["--demo"] if args.demo else ["--evaluations", str(args.evaluations)]
    subprocess.run(command, env=environment(src), check=True)


def load_average() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def run(
    databases: dict[str, Database],
    sources: dict[str, Path | None],
    batch: list[NewDocument] | None,
    args: argparse.Namespace,
) -> dict[str, dict[str, Result]]:
    """One database kind: a database per checkout, filled, then served and measured side by
    side."""
    plans: dict[str, dict[str, list[str]]] = {}
    for code, src in sources.items():
        database = databases[code]
        start = time.perf_counter()
        if src is None:
            tables, found = build(database.url, args, batch)
            print(f"{database.label}{code}: {tables} tables, {found} findings stored", end="")
            print(f" in {time.perf_counter() - start:.1f} s")
        else:
            build_with(src, database.url, args)
        with open_store(database.url) if src is None else _opened(database.url, src) as store:
            data = shape(store)
            if src is None:
                scratch = scratch_dashboard(store)
                print(f"{database.label}: unfiltered dashboard from scratch {scratch:.0f} ms")
        plans[code] = endpoints(data, args.requests, args.seed)
    out: dict[str, dict[str, Result]] = {}
    password = DEMO_PASSWORD if args.demo else PASSWORD
    for workers in args.workers:
        label = next(iter(databases.values())).label
        label += f", {workers} 进程" if len(args.workers) > 1 else ""
        servers = {
            label + code: Server(databases[code].url, workers, src) for code, src in sources.items()
        }
        print(f"load average before: {load_average()}")
        try:
            for server in servers.values():
                server.__enter__()
            named = {label + code: plans[code] for code in sources}
            out |= asyncio.run(measure(servers, named, args.clients, password))
        except Exception:
            for name, server in servers.items():  # what a server said before failing
                print(f"--- {name}: jixiao serve said ---\n{server.said()[-3000:]}")
            raise
        finally:
            for server in servers.values():
                if server.process.poll() is None:
                    server.__exit__()
        print(f"load average after: {load_average()}")
    return out


class _opened:
    """The shape of a database another checkout filled, read without migrating it (this
    checkout's migrations may be ahead of it)."""

    def __init__(self, url: str, _src: Path) -> None:
        from jixiao.store.database import make_engine

        self.store = Store(make_engine(url))

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *_: object) -> None:
        self.store.close()


def ratios(results: dict[str, dict[str, Result]], codes: list[str]) -> str:
    """Server CPU per request, this checkout ÷ the other (--src), each endpoint."""
    lines = ["", "server CPU ms per request, this checkout ÷ --src (same run):"]
    mine = [name for name in results if name.endswith(codes[0])]
    for name in mine:
        other = results.get(name.removesuffix(codes[0]) + codes[1])
        if other is None:
            continue
        for label, result in results[name].items():
            then = other[label].cpu_ms
            if result.cpu_ms is None or not then:
                continue
            lines.append(
                f"  {name} {label}: {result.cpu_ms:.1f} ÷ {then:.1f} = {result.cpu_ms / then:.2f}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--evaluations", type=int, default=10_000)
    parser.add_argument("--demo", action="store_true", help="the demo database (serve --demo)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=300, help="per endpoint")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL server (default: a throwaway one)")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2],
        help="server processes to compare, e.g. 1,2 (jixiao serve --workers)",
    )
    parser.add_argument("--src", type=Path, help="another checkout's src, served side by side")
    parser.add_argument("--load-into", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_into:  # the --src checkout filling its own database (see build_with)
        batch = None if args.demo else list(documents(args.evaluations, args.seed))
        build(args.load_into, args, batch)
        return
    print(f"load average at the start: {load_average()}")
    batch = None
    if not args.demo:
        start = time.perf_counter()
        batch = list(documents(args.evaluations, args.seed))
        print(
            f"{len(batch)} documents, {args.evaluations} tables from the seed reports, scored "
            f"and checked in {time.perf_counter() - start:.1f} s"
        )
    sources: dict[str, Path | None] = {"": None}
    if args.src is not None:
        sources[" (--src)"] = args.src.resolve()
    results: dict[str, dict[str, Result]] = {}
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-web-") as folder:
        kinds = [{code: sqlite_database(Path(folder), n) for n, code in enumerate(sources)}]
        stops: list[Callable[[], None]] = []
        if not args.no_pg:
            server = postgres_server(args.pg)
            if server is not None:
                url, stop = server
                stops.append(stop)
                kinds.append({code: postgres_database(url) for code in sources})
        try:
            for databases in kinds:
                try:
                    results.update(run(databases, sources, batch, args))
                finally:
                    for database in databases.values():
                        database.cleanup()
        finally:
            for stop in stops:
                stop()
    what = "the demo database" if args.demo else f"{args.evaluations} tables"
    print(f"\n{what}; {args.clients} concurrent clients (审核 user), {args.requests} requests per")
    print("endpoint; load average at the end: " + load_average())
    print(table(results))
    print(verdict(results))
    if args.src is not None:
        print(ratios(results, list(sources)))


if __name__ == "__main__":
    main()
