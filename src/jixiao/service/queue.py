"""Who runs the background jobs' items (``jixiao.service.jobs.run_item``).

On PostgreSQL, procrastinate: each item becomes a procrastinate job in the same database,
deferred in the transaction that writes the item (both or neither), and run by any number
of ``jixiao worker`` processes on any machines. A worker that dies stops sending its
heartbeat; the other workers see it after ``stalled_after`` seconds and run its jobs again
(the item's claim makes the second run find what the first one wrote).

On SQLite (one machine, the default and the demo), the web app's own threads run the same
items; a server started again runs the items left open by one that was stopped or killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from jixiao.service.jobs import Context, run_items, worker_name
from jixiao.store import Store
from jixiao.store import jobs as stored_jobs

if TYPE_CHECKING:
    import procrastinate

log = logging.getLogger("jixiao.queue")

QUEUE = "jixiao"
TASK = "jixiao.item"
SCHEMA_LOCK = 7_514_014  # pg_advisory_xact_lock key while the queue's tables are laid
STALLED_AFTER = 30.0  # seconds without a worker's heartbeat before its jobs run elsewhere
RETRIES = 5  # a job whose database failed under it is run again this often, WAIT apart
WAIT = 10
ITEMS_PER_JOB = 50  # items a procrastinate job runs, at most (an import's files together)
SPREAD = 8  # and at least this many jobs when there are items enough


class InProcess:
    """The items run by ``threads`` threads of this process (SQLite)."""

    def __init__(self, store: Store, threads: int = 1) -> None:
        self.context = Context.of(store)
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="jixiao-job")
        self._lock = threading.Lock()
        self._closed = False

    def enqueue(self, store: Store, write: Callable[[Connection], list[int]]) -> list[int]:
        with store.writing() as connection:
            ids = write(connection)
        self._submit(ids)
        return ids

    def _submit(self, item_ids: list[int]) -> None:
        with self._lock:
            if not self._closed:
                for start in range(0, len(item_ids), ITEMS_PER_JOB):
                    self._pool.submit(self._run, item_ids[start : start + ITEMS_PER_JOB])

    def _run(self, item_ids: list[int]) -> None:
        try:
            run_items(self.context, item_ids)
        except Exception:  # the database failed: the items wait for the next start
            log.exception("job items %s could not be run", item_ids)

    def resume(self) -> int:
        """Run the items left open: those waiting, and those whose process is gone (this
        machine's only: SQLite is one machine's). How many."""
        with self.context.store.reading() as connection:
            left = stored_jobs.open_items(connection)
        ids = [
            item_id
            for item_id, state, claimed_by in left
            if state != stored_jobs.ItemState.RUNNING or not _alive(claimed_by)
        ]
        self._submit(ids)
        return len(ids)

    def workers_alive(self) -> int:
        return 1  # this process

    def close(self) -> None:
        """Stop taking items; the one running is left to finish or to the next start."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)


def _alive(claimed_by: str | None) -> bool:
    """Whether the process that claimed an item still runs (on this machine)."""
    if not claimed_by or claimed_by == worker_name():
        return False  # this very process has only just started: it holds no item
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Procrastinate:
    """The items deferred as procrastinate jobs (PostgreSQL), run by ``jixiao worker``."""

    def __init__(self, store: Store) -> None:
        lay_schema(store)
        self.store = store
        self.app = make_app(store)

    def enqueue(self, store: Store, write: Callable[[Connection], list[int]]) -> list[int]:
        with store.writing() as connection:
            ids = write(connection)
            defer(self.app, connection, ids)
        return ids

    def resume(self) -> int:
        return 0  # the workers do

    def workers_alive(self) -> int:
        """The workers whose heartbeat is recent (any machine's)."""
        from sqlalchemy import text

        with self.store.reading() as connection:
            found = connection.execute(
                text(
                    "SELECT count(*) FROM procrastinate_workers"
                    " WHERE last_heartbeat > now() - make_interval(secs => :seconds)"
                ),
                {"seconds": STALLED_AFTER},
            ).scalar()
        return int(found or 0)

    def close(self) -> None:
        pass


Queue = InProcess | Procrastinate


def queue_for(store: Store) -> Queue:
    """procrastinate on PostgreSQL, this process's threads on SQLite."""
    if store.engine.dialect.name == "postgresql":
        return Procrastinate(store)
    return InProcess(store)


def conninfo(store: Store) -> str:
    """The store's database as libpq names it (for procrastinate's own connections)."""
    url = store.engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def lay_schema(store: Store) -> None:
    """procrastinate's tables, functions and triggers, laid in the store's database (its
    schema) the first time; processes starting at once wait for each other."""
    from procrastinate.schema import SchemaManager

    with store.writing() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        found = connection.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar()
        if found is None:
            raw: Any = connection.connection.driver_connection
            raw.execute(SchemaManager.get_schema())


def make_app(store: Store) -> procrastinate.App:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(store)))
    app.task(
        name=TASK,
        queue=QUEUE,
        retry=procrastinate.RetryStrategy(max_attempts=RETRIES, wait=WAIT),
    )(_run_queued)
    return app


def defer(app: procrastinate.App, connection: Connection, item_ids: list[int]) -> None:
    """Procrastinate jobs for the items, in ``connection``'s transaction: an import's files
    up to ``ITEMS_PER_JOB`` a job (claimed, checked and stored together), fewer when the
    files are few, so that every worker gets some; a rescore's or an export's items (each
    a run of tables, a few seconds of work) one a job, so that the workers share them
    evenly to the end."""
    if not item_ids:
        return
    from procrastinate.jobs import Job
    from sqlalchemy import select

    from jixiao.store.jobs import Kind
    from jixiao.store.schema import job_items, jobs

    kind = connection.scalar(
        select(jobs.c.kind)
        .join(job_items, job_items.c.job_id == jobs.c.id)
        .where(job_items.c.id == item_ids[0])
    )
    most = ITEMS_PER_JOB if kind == Kind.IMPORT else 1
    size = max(1, min(most, len(item_ids) // SPREAD))
    runs = [item_ids[start : start + size] for start in range(0, len(item_ids), size)]
    raw: Any = connection.connection.driver_connection
    app.job_manager.batch_defer_jobs(
        [
            Job(
                queue=QUEUE,
                task_name=TASK,
                lock=f"jixiao-items-{run[0]}",  # never two runs of one job at once
                queueing_lock=None,
                task_kwargs={"item_ids": list[Any](run)},
            )
            for run in runs
        ],
        connection=raw,
    )


_worker_context: Context | None = None  # the store of this worker process


def _run_queued(item_ids: list[int]) -> None:
    """A job's items (those settled by an earlier run of the job, whose worker died, are
    passed over by their claim; those it claimed, run one at a time)."""
    assert _worker_context is not None, "jixiao worker sets the store first"
    run_items(_worker_context, item_ids)


def run_worker(store: Store, concurrency: int, stalled_after: float = STALLED_AFTER) -> None:
    """Run the queue's jobs until SIGINT or SIGTERM: ``concurrency`` at once in this
    process; the jobs of workers silent for ``stalled_after`` seconds are run again."""
    global _worker_context
    lay_schema(store)
    _worker_context = Context.of(store)
    app = make_app(store)

    async def retry_stalled() -> None:
        while True:
            await asyncio.sleep(stalled_after / 3)
            try:
                stalled = await app.job_manager.get_stalled_jobs(
                    queue=QUEUE, seconds_since_heartbeat=stalled_after
                )
                for job in stalled:
                    log.warning("job %s of a silent worker is run again", job.id)
                    await app.job_manager.retry_job(job)
            except Exception:  # the database is away: try again next round
                log.exception("looking for stalled jobs failed")

    async def main() -> None:
        async with app.open_async():
            sweeper = asyncio.create_task(retry_stalled())
            try:
                await app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=concurrency,
                    name=worker_name(),
                    update_heartbeat_interval=stalled_after / 3,
                    stalled_worker_timeout=stalled_after,
                    delete_jobs="successful",
                )
            finally:
                sweeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sweeper

    asyncio.run(main())
