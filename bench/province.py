"""A synthetic province: evaluations with realistic value strings, for the benchmarks;
run as a script, the province's background work measured on PostgreSQL (issue 14).

Targets are the round numbers people set (8家, ≥95%, 260亿, 12月, 效果明显); actuals land
near them, sometimes short, sometimes far over; a few drop the unit or are compound, as in
the seed reports. Deterministic for a given seed.

    python bench/province.py [--tables 3000] [--workers 1,2,4] [--pg URL [--pg-data DIR]]
                             [--worker-nice N] [--no-kill]

makes --tables tables (one per file: evaluation files as a province's systems send them,
JSON, 16 indicators each, 14 cities × 8 bureaus) and on a fresh database for each worker
count queues them as one import batch (as the upload page does), starts that many
``jixiao worker`` processes and reports tables per second (from the workers' start to the
last file settled), each worker's peak memory (VmHWM) and the CPU time per table of the
workers and of the PostgreSQL server (its data directory known: the throwaway one, or
--pg-data), which a machine shared with others does not change as it changes the rates.
On the database of the 2-worker run: a rescore of every table (2 workers) timed while one
``jixiao serve`` answers the list and evaluation pages to 4 clients (p95 before and
during), then a batch of half as
many again during which one worker is killed with SIGKILL while it holds a file (and
started again, as systemd's Restart=always does): every file is counted in the database,
none lost, none twice. The machine's load average is printed with each figure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.model import Evaluation, Funds, Indicator

ROOT = Path(__file__).resolve().parents[1]
REVIEWER, PASSWORD = "shenhe", "bench-password-42"  # as bench/web.py logs in

ROUND = [
    1,
    2,
    3,
    5,
    8,
    10,
    12,
    15,
    20,
    25,
    30,
    40,
    50,
    60,
    80,
    100,
    120,
    150,
    200,
    300,
    400,
    500,
    1000,
    1100,
    3000,
    19000,
]
COUNT_UNITS = ["家", "个", "项", "名", "人", "件", "次", "场"]
QUALITATIVE = [
    ("效果明显", "已完成"),
    ("营造良好氛围", "营造了良好氛围"),
    ("达成预期指标", "达成预期指标"),
    ("有效提升服务水平", "基本完成"),
    ("科技活动不破坏生态环境", "科技活动不破坏生态环境"),
    ("控制在预算金额内", "控制在预算金额内"),
    ("推动产业发展", "未完成"),
]
LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
]


def _actual_number(rng: random.Random, target: float) -> str:
    factor = rng.choice(
        [1, 1, 1, rng.uniform(0.6, 1.0), rng.uniform(1.0, 1.5), rng.uniform(1.5, 4)]
    )
    value = target * factor
    return f"{value:.0f}" if target >= 50 else f"{value:.2f}".rstrip("0").rstrip(".")


def value_pair(rng: random.Random, level2: str) -> tuple[str, str]:
    """One (target, actual) pair in the way real reports write them."""
    roll = rng.random()
    if level2 == "时效指标":
        month = rng.choice([6, 10, 11, 12, 12, 12])
        return rng.choice(
            [
                (f"{month}月", f"{month}月"),
                ("2024.12.31前", "2024.12.31前"),
                ("12个月", "12个月"),
                (f"{month}月", f"{min(12, month + 1)}月"),
            ]
        )
    if level2 == "服务对象满意度指标":
        target = rng.choice([85, 90, 95])
        actual = rng.choice([90, 95, 96, 98, 99, 100])
        return rng.choice(
            [
                (f"≥{target}%", f"{actual}%"),
                (f"{target}%", f"{actual}%"),
                (f"满意度达{target}%", f"满意度达{actual}%"),
                (f"≥{target}%", str(actual)),
            ]
        )
    if roll < 0.15:
        return rng.choice(QUALITATIVE)
    if roll < 0.20:
        a, b = rng.choice(ROUND[:8]), rng.choice(ROUND[5:15])
        return (
            f"省级平台{a}个以上，市级平台{b}个以上",
            f"省级{_actual_number(rng, a)}个；市级{_actual_number(rng, b)}个",
        )
    target = rng.choice(ROUND)
    if level2 == "成本指标" or roll < 0.30:
        unit = rng.choice(["万元", "亿元", "亿"])
        template = rng.choice(["≤{}", "{}以内", "控制在{}以内", "{}"])
        return template.format(f"{target}{unit}"), f"{_actual_number(rng, target)}{unit}"
    if roll < 0.50:
        pct = rng.choice([2, 3.2, 5, 6, 8, 15, 25, 90, 95, 100])
        template = rng.choice(["{}%", "≥{}%", "{}%以上", "不低于{}%"])
        return template.format(pct), f"{_actual_number(rng, pct)}%"
    unit = rng.choice(COUNT_UNITS)
    template = rng.choice(["{}", "{}", "≥{}", "{}以上", "不少于{}"])
    actual = _actual_number(rng, target)
    return template.format(f"{target}{unit}"), actual if rng.random() < 0.05 else f"{actual}{unit}"


def province(evaluations: int, indicators: int, seed: int = 2024) -> list[Evaluation]:
    """``evaluations`` tables holding ``indicators`` indicators in all."""
    rng = random.Random(seed)
    per, extra = divmod(indicators, evaluations)
    out: list[Evaluation] = []
    for number in range(evaluations):
        count = per + (1 if number < extra else 0)
        rows = []
        for i in range(count):
            level1, level2 = LEVELS[i % len(LEVELS)] if i >= len(LEVELS) else LEVELS[i]
            target, actual = value_pair(rng, level2)
            weight = Decimal(rng.choice([5, 5, 10, 10, 10, 20]))
            rows.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=f"指标{i}",
                    target=target,
                    actual=actual,
                    weight=weight,
                    score=weight,
                )
            )
        budget = Decimal(rng.randint(10, 50000)) / 10
        executed = (budget * Decimal(rng.uniform(0.6, 1.0))).quantize(Decimal("0.01"))
        out.append(
            Evaluation(
                kind=rng.choice(["project", "department"]),
                name=f"单位{number}",
                funds=Funds(annual_budget=budget, executed=executed, weight=Decimal(10)),
                indicators=tuple(rows),
            )
        )
    return out


# ---- the benchmark: background work of a province on PostgreSQL ------------------------------


def files(count: int, seed: int = 14) -> list[tuple[str, bytes]]:
    """``count`` evaluation files (JSON), one table each, of 14 cities' 8 bureaus."""
    from dataclasses import replace

    from jixiao.document.evaluation_file import dump_json, evaluation_to_data
    from web import BUREAUS, CITIES

    out = []
    for n, evaluation in enumerate(province(count, count * 16, seed)):
        city, bureau = CITIES[n % len(CITIES)], BUREAUS[(n // len(CITIES)) % len(BUREAUS)]
        unit = f"{city}{bureau}"
        named = replace(
            evaluation,
            name=f"{unit}{evaluation.name}项目" if evaluation.kind == "project" else unit,
            department=unit,
            year=2024,
        )
        data = dump_json(evaluation_to_data(named, sources=False)).encode("utf-8")
        out.append((f"{city}/{bureau}/{n:06d}.json", data))
    return out


TICK = os.sysconf("SC_CLK_TCK")
PG_DATA: list[Path] = []  # the server's data directory, when known: its CPU is counted too


def cpu_of(pid: int, children: bool = False) -> float:
    """CPU seconds (user + system) of a process so far (with its reaped children's)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    used = (
        int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    )
    return used / TICK


def postgres_cpu() -> float | None:
    """CPU seconds of the PostgreSQL server so far: the postmaster with its backends, those
    that ended included; None when its data directory is not known."""
    if not PG_DATA:
        return None
    postmaster = int((PG_DATA[0] / "postmaster.pid").read_text().split()[0])
    total = cpu_of(postmaster, children=True)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            total += cpu_of(int(stat.parent.name))
    return total


def per_table(seconds: float | None, tables: int) -> str:
    return "?" if seconds is None else f"{seconds * 1000 / tables:.1f}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"负载 {one:.1f}/{five:.1f}"


WORKER_ARGS: list[str] = []  # more for each jixiao worker (--worker-nice)


class Workers:
    """``count`` ``jixiao worker`` processes on ``url`` until the block ends."""

    def __init__(self, url: str, count: int) -> None:
        self.url = url
        self.processes = [self.start() for _ in range(count)]

    def start(self) -> subprocess.Popen[bytes]:
        command = "import sys; from jixiao.cli.main import main; sys.exit(main(sys.argv[1:]))"
        arguments = ["worker", "--db", self.url, "--stalled-after", "6", *WORKER_ARGS]
        return subprocess.Popen(
            [sys.executable, "-c", command, *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def cpu(self) -> float:
        """CPU seconds of the live workers so far."""
        return sum(cpu_of(p.pid) for p in self.processes if p.poll() is None)

    def peak_mib(self) -> list[float]:
        """Each live worker's peak resident memory."""
        peaks = []
        for process in self.processes:
            status = Path(f"/proc/{process.pid}/status")
            if process.poll() is None and status.exists():
                found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if found:
                    peaks.append(int(found.group(1)) / 1024)
        return peaks

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def queue_batch(store: Any, batch: list[tuple[str, bytes]]) -> int:
    """One import batch of the files, queued as the upload page queues it; its job id."""
    from jixiao.service.jobs import start_import
    from jixiao.service.queue import Procrastinate
    from jixiao.store.jobs import NewItem

    user = store.user(REVIEWER)
    items = [NewItem(name, content) for name, content in batch]
    return start_import(store, Procrastinate(store).enqueue, user, None, items, "压测")


def progress(store: Any, job_id: int) -> tuple[int, int, bool]:
    """(items settled, items failed, finished) of a job."""
    from jixiao.store import jobs

    with store.reading() as connection:
        view = jobs.job(connection, job_id, after=2**31 - 1)
    assert view is not None
    return view.settled, view.counts.get("failed", 0), view.finished


def wait(store: Any, job_id: int, timeout: float = 7200) -> None:
    deadline = time.monotonic() + timeout
    while not progress(store, job_id)[2]:
        if time.monotonic() > deadline:
            raise RuntimeError(f"任务 {job_id} 未在 {timeout} 秒内完成")
        time.sleep(0.2)


def fresh_database(server: str) -> Any:
    from jixiao.store import Role, open_store
    from web import postgres_database

    database = postgres_database(server)
    assert database is not None
    store = open_store(database.url)
    store.add_user(REVIEWER, Role.REVIEWER, PASSWORD)
    return database, store


def import_run(server: str, batch: list[tuple[str, bytes]], workers: int) -> Any:
    """The batch imported by ``workers`` workers; the database and its store, kept open."""
    database, store = fresh_database(server)
    started = time.perf_counter()
    job_id = queue_batch(store, batch)
    queued = time.perf_counter() - started
    began = time.perf_counter()
    server_before = postgres_cpu()
    with Workers(database.url, workers) as running:
        peak: list[float] = []
        while not progress(store, job_id)[2]:
            peak = running.peak_mib() or peak
            time.sleep(0.5)
        peak = running.peak_mib() or peak
        worker_cpu = running.cpu()
    seconds = time.perf_counter() - began
    server_after = postgres_cpu()
    server_cpu = None if server_before is None else (server_after or 0) - server_before
    _, failed, _ = progress(store, job_id)
    memory = "、".join(f"{m:.0f}" for m in peak)
    print(
        f"导入 {len(batch)} 张，{workers} 个后台进程：{len(batch) / seconds:.1f} 张/秒"
        f"（{seconds:.1f} 秒；入队 {queued:.1f} 秒；失败 {failed}；"
        f"各进程内存峰值 {memory} MiB；CPU 每张 后台进程 {per_table(worker_cpu, len(batch))} ms、"
        f"PostgreSQL {per_table(server_cpu, len(batch))} ms；{load()}）",
        flush=True,
    )
    return database, store


async def _pages(base: str, ids: list[int], seconds: float, clients: int = 4) -> list[float]:
    """The list and evaluation pages asked for by ``clients`` users for ``seconds`` (or
    as long as the caller's rescore runs); the latencies in ms."""
    import asyncio

    from web import logged_in

    users = [await logged_in(base) for _ in range(clients)]
    latencies: list[float] = []
    rng = random.Random(5)
    end = time.monotonic() + seconds

    async def work(client: Any) -> None:
        while time.monotonic() < end:
            url = (
                f"/evaluations?page={rng.randint(1, 50)}"
                if rng.random() < 0.5
                else f"/evaluations/{rng.choice(ids)}"
            )
            start = time.perf_counter()
            response = await client.get(url)
            latencies.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url

    await asyncio.gather(*(work(client) for client in users))
    for client in users:
        await client.aclose()
    return latencies


def p95(latencies: list[float]) -> float:
    from web import Result

    return Result(latencies, 1.0, 0).p95


def rescore_run(database: Any, store: Any, tables: int) -> None:
    """Every table rescored by 2 workers while a server answers pages."""
    import asyncio

    from sqlalchemy import text

    from jixiao.service.jobs import start_rescore
    from jixiao.service.queue import Procrastinate
    from web import Server

    with store.reading() as connection:
        ids = [int(i) for i in connection.scalars(text("SELECT id FROM evaluations"))]
    with Server(database.url) as server:
        quiet = asyncio.run(_pages(server.base, ids, 20))
        print(
            f"页面 p95（无后台任务）：{p95(quiet):.0f} ms（{len(quiet)} 次；{load()}）",
            flush=True,
        )
        with Workers(database.url, 2) as running:
            time.sleep(3)  # the workers started
            idle = running.cpu()
            started = time.perf_counter()
            job_id = start_rescore(store, Procrastinate(store).enqueue, None, "压测：全部复算")
            during: list[float] = []
            while not progress(store, job_id)[2]:
                during += asyncio.run(_pages(server.base, ids, 10))
            seconds = time.perf_counter() - started
            worker_cpu = running.cpu() - idle
    print(
        f"全部复算 {tables} 张，2 个后台进程：{seconds:.1f} 秒（{tables / seconds:.1f} 张/秒）；"
        f"期间页面 p95 {p95(during):.0f} ms、中位数 {statistics.median(during):.0f} ms"
        f"（{len(during)} 次；后台进程 CPU 每张 {per_table(worker_cpu, tables)} ms；{load()}）",
        flush=True,
    )


def kill_run(database: Any, store: Any, batch: list[tuple[str, bytes]]) -> None:
    """A batch during which a worker holding a file is killed with SIGKILL (and started
    again): every file counted once."""
    import hashlib

    from sqlalchemy import text

    job_id = queue_batch(store, batch)
    with Workers(database.url, 2) as running:
        victim = running.processes[0]
        while progress(store, job_id)[0] < len(batch) // 5:
            time.sleep(0.1)
        while True:
            with store.reading() as connection:
                held = connection.execute(
                    text("SELECT id FROM job_items WHERE state = 'running' AND claimed_by LIKE :p"),
                    {"p": f"%:{victim.pid}"},
                ).first()
            if held:
                break
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        running.processes.append(running.start())  # systemd's Restart=always
        wait(store, job_id)
    sent = {hashlib.sha256(content).hexdigest() for _, content in batch}
    with store.reading() as connection:
        states = dict(
            connection.execute(
                text("SELECT state, count(*) FROM job_items WHERE job_id = :j GROUP BY state"),
                {"j": job_id},
            ).all()
        )
        hashes = list(connection.scalars(text("SELECT sha256 FROM documents")))
        retried = connection.scalar(
            text("SELECT count(*) FROM job_items WHERE job_id = :j AND attempts > 1"),
            {"j": job_id},
        )
    stored = [h for h in hashes if h in sent]
    print(
        f"SIGKILL 一个持有文件的后台进程：{len(batch)} 个文件，导入 {states.get('imported', 0)}、"
        f"已存在 {states.get('exists', 0)}、失败 {states.get('failed', 0)}；库中这批文件 "
        f"{len(stored)} 份、不同的 {len(set(stored))} 份（丢失 {len(sent - set(stored))}、"
        f"重复 {len(stored) - len(set(stored))}）；重做的文件 {retried} 个",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=3000)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--pg", help="PostgreSQL server URL (default: a throwaway one)")
    parser.add_argument("--pg-data", type=Path, help="its data directory (to count its CPU)")
    parser.add_argument(
        "--worker-nice", type=int, help="jixiao worker --nice N (default: the worker's own)"
    )
    parser.add_argument(
        "--no-kill", action="store_true", help="without the batch with a worker killed"
    )
    args = parser.parse_args()
    if args.worker_nice is not None:
        WORKER_ARGS.extend(["--nice", str(args.worker_nice)])
    server, stop = args.pg, None
    if server is None:
        started = subprocess.run(
            [str(ROOT / "scripts" / "start-test-postgres")],
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        server = started.stdout.strip()
        stop = re.search(r"^stop with: (.+)$", started.stderr, re.MULTILINE)
        data = re.search(r"-D (\S+)", started.stderr)
        if data:
            PG_DATA.append(Path(data.group(1)))
    elif args.pg_data:
        PG_DATA.append(args.pg_data)
    try:
        batch = files(args.tables)
        print(
            f"{len(batch)} 个文件（每个 1 张表、16 个指标），{os.cpu_count()} 核；{load()}",
            flush=True,
        )
        kept = None
        for count in (int(n) for n in args.workers.split(",")):
            database, store = import_run(server, batch, count)
            if count == 2 or kept is None:
                if kept is not None:
                    kept[1].close()
                    kept[0].cleanup()
                kept = (database, store)
            else:
                store.close()
                database.cleanup()
        assert kept is not None
        rescore_run(kept[0], kept[1], len(batch))
        if not args.no_kill:
            kill_run(kept[0], kept[1], files(args.tables // 2, seed=15))
        kept[1].close()
        kept[0].cleanup()
    finally:
        if stop is not None:
            subprocess.run(["bash", "-c", stop.group(1)], capture_output=True, check=False)


if __name__ == "__main__":
    main()
