"""The application factory: the store, the routers, static files, one error shape."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao import __version__
from jixiao.service.queue import queue_for
from jixiao.service.settings import SettingsCache
from jixiao.service.store import open_store
from jixiao.store import Store
from jixiao.store.database import WORKER_THREADS
from jixiao.web import (
    _errors,
    admin,
    admin_pages,
    api,
    auth,
    compose,
    dashboard,
    docs,
    exports_page,
    jobs,
    library,
    pages,
    public,
    report,
    review,
    review_pages,
)
from jixiao.web.deps import STATIC, WebSettings, verify_csrf

# the API's routers, then the pages'
ROUTERS = (
    auth,
    api,
    compose,
    report,
    review,
    jobs,
    admin,
    docs,
    pages,
    review_pages,
    exports_page,
    public,
    dashboard,
    library,
    admin_pages,
)
# On every answer: no page of jixiao inside another site's frame (clickjacking), scripts only
# from /static (the templates have no inline script; their inline styles and the charts'
# SVG need 'unsafe-inline' styles), no guessing of content types, no address sent away.
SECURITY_HEADERS = {
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


_HEADERS = [
    (name.lower().encode("latin-1"), value.encode()) for name, value in SECURITY_HEADERS.items()
]
READ_ONLY = frozenset({"GET", "HEAD"})


class PerRequest:
    """Around every request (plain ASGI, no task or copy of the body per request as
    Starlette's ``BaseHTTPMiddleware`` makes): the security headers on its answer, and a
    request that only reads (GET, HEAD) reads in one transaction, on one connection, from
    its session look-up to its last template (``Store.shared_reads``)."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in _HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        if scope.get("method") not in READ_ONLY:
            await self.app(scope, receive, send_with_headers)
            return
        with self.store.shared_reads():
            await self.app(scope, receive, send_with_headers)


def create_app(
    store_url: str | None = None,
    *,
    store: Store | None = None,
    settings: WebSettings | None = None,
) -> FastAPI:
    """The web app on ``store`` (kept open by the caller), or on the database at
    ``store_url`` (opened, created and migrated now; closed at shutdown)."""
    owned = store is None
    opened = store if store is not None else open_store(store_url)
    queue = queue_for(opened)  # background jobs: procrastinate, or this process's threads

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # the threads that run routes and dependencies, as many as the store's pool keeps
        # connections for (anyio's default is 40)
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        queue.resume()  # the items a stopped server left open
        yield
        queue.close()
        if owned:
            opened.close()

    app = FastAPI(
        title="jixiao 预算绩效自评",
        version=__version__,
        description="单位填报、财政审核的预算绩效自评系统。",
        docs_url=None,  # the default pulls Swagger UI from a CDN: see web/docs.py
        redoc_url=None,
        openapi_url=None,  # web/docs.py serves it, to logged-in users unless made public
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.store = opened
    app.state.queue = queue
    app.state.instance_settings = SettingsCache()  # deps.get_service builds on it
    app.state.settings = settings or WebSettings()
    _errors.install(app)
    app.add_middleware(PerRequest, store=opened)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    return app


DB_VARIABLE = "JIXIAO_SERVE_DB"
SECURE_VARIABLE = "JIXIAO_SERVE_SECURE_COOKIES"
PUBLIC_DOCS_VARIABLE = "JIXIAO_SERVE_PUBLIC_DOCS"
APP_FACTORY = "jixiao.web.app:app_from_environment"


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``jixiao serve --workers N``: on the database the
    command opened and migrated, named in ``JIXIAO_SERVE_DB``, with its cookie and docs
    settings."""
    settings = WebSettings(
        secure_cookies=bool(os.environ.get(SECURE_VARIABLE)),
        public_docs=bool(os.environ.get(PUBLIC_DOCS_VARIABLE)),
    )
    return create_app(os.environ[DB_VARIABLE], settings=settings)
