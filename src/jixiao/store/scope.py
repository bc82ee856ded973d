"""One transaction for the reads of a whole request (a page), instead of one per store call.

The web app opens a ``Shared`` scope around each request that only reads (GET, HEAD):
``Store.reading()`` then hands out the scope's one connection, in one transaction begun at
its first read and ended with the request, whichever thread runs the request's parts
(FastAPI runs each dependency and the route in worker threads: the scope travels in a
context variable, which those threads receive). A write inside the scope (``writing()``)
first ends the shared transaction, so what is read after it sees the write; an error that
passes a shared read ends it too (PostgreSQL refuses every statement of a transaction in
which one failed).

A scope holds its connection across the request's waits (for a worker thread, say), so it
takes one only while the pool has one idle within its regular size: the connections over
the size (the pool's overflow) stay for the store's ordinary, short transactions, and a
busy server falls back to them rather than waiting on connections held by requests that
themselves wait.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.pool import QueuePool

_CURRENT: ContextVar[Shared | None] = ContextVar("jixiao_store_shared", default=None)


class Shared:
    """The reads of one request: one connection and one transaction, begun on first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._lock = threading.RLock()  # a request's parts run one after another
        self._depth = 0  # reads open now (a read may hold another inside it)
        self._stale = False  # to end when the reads open now are done
        self._closed = False

    def _spare(self) -> bool:
        """Whether the pool can give a connection to hold for the request: one within its
        regular size, not of its overflow (see the module's note)."""
        pool: Any = self.engine.pool
        if not isinstance(pool, QueuePool):
            return False  # SQLite in memory, tests' static pools: each call its own
        return bool(pool.checkedout() < pool.size())

    @contextmanager
    def reading(self) -> Iterator[Connection | None]:
        """The shared connection in its transaction, or None when this read should open
        its own (the scope ended, another thread holds it, no spare connection)."""
        if self._closed or not self._lock.acquire(blocking=False):
            yield None
            return
        try:
            connection = self._connection
            if connection is None:
                if not self._spare():
                    yield None
                    return
                connection = self._connection = self.engine.connect()
            if not connection.in_transaction():
                connection.begin()
            self._depth += 1
            try:
                yield connection
            except BaseException:
                self._stale = True
                raise
            finally:
                self._depth -= 1
                if self._stale and not self._depth:
                    self._end()
        finally:
            self._lock.release()

    def end(self) -> None:
        """End the transaction (nothing was written in it: rolled back) and give the
        connection back; while a read is open, when it is done."""
        with self._lock:
            if self._depth:
                self._stale = True
            else:
                self._end()

    def _end(self) -> None:
        self._stale = False
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                if connection.in_transaction():
                    connection.rollback()
            finally:
                connection.close()

    def close(self) -> None:
        self._closed = True
        self.end()


def current(engine: Engine) -> Shared | None:
    """The scope of the request running now on ``engine``, if any."""
    found = _CURRENT.get()
    return found if found is not None and found.engine is engine else None


@contextmanager
def shared_reads(engine: Engine) -> Iterator[Shared]:
    """Reads on ``engine`` within the block share one transaction (see the module)."""
    scope = Shared(engine)
    token = _CURRENT.set(scope)
    try:
        yield scope
    finally:
        _CURRENT.reset(token)
        scope.close()
