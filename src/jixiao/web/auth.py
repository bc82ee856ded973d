"""Logging in and out: server-side sessions in the database, throttled login attempts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jixiao.store import User
from jixiao.store.users import THROTTLED, LoginLimits
from jixiao.web._errors import JSONBody
from jixiao.web.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    api_user,
    context,
    csrf_token,
    get_settings,
    get_store,
    optional_user,
    session,
    templates,
)

router = APIRouter(tags=["登录"])


def safe_next(target: str | None) -> str:
    """Only a path on this site (``/evaluations?page=2``), never ``//elsewhere`` or a URL."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _login_page(
    request: Request, *, next_: str, name: str = "", error: str | None = None, status: int = 200
) -> Response:
    response = templates.TemplateResponse(
        request,
        "login.html",
        context(request, "登录", next=next_, name=name, error=error),
        status_code=status,
    )
    if optional_user(request) is None:
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            csrf_token(request),
            httponly=True,
            samesite="strict",
            secure=get_settings(request).secure_cookies,
            path="/login",
        )
    return response


@router.get("/login", summary="登录页面", include_in_schema=True)
def login_page(request: Request, next: str | None = None) -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next_=safe_next(next))


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.post("/login", summary="登录（表单：name、password、next、csrf_token）")
def login(
    request: Request,
    name: Annotated[str, Form(description="用户名")] = "",
    password: Annotated[str, Form(description="密码")] = "",
    next: Annotated[str, Form(description="登录后前往的页面")] = "/",
) -> Response:
    store, settings = get_store(request), get_settings(request)
    target, name = safe_next(next), name.strip()
    if not name or not password:
        return _login_page(request, next_=target, name=name, error="请输入用户名和密码", status=422)
    since = datetime.now(UTC).replace(tzinfo=None) - settings.login_window
    minutes = int(settings.login_window.total_seconds() // 60)
    limits = LoginLimits(since, settings.login_failures, settings.address_failures)
    user = store.login(name, password, _address(request), limits)
    if user is THROTTLED:
        return _login_page(
            request,
            next_=target,
            name=name,
            error=f"登录失败次数过多，请 {minutes} 分钟后再试",
            status=429,
        )
    if user is None:
        return _login_page(request, next_=target, name=name, error="用户名或密码不正确", status=401)
    started = store.create_session(user.id, settings.session_lifetime)
    assert started.token is not None
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        started.token,
        max_age=int(settings.session_lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", summary="退出登录")
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token and session(request) is not None:
        get_store(request).end_session(token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", summary="当前用户", tags=["用户"])
def me(request: Request, user: Annotated[User, Depends(api_user)]) -> JSONBody:
    """Who is asking; ``csrf_token`` is what a browser session sends as ``X-CSRF-Token``."""
    found = session(request)
    return JSONBody(
        {
            "csrf_token": found.csrf_token if found else None,
            "name": user.name,
            "display_name": user.display_name,
            "role": user.role.value,
            "role_label": user.role.label,
            "unit": user.unit,
        }
    )
