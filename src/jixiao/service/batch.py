"""Many files at once: a process pool that keeps the input order and survives a crashing
file, and a progress bar on stderr.

``run_batch`` calls ``work(context, item)`` for every item: in this process when one job
is asked for (or there is one item), else in a pool of worker processes. ``context`` is
whatever every call needs (a service, settings); it reaches each worker once, not once per
item. ``work`` must be a module-level function so that it can be sent to a worker.

A worker that dies (a segfault in a C library, the out-of-memory killer) breaks the whole
pool and fails every item in flight. Those items are then run again one at a time in a
fresh one-worker pool: the one that kills its worker again becomes ``failed(item,
reason)``, the others get their real result, and the rest of the run goes on. An exception
raised by ``work`` also becomes ``failed(item, reason)``, the same way in both modes.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported when a pool or a bar is used: start-up of one file stays cheap
    from concurrent.futures import Future, ProcessPoolExecutor

    from rich.progress import Task
    from rich.text import Text

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

Tick = Callable[[], None]

CRASHED = "工作进程意外退出（文件可能损坏，或触发了读取库的缺陷）"
FEW_FILES = 5  # more files than this get a progress bar (when stderr is a terminal)
REFRESH_SECONDS = 0.1

_context: Any = None  # the context of the batch a worker process serves


def default_jobs() -> int:
    """The CPUs this process may run on (``os.process_cpu_count`` from Python 3.13)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def internal_error(error: BaseException) -> str:
    return f"出现内部错误（{type(error).__name__}: {error}）"


def run_batch(
    work: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    failed: Callable[[T, str], R],
    *,
    jobs: int | None = None,
    tick: Tick | None = None,
) -> list[R]:
    """``work(context, item)`` for every item, results in the order of ``items``."""
    tick = tick or _nothing
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        out = []
        for item in items:
            try:
                out.append(work(context, item))
            except Exception as error:
                if os.environ.get("JIXIAO_DEBUG"):
                    raise
                out.append(failed(item, internal_error(error)))
            tick()
        return out
    return _pooled(work, context, items, failed, jobs, tick)


def _nothing() -> None:
    pass


def _start_worker(context: Any) -> None:
    global _context
    _context = context
    # Ctrl-C reaches the whole process group: the parent alone stops the run, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(work: Callable[[Any, T], R], item: T) -> R:
    return work(_context, item)


def _pool(jobs: int, context: Any) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forking keeps a worker's start-up free: it inherits every module the parent imported
    # (and the context) instead of importing jixiao again. The parent runs no other thread
    # of its own when the pool forks its workers (the progress bar refreshes in this one).
    methods = multiprocessing.get_all_start_methods()
    mp_context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Whatever sits in our stdout buffer would be written again by each worker at its exit.
    sys.stdout.flush()
    sys.stderr.flush()
    return ProcessPoolExecutor(
        jobs, mp_context=mp_context, initializer=_start_worker, initargs=(context,)
    )


def _pooled(
    work: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    failed: Callable[[T, str], R],
    jobs: int,
    tick: Tick,
) -> list[R]:
    results: dict[int, R] = {}

    def settle(index: int, future: Future[R]) -> bool:
        """Record a finished item; False when its worker died (the pool is broken)."""
        from concurrent.futures.process import BrokenProcessPool

        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            return False
        if error is None:
            results[index] = future.result()
        elif isinstance(error, Exception):
            results[index] = failed(items[index], internal_error(error))
        else:  # KeyboardInterrupt, SystemExit raised inside work
            raise error
        tick()
        return True

    pending = deque(range(len(items)))
    while pending:
        suspects = _run(work, context, pending, items, jobs, settle)
        # Each item the crash took down, alone: the one that crashes again is the culprit.
        for index in sorted(suspects):
            pool = _pool(1, context)
            try:
                if not settle(index, pool.submit(_call, work, items[index])):
                    results[index] = failed(items[index], CRASHED)
                    tick()
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    return [results[index] for index in range(len(items))]


def _run(
    work: Callable[[C, T], R],
    context: C,
    pending: deque[int],
    items: Sequence[T],
    jobs: int,
    settle: Callable[[int, Future[R]], bool],
) -> list[int]:
    """Run ``pending`` (taken from the front) until it is done or the pool breaks; the
    items that were in flight when it broke."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    window = 2 * jobs  # enough to keep every worker busy; few to redo after a crash
    pool = _pool(jobs, context)
    in_flight: dict[Future[R], int] = {}
    broken: list[int] = []
    stop = False  # the pool is broken: take no more, collect what is in flight
    try:
        while True:
            while pending and not stop and len(in_flight) < window:
                try:
                    future = pool.submit(_call, work, items[pending[0]])
                except BrokenProcessPool:  # an idle worker died (killed from outside)
                    stop = True
                    break
                in_flight[future] = pending.popleft()
            if not in_flight:
                return broken
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=in_flight.__getitem__):
                index = in_flight.pop(future)
                if not settle(index, future):
                    broken.append(index)
                    stop = True
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def progress_bar(total: int, label: str, *, show: bool | None = None) -> Iterator[Tick]:
    """A bar on stderr (files done/total, rate, time left); yields the call for one file
    done. ``show=None``: only when stderr is a terminal and there are more than a few files;
    True forces it even into a file or pipe, False never shows it. Never writes to stdout."""
    if show is None:
        show = total > FEW_FILES and sys.stderr.isatty()
    if not show:
        yield _nothing
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("-- 个/秒" if speed is None else f"{speed:.1f} 个/秒")

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=Console(stderr=True, force_terminal=True),
        # No refresh thread (the pool forks while the bar is up), and stdout left alone.
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
        transient=True,
    )
    task = progress.add_task(label, total=total)
    shown = 0.0

    def tick() -> None:
        nonlocal shown
        progress.advance(task)
        now = time.monotonic()
        if now - shown >= REFRESH_SECONDS:
            shown = now
            progress.refresh()

    with progress:
        progress.refresh()
        yield tick
