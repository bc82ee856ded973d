"""The application factory: the store, the routers, static files, one error shape."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from jixiao import __version__
from jixiao.service.settings import SettingsCache
from jixiao.service.store import open_store
from jixiao.store import Store
from jixiao.web import _errors, admin, admin_pages, api, auth, dashboard, docs, pages
from jixiao.web.deps import STATIC, WebSettings, verify_csrf

# the API's routers, then the pages'
ROUTERS = (auth, api, admin, docs, pages, dashboard, admin_pages)


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

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            opened.close()

    app = FastAPI(
        title="jixiao 预算绩效自评",
        version=__version__,
        description="单位填报、财政审核的预算绩效自评系统。",
        docs_url=None,  # the default pulls Swagger UI from a CDN: see web/docs.py
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.store = opened
    app.state.instance_settings = SettingsCache()  # deps.get_service builds on it
    app.state.settings = settings or WebSettings()
    _errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    return app


DB_VARIABLE = "JIXIAO_SERVE_DB"
SECURE_VARIABLE = "JIXIAO_SERVE_SECURE_COOKIES"
APP_FACTORY = "jixiao.web.app:app_from_environment"


def app_from_environment() -> FastAPI:
    """The app of one worker process of ``jixiao serve --workers N``: on the database the
    command opened and migrated, named in ``JIXIAO_SERVE_DB``, with its cookie setting."""
    secure = bool(os.environ.get(SECURE_VARIABLE))
    return create_app(os.environ[DB_VARIABLE], settings=WebSettings(secure_cookies=secure))
