"""The administration API (管理员 only): users, units, the instance's settings (the
default scoring scheme, an uploaded scheme, uploaded audit settings) and the trail of
deleted tables."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from jixiao.audit import AuditSettings
from jixiao.config import bundled_schemes
from jixiao.loading import LoadError
from jixiao.scoring import Scheme
from jixiao.service import settings as instance_settings
from jixiao.service.jobs import start_rescore
from jixiao.service.settings import MAX_UPLOAD, InstanceSettings, SettingsError, Upload
from jixiao.store import ROLE_LABELS, Role, State, StoreError, User
from jixiao.store.admin import KEEP, Unit
from jixiao.store.trail import TrailEntry
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import (
    LARGEST,
    SESSION_COOKIE,
    get_store,
    instance,
    require_role,
    session,
)
from jixiao.web.jobs import get_queue, job_body, visible_job

router = APIRouter(prefix="/api", tags=["管理"], default_response_class=JSONBody)
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]
RoleName = Literal["filler", "reviewer", "admin"]
ROLE_HELP = "角色：filler（填报）、reviewer（审核）、admin（管理员）"


# ---- bodies ----------------------------------------------------------------------------------


def user_data(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "display_name": user.display_name,
        "role": user.role.value,
        "role_label": user.role.label,
        "unit": user.unit,
        "active": user.active,
    }


def unit_data(unit: Unit) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "department": unit.department,
        "users": unit.users,
        "evaluations": unit.evaluations,
    }


def _scheme_data(scheme: Scheme, source: str) -> dict[str, Any]:
    return {
        "name": scheme.name,
        "title": scheme.title,
        "description": scheme.description,
        "source": source,
        "funds_weight": scheme.funds_weight,
        "level1": [{"name": spec.name, "weight": spec.weight} for spec in scheme.level1],
        "grades": [{"min": band.minimum, "grade": band.grade} for band in scheme.grades],
    }


def _upload_data(upload: Upload | None) -> dict[str, Any] | None:
    if upload is None:
        return None
    return {
        "file": upload.file,
        "content": upload.content,
        "updated_at": upload.updated_at.isoformat() if upload.updated_at else None,
        "updated_by": upload.updated_by,
    }


def _rules_data(audit: AuditSettings | None) -> dict[str, Any]:
    if audit is None:
        return {}
    return {
        code: {
            "enabled": rule.enabled,
            "severity": rule.severity.value if rule.severity else None,
            "options": dict(rule.options),
        }
        for code, rule in sorted(audit.rules.items())
    }


def settings_data(found: InstanceSettings) -> dict[str, Any]:
    """GET /api/settings as data (the settings page renders from it)."""
    service = found.service
    choices = [_scheme_data(service.scheme(name), "bundled") for name in bundled_schemes()]
    if found.uploaded_scheme is not None:
        choices.append(_scheme_data(found.uploaded_scheme, "uploaded"))
    return {
        "scheme": _scheme_data(found.scheme, found.scheme_source),
        "schemes": choices,
        "scheme_upload": _upload_data(found.scheme_upload),
        "chosen_at": found.chosen_at.isoformat() if found.chosen_at else None,
        "chosen_by": found.chosen_by,
        "audit": {
            "source": "uploaded" if found.audit_upload else "default",
            "upload": _upload_data(found.audit_upload),
            "rules": _rules_data(found.audit),
        },
        "problems": list(found.problems),
    }


# ---- users -----------------------------------------------------------------------------------


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="用户名（登录用）")
    display_name: str | None = Field(default=None, max_length=200, description="姓名")
    role: RoleName = Field(description=ROLE_HELP)
    unit: str | None = Field(
        default=None, max_length=200, description="所属单位（填报人必填；新单位自动建立）"
    )
    password: str = Field(min_length=1, max_length=200, description="初始密码（至少 8 个字符）")


class UserChange(BaseModel):
    display_name: str | None = Field(default=None, max_length=200, description="姓名")
    role: RoleName | None = Field(default=None, description=ROLE_HELP)
    unit: str | None = Field(default=None, max_length=200, description="所属单位；null 为无")
    active: bool | None = Field(default=None, description="false 停用（立即退出登录）、true 启用")
    password: str | None = Field(
        default=None, max_length=200, description="新密码（至少 8 个字符）；该用户需重新登录"
    )


@router.get("/users", summary="用户列表（管理员）")
def list_users(request: Request, admin: Admin) -> Any:
    users = get_store(request).users()
    return JSONBody({"items": [user_data(u) for u in users], "roles": dict(ROLE_LABELS)})


@router.post("/users", summary="新建用户（管理员）", status_code=201)
def add_user(request: Request, body: NewUser, admin: Admin) -> Any:
    store = get_store(request)
    name = body.name.strip()
    if store.user(name) is not None:
        raise ApiError(409, "conflict", f"用户名“{name}”已被使用", {"field": "name"})
    try:
        user = store.add_user(
            name,
            Role(body.role),
            body.password,
            unit=(body.unit or "").strip() or None,
            display_name=(body.display_name or "").strip() or None,
        )
    except StoreError as error:
        raise ApiError(422, "invalid", str(error)) from None
    return JSONBody(user_data(user), status_code=201)


def _refuse_self_harm(body: UserChange, given: set[str]) -> None:
    """An admin may not lock itself out: the last admin would leave nobody to undo it."""
    if "active" in given and body.active is False:
        raise ApiError(409, "self", "不能停用自己的账号：如确需停用，请由另一位管理员操作")
    if "role" in given and body.role != Role.ADMIN.value:
        raise ApiError(409, "self", "不能取消自己的管理员角色：如确需更改，请由另一位管理员操作")


@router.patch("/users/{user_id}", summary="修改用户：姓名、角色、单位、停用或启用、重设密码")
def change_user(request: Request, user_id: int, body: UserChange, admin: Admin) -> Any:
    store = get_store(request)
    if not 0 < user_id <= LARGEST or store.user_by_id(user_id) is None:
        raise ApiError(404, "not_found", f"没有编号为 {user_id} 的用户")
    given = set(body.model_fields_set)
    for field in ("role", "active", "password"):
        if field in given and getattr(body, field) is None:
            raise ApiError(422, "invalid", f"{field} 不能为空", {"field": field})
    if user_id == admin.id:
        _refuse_self_harm(body, given)
    own = request.cookies.get(SESSION_COOKIE) if session(request) is not None else None
    try:
        user = store.update_user(
            user_id,
            display_name=body.display_name if "display_name" in given else KEEP,
            role=Role(body.role) if body.role else None,
            unit=body.unit if "unit" in given else KEEP,
            active=body.active,
            password=body.password,
            keep_session=own,
        )
    except StoreError as error:
        raise ApiError(422, "invalid", str(error)) from None
    return JSONBody(user_data(user))


# ---- units -----------------------------------------------------------------------------------


class NewUnit(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="单位名称")
    department: str | None = Field(default=None, max_length=500, description="主管部门")


class UnitChange(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200, description="单位名称")
    department: str | None = Field(default=None, max_length=500, description="主管部门")


@router.get("/units", summary="单位列表：主管部门、用户数、自评表数（管理员）")
def list_units(request: Request, admin: Admin) -> Any:
    return JSONBody([unit_data(u) for u in get_store(request).units()])


@router.post("/units", summary="新建单位（管理员）", status_code=201)
def add_unit(request: Request, body: NewUnit, admin: Admin) -> Any:
    store = get_store(request)
    name = body.name.strip()
    if any(u.name == name for u in store.units()):
        raise ApiError(409, "conflict", f"单位“{name}”已存在", {"field": "name"})
    try:
        unit = store.add_unit(name, body.department)
    except StoreError as error:
        raise ApiError(422, "invalid", str(error)) from None
    return JSONBody(unit_data(unit), status_code=201)


@router.patch("/units/{unit_id}", summary="修改单位名称或主管部门（管理员）")
def change_unit(request: Request, unit_id: int, body: UnitChange, admin: Admin) -> Any:
    store = get_store(request)
    if all(u.id != unit_id for u in store.units()):
        raise ApiError(404, "not_found", f"没有编号为 {unit_id} 的单位")
    given = body.model_fields_set
    try:
        unit = store.update_unit(
            unit_id,
            name=body.name if "name" in given else None,
            department=body.department if "department" in given else KEEP,
        )
    except StoreError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return JSONBody(unit_data(unit))


# ---- settings --------------------------------------------------------------------------------


@router.get("/settings", summary="评分与审核设置：默认评分方案、上传的方案和审核设置（管理员）")
def read_settings(request: Request, admin: Admin) -> Any:
    return JSONBody(settings_data(instance(request)))


def _read(upload: UploadFile | None, what: str) -> tuple[str, bytes] | None:
    """The file's name and bytes; None when the form's file field was left empty."""
    if upload is None or not (upload.filename or "").strip():
        return None
    content = upload.file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ApiError(413, "too_large", f"{what}过大（上限 {MAX_UPLOAD // 1024} KB）")
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name, content


@router.put(
    "/settings",
    summary="修改设置：选择默认评分方案，上传评分方案或审核设置文件（管理员）",
)
def change_settings(
    request: Request,
    admin: Admin,
    scheme: Annotated[
        str | None, Form(description="默认评分方案的名称（自带方案或已上传的方案）")
    ] = None,
    scheme_file: Annotated[
        UploadFile | None,
        File(description="评分方案文件（YAML/JSON，格式同 jixiao schemes；上传后即为默认方案）"),
    ] = None,
    audit_file: Annotated[
        UploadFile | None,
        File(description="审核设置文件（YAML/JSON，格式同 jixiao check --config）"),
    ] = None,
    audit_reset: Annotated[bool, Form(description="恢复默认审核设置")] = False,
) -> Any:
    store = get_store(request)
    before = instance(request)
    try:
        saved = instance_settings.save(
            store,
            admin.name,
            scheme=(scheme or "").strip() or None,
            scheme_file=_read(scheme_file, "评分方案文件"),
            audit_file=_read(audit_file, "审核设置文件"),
            audit_reset=audit_reset,
        )
    except LoadError as error:
        problems = [str(p) for p in error.problems]
        raise ApiError(422, "invalid", str(error), {"problems": problems}) from None
    except SettingsError as error:
        raise ApiError(422, "invalid", str(error)) from None
    request.state.instance = saved
    body = settings_data(saved)
    reason = instance_settings.change_said(before, saved)
    if reason is not None:  # every stored table scored and checked again, in the background
        job_id = start_rescore(store, get_queue(request).enqueue, admin, reason)
        body["rescore"] = job_body(request, visible_job(request, admin, job_id))
    return JSONBody(body)


# ---- the trail: what administrators deleted ---------------------------------------------------


def trail_data(entry: TrailEntry, whole: bool = False) -> dict[str, Any]:
    """A deletion as the trail lists it: who, when, why, the table as people called it, its
    unit, year, state, version and files; ``whole`` adds everything kept of it."""
    kept = entry.data if isinstance(entry.data, dict) else {}
    table = kept.get("table") or {}
    state = table.get("state")
    body = {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "user": entry.user,
        "action": entry.action,
        "evaluation_id": entry.evaluation_id,
        "title": entry.title,
        "reason": entry.note,
        "unit": table.get("unit"),
        "year": table.get("year"),
        "state": state,
        "state_label": State(state).label if state in set(State) else None,
        "revision": table.get("revision"),
        "sub_tables": len(kept.get("sub_tables") or ()),
        "files": [d.get("file_name") for d in kept.get("documents") or ()],
    }
    if whole:
        body["data"] = kept
    return body


@router.get("/trail", summary="删除记录：管理员删除的自评表，谁、何时、为何删除（管理员）")
def list_trail(request: Request, admin: Admin) -> Any:
    return JSONBody({"items": [trail_data(e) for e in get_store(request).deletions()]})


@router.get("/trail/{entry_id}", summary="一条删除记录，及被删除的自评表的完整内容（管理员）")
def read_trail(request: Request, entry_id: int, admin: Admin) -> Any:
    found = get_store(request).deletions(1, entry_id) if 0 < entry_id <= LARGEST else []
    if not found:
        raise ApiError(404, "not_found", f"没有编号为 {entry_id} 的删除记录")
    return JSONBody(trail_data(found[0], whole=True))
