"""Request dependencies: the store, who is asking (session or API token), roles, CSRF,
the one access check on evaluations, and the templates."""

from __future__ import annotations

import asyncio
import hmac
import os
import secrets
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from jixiao.audit import AuditSettings
from jixiao.service import Service
from jixiao.service.settings import InstanceSettings, SettingsCache
from jixiao.store import ROLE_LABELS, STATE_LABELS, Role, Store, User
from jixiao.store.listing import Scope
from jixiao.store.policy import can_read, can_see
from jixiao.store.sessions import Session
from jixiao.web._errors import NOT_LOGGED_IN, ApiError, LoginRequired, is_api

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SESSION_COOKIE = "jixiao_session"
LOGIN_CSRF_COOKIE = "jixiao_csrf"  # before login: double-submit token of the login form
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PATCH", "PUT", "DELETE"})
LARGEST = 2**31 - 1  # the largest whole number every column holds (PostgreSQL INTEGER)
_UNSET = object()


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What a deployment may set: session length, login throttling, cookies, audit options."""

    session_lifetime: timedelta = timedelta(hours=12)
    login_failures: int = 5  # failed logins per name and address within the window
    address_failures: int = 50  # failed logins from one address within the window, any name
    login_window: timedelta = timedelta(minutes=15)
    secure_cookies: bool = False  # set True behind HTTPS
    public_docs: bool = False  # /docs and /openapi.json readable without logging in
    page_size: int = 50
    max_page_size: int = 200
    audit: AuditSettings = field(default_factory=AuditSettings)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def instance(request: Request) -> InstanceSettings:
    """The admin's settings (default scheme, audit settings), read once per request."""
    if getattr(request.state, "instance", _UNSET) is _UNSET:
        cache: SettingsCache = request.app.state.instance_settings
        request.state.instance = cache.get(get_store(request))
    found: InstanceSettings = request.state.instance
    return found


def get_service(request: Request) -> Service:
    """Scores with the instance's default scheme (see ``instance``)."""
    return instance(request).service


def audit_settings(request: Request) -> AuditSettings:
    """The uploaded audit settings, else the deployment's (``WebSettings.audit``)."""
    return instance(request).audit or get_settings(request).audit


def get_settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def bearer(request: Request) -> str | None:
    """The token of ``Authorization: Bearer …``, or None when the header is not Bearer."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def session(request: Request) -> Session | None:
    """The browser's live session (looked up once per request); never for a Bearer call."""
    if getattr(request.state, "session", _UNSET) is _UNSET:
        token = request.cookies.get(SESSION_COOKIE)
        found = None
        if token and bearer(request) is None:
            found = get_store(request).session(token)
        request.state.session = found
    result: Session | None = request.state.session
    return result


def optional_user(request: Request) -> User | None:
    if getattr(request.state, "user", _UNSET) is _UNSET:
        token = bearer(request)
        if token is not None:
            user = get_store(request).token_user(token) if token else None
        else:
            found = session(request)
            user = found.user if found else None
        request.state.user = user
    result: User | None = request.state.user
    return result


def api_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        message = "API 令牌无效或已被吊销" if bearer(request) is not None else NOT_LOGGED_IN
        raise ApiError(401, "unauthorized", message)
    return user


def page_user(request: Request) -> User:
    """The user of a page; else a redirect to /login (``LoginRequired``)."""
    user = optional_user(request)
    if user is None:
        raise LoginRequired()
    return user


# A route's user, for the API (401 when no one is logged in) and for the pages (to the login)
ApiUser = Annotated[User, Depends(api_user)]
PageUser = Annotated[User, Depends(page_user)]


def require_role(*roles: Role) -> Callable[[Request], User]:
    """A dependency: the current user when their role is one of ``roles``, else 403."""
    allowed = "、".join(ROLE_LABELS[r] for r in roles)

    def dependency(request: Request) -> User:
        user = api_user(request) if is_api(request) else page_user(request)
        if user.role not in roles:
            raise ApiError(403, "forbidden", f"此操作需要{allowed}权限")
        return user

    return dependency


def csrf_token(request: Request) -> str:
    """The token forms and scripts send back: the session's, or before login the login
    form's (kept in a cookie that GET /login sets)."""
    found = session(request)
    if found is not None:
        return found.csrf_token
    if getattr(request.state, "login_csrf", _UNSET) is _UNSET:
        request.state.login_csrf = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(
            32
        )
    token: str = request.state.login_csrf
    return token


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request from a browser session without the session's token
    (form field ``csrf_token`` or header ``X-CSRF-Token``). Bearer calls carry no ambient
    cookie and are exempt; anonymous requests have nothing to forge (the route refuses
    them), except the login form, checked against its cookie."""
    if request.method not in UNSAFE or bearer(request) is not None:
        return
    found = session(request)
    if found is not None:
        expected: str | None = found.csrf_token
    elif request.url.path == "/login":
        expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    else:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise ApiError(
            403,
            "csrf",
            "安全校验失败（CSRF 令牌缺失或不符）：页面可能已过期，请刷新页面后重试",
        )


# The pages people read most (the list, a table, the dashboard, and their API twins) are
# Python work under one interpreter lock: eight of them at once in eight threads took the
# lock from each other at every statement, each switch costing both, and all eight ended
# late. At most ``LANE_WIDTH`` of them run at once (two: while one waits on the database the
# other runs); the rest wait their turn on the event loop, in order. Slow routes (exports,
# uploads, reports) keep the worker threads to themselves as before.
LANE_WIDTH = 2
_LANES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


async def _in_lane() -> AsyncIterator[None]:
    """Hold one of the lane's places from before the route's first dependency to its
    answer (a place per event loop: a test client runs each request on a loop of its own)."""
    loop = asyncio.get_running_loop()
    gate = _LANES.get(loop)
    if gate is None:
        gate = _LANES[loop] = asyncio.Semaphore(LANE_WIDTH)
    async with gate:
        yield


LANE = Depends(_in_lane)


def held(value: int, what: str, param: str) -> int:
    """``value`` when the database can hold it, else 422 naming ``what`` (a 20-digit
    ``?page=`` or ``?year=`` reached the database and failed there, a 500)."""
    if abs(value) > LARGEST:
        raise ApiError(422, "invalid", f"{what}超出范围：{value}", {"param": param})
    return value


# What a published table shows to every user: its forms and report as exported, nothing of
# the review around it (comments, cell notes, decisions, history, versions, the opinion).
PUBLISHED_ROUTES = frozenset({"/api/evaluations/{evaluation_id}/export"})
PUBLISHED_FORMATS = frozenset({"xlsx", "docx", "pdf"})


def _published_read(request: Request) -> bool:
    """Whether a request only reads what publishing a table makes public."""
    route = request.scope.get("route")
    return (
        request.method not in UNSAFE
        and getattr(route, "path", None) in PUBLISHED_ROUTES
        and request.query_params.get("format", "xlsx") in PUBLISHED_FORMATS
    )


def _scope(request: Request, evaluation_id: int) -> Scope | None:
    """Where the table belongs, looked up once per request that only reads (a page asks
    for its table's body and for its versions); a request that changes it looks again."""
    if request.method not in ("GET", "HEAD"):
        return get_store(request).scope(evaluation_id)
    seen: dict[int, Scope | None] | None = getattr(request.state, "scopes", None)
    if seen is None:
        seen = request.state.scopes = {}
    if evaluation_id not in seen:
        seen[evaluation_id] = get_store(request).scope(evaluation_id)
    return seen[evaluation_id]


def visible_evaluation(request: Request, user: User, evaluation_id: int) -> Scope:
    """THE access check: the table when ``user`` may see it, else 404 (a filler sees only its
    own unit's tables, and is never told that another unit's exists; no table has an id
    the database cannot hold). The export of a published table's forms and report also
    reaches any user (``policy.can_read``); its page, review and history do not."""
    found = _scope(request, evaluation_id) if 0 < evaluation_id <= LARGEST else None
    if found is not None and _published_read(request):
        allowed = can_read(user, found.unit_id, found.state)
    else:
        allowed = found is not None and can_see(user, found.unit_id)
    if found is None or not allowed:
        raise ApiError(404, "not_found", f"没有编号为 {evaluation_id} 的自评表")
    return found


def context(request: Request, title: str, **more: Any) -> dict[str, Any]:
    """What every template receives: request, user, csrf, title, and the page's own values."""
    return {
        "request": request,
        "user": optional_user(request),
        "csrf": csrf_token(request),
        "title": title,
        **more,
    }


templates = Jinja2Templates(directory=str(TEMPLATES))
# Templates are read once per process: Jinja's look at each template file's time at every
# render is for someone editing them (JIXIAO_DEV=1).
templates.env.auto_reload = os.environ.get("JIXIAO_DEV", "") not in ("", "0")
templates.env.globals.update(
    csrf_token=csrf_token,
    STATE_LABELS=STATE_LABELS,
    ROLE_LABELS=ROLE_LABELS,
)
