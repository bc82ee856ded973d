"""The administration pages (管理员 only): /admin/users (users and units), /admin/settings
(scoring scheme, audit settings) and /admin/trail (deleted tables). They render the admin
API's bodies; their forms call that API (static/app.js, ``form[data-api]``) and reload on
success."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from jixiao.config import bundled_schemes
from jixiao.service.settings import MAX_UPLOAD
from jixiao.store import ROLE_LABELS, Role, Store, User
from jixiao.store.dashboard import filter_choices
from jixiao.web import admin, deps
from jixiao.web.form import SEVERITY_LABELS
from jixiao.web.pages import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[User, Depends(deps.require_role(Role.ADMIN))]
SETTINGS_TYPES = ".yaml,.yml,.json"


@router.get("/admin")
def admin_home(user: Admin) -> RedirectResponse:
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request, user: Admin, store: Annotated[Store, Depends(deps.get_store)]
) -> HTMLResponse:
    units = store.units()
    with store.reading() as connection:
        _, departments = filter_choices(connection)
    known = sorted(set(departments) | {u.department for u in units if u.department})
    return render(
        request,
        "admin_users.html",
        user,
        "用户与单位",
        active="admin-users",
        users=[admin.user_data(u) for u in store.users()],
        units=[admin.unit_data(u) for u in units],
        departments=known,
        roles={role.value: label for role, label in ROLE_LABELS.items()},
    )


@router.get("/admin/settings", response_class=HTMLResponse)
def settings_page(request: Request, user: Admin) -> HTMLResponse:
    return render(
        request,
        "admin_settings.html",
        user,
        "评分与审核设置",
        active="admin-settings",
        data=admin.settings_data(deps.instance(request)),
        bundled=bundled_schemes(),
        accept=SETTINGS_TYPES,
        max_kb=MAX_UPLOAD // 1024,
        severity_labels=SEVERITY_LABELS,
    )


@router.get("/admin/trail", response_class=HTMLResponse)
def trail_page(
    request: Request, user: Admin, store: Annotated[Store, Depends(deps.get_store)]
) -> HTMLResponse:
    return render(
        request,
        "admin_trail.html",
        user,
        "删除记录",
        active="admin-trail",
        items=[admin.trail_data(entry) for entry in store.deletions()],
    )
