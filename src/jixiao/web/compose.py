"""Writing a table in the web app: 新建自评表 (GET/POST /evaluations/new) — a blank official
form, last year's table carried over, or the table of an uploaded 绩效目标申报表, stored as a
草稿 of the unit and opened on its evaluation page (``service.compose``); and the indicator
rows removed or moved up and down on that page (``static/rows.js``; adding is
``web.library``'s).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from jixiao.loading import encode
from jixiao.service.compose import (
    ComposeError,
    Started,
    blank_table,
    carried_table,
    declared_table,
    store_new_table,
)
from jixiao.service.uploads import safe_name
from jixiao.store import Store, User
from jixiao.store.policy import scope_for
from jixiao.store.records import EvaluationFilter
from jixiao.web import api, deps
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import ApiUser, PageUser
from jixiao.web.pages import KINDS, UPLOAD_TYPES, render

router = APIRouter()
HOWS = {
    "blank": "空白官方表样",
    "previous": "沿用上年自评表",
    "declaration": "按绩效目标申报表",
}
LARGEST_UPLOAD = 50 * 1024 * 1024


def _sources(store: Store, user: User) -> list[Any]:
    """The stored top-level tables ``user`` may carry over, latest year first."""
    reach = scope_for(user)
    page = store.listed(
        EvaluationFilter(top_level=True),
        unit_id=reach.unit_id,
        restrict=reach.restricted,
        per_page=500,
    )
    rows = [item.summary for item in page.items]
    return sorted(rows, key=lambda s: (-(s.year or 0), s.unit or "", s.name or "", s.id))


def _page(
    request: Request, user: User, error: str | None = None, values: dict[str, Any] | None = None
) -> HTMLResponse:
    store = deps.get_store(request)
    restricted = scope_for(user).restricted
    response = render(
        request,
        "new_evaluation.html",
        user,
        "新建自评表",
        active="new",
        kinds=KINDS,
        hows=HOWS,
        sources=_sources(store, user),
        units=None if restricted else [u.name for u in store.units()],
        accept=UPLOAD_TYPES,
        error=error,
        values=values or {},
        scheme=deps.get_service(request).scheme().name,
    )
    if error is not None:
        response.status_code = 422
    return response


@router.get("/evaluations/new", response_class=HTMLResponse, include_in_schema=False)
def new_page(request: Request, user: PageUser) -> HTMLResponse:
    return _page(request, user, values=dict(request.query_params))


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise ComposeError(f"年度“{text}”不是有效的年份（如 2025）")
    return int(text)


async def _start(request: Request, user: User, form: dict[str, Any]) -> Started:
    """The table ``form`` asks for, stored (``ComposeError`` saying why not)."""
    store, service = deps.get_store(request), deps.get_service(request)
    settings = deps.audit_settings(request)
    how = str(form.get("how") or "")
    unit = str(form.get("unit") or "").strip() or None
    if how == "blank":
        kind = str(form.get("kind") or "project")
        if kind not in KINDS:
            raise ComposeError("请选择项目支出或部门整体支出")
        year = _year(str(form.get("year") or ""))
        evaluation = blank_table(
            service, "department" if kind == "department" else "project", year, unit
        )
        origin = f"空白{evaluation.title}（评分方案 {service.scheme().name}）"
    elif how == "previous":
        source = str(form.get("source") or "")
        if not source.isdigit():
            raise ComposeError("请选择要沿用的上年自评表")
        try:
            found = deps.visible_evaluation(request, user, int(source))
        except ApiError as error:
            raise ComposeError(error.message) from None
        evaluation, unit = await run_in_threadpool(carried_table, store, found.id)
        origin = f"沿用自评表（编号 {found.id}），请填写本年度数字"
    elif how == "declaration":
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ComposeError("请选择绩效目标申报表文件")
        name = safe_name(upload.filename)
        content = await upload.read(LARGEST_UPLOAD + 1)
        if len(content) > LARGEST_UPLOAD:
            raise ComposeError(f"{name}: 文件超过 50 MB，未读取")
        evaluation = await run_in_threadpool(declared_table, service, name, content)
        origin = f"按绩效目标申报表 {name} 新建，请填写实际完成情况"
    else:
        raise ComposeError("请选择新建方式")
    return await run_in_threadpool(
        store_new_table, store, service, settings, user, evaluation, unit, origin
    )


@router.post("/evaluations/new", include_in_schema=False)
async def new_table(request: Request, user: PageUser) -> Response:
    form = dict((await request.form()).items())
    try:
        started = await _start(request, user, form)
    except ComposeError as error:
        values = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
        if error.existing is not None:
            values["existing"] = str(error.existing)
        return _page(request, user, str(error), values)
    return RedirectResponse(f"/evaluations/{started.id}?new=1", status_code=303)


class RowMove(BaseModel):
    direction: Literal["up", "down"] = Field(description="up（上移）或 down（下移）")
    version: int | None = Field(default=None, description="读取时的版本号（防止覆盖他人修改）")


def _rows(request: Request, user: User, evaluation_id: int, index: int) -> list[Any]:
    found = deps.visible_evaluation(request, user, evaluation_id)
    rows = [
        encode(item) for item in deps.get_store(request).evaluation(found.id).evaluation.indicators
    ]
    if not 0 <= index < len(rows):
        raise ApiError(404, "not_found", f"自评表中没有第 {index + 1} 个指标")
    return rows


@router.post(
    "/api/evaluations/{evaluation_id}/indicators/{index}/move",
    tags=["自评表"],
    summary="把第 index 个指标（从 0 数）上移或下移一行，返回复算后的自评表",
)
async def move_indicator(
    request: Request, evaluation_id: int, index: int, body: RowMove, user: ApiUser
) -> Any:
    rows = _rows(request, user, evaluation_id, index)
    other = index - 1 if body.direction == "up" else index + 1
    if not 0 <= other < len(rows):
        where = "第一行" if body.direction == "up" else "最后一行"
        raise ApiError(422, "invalid", f"该指标已是{where}，不能再{'上' if other < 0 else '下'}移")
    rows[index], rows[other] = rows[other], rows[index]
    changes = [("indicators", rows)]
    out = await run_in_threadpool(api._patch, request, evaluation_id, changes, body.version, user)
    return JSONBody(out)


@router.delete(
    "/api/evaluations/{evaluation_id}/indicators/{index}",
    tags=["自评表"],
    summary="删除第 index 个指标（从 0 数），返回复算后的自评表",
)
async def delete_indicator(
    request: Request,
    evaluation_id: int,
    index: int,
    user: ApiUser,
    version: Annotated[int | None, Query(description="读取时的版本号")] = None,
) -> Any:
    rows = _rows(request, user, evaluation_id, index)
    del rows[index]
    changes = [("indicators", rows)]
    out = await run_in_threadpool(api._patch, request, evaluation_id, changes, version, user)
    return JSONBody(out)
