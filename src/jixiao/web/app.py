"""The application factory: the store, the routers, static files, one error shape."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.base import RequestResponseEndpoint

from jixiao import __version__
from jixiao.service.queue import queue_for
from jixiao.service.settings import SettingsCache
from jixiao.service.store import open_store
from jixiao.store import Store
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


async def security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


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
    app.middleware("http")(security_headers)
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
