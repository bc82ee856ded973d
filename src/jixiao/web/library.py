"""The indicator library (指标库): GET /library (page) and GET /api/library (JSON); and
POST /api/evaluations/{id}/indicators, the new row the library's suggestions help a unit
write on the evaluation page (``templates/_new_row.html``, ``static/library.js``).

Built from the stored tables a reader may draw on (``store.library.visible``: the finance
bureau all; a unit its own and the published ones) by ``service.library``; a library is kept
until any table changes (the store's change stamp), so browsing and the edit page's
suggestions cost one small query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from jixiao.loading import encode
from jixiao.model import Indicator
from jixiao.scoring.scheme import clean_category
from jixiao.service.library import build_library
from jixiao.store import Store, User
from jixiao.store.dashboard import stamp
from jixiao.store.library import library_choices, library_tables
from jixiao.store.policy import scope_for
from jixiao.web import api, deps
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import ApiUser, PageUser
from jixiao.web.pages import KINDS, query_string, render

router = APIRouter()
KIND_HELP = "project（项目）或 department（部门整体）"
_CACHE_SIZE = 64
_lock = threading.Lock()
_cache: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _year(text: str | None) -> int | None:
    if not _text(text):
        return None
    try:
        year = int(str(text).strip())
    except ValueError:
        raise ApiError(422, "invalid", f"年度“{text}”不是整数", {"param": "year"}) from None
    return deps.held(year, "年度", "year")


def library_body(request: Request, user: User, params: dict[str, str | None]) -> dict[str, Any]:
    """GET /api/library as data, for ``user`` (kept until a table changes)."""
    store: Store = deps.get_store(request)
    reach = scope_for(user)
    year = _year(params.get("year"))
    department, kind = _text(params.get("department")), _text(params.get("kind"))
    if kind is not None and kind not in KINDS:
        raise ApiError(422, "invalid", "参数 kind 应为 project 或 department", {"param": "kind"})
    level2, q = _text(params.get("level2")), _text(params.get("q"))
    with store.reading() as connection:
        key = (id(store), stamp(connection), reach, year, department, kind, level2, q)
        with _lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
                return found
        tables = library_tables(connection, reach, year=year, department=department, kind=kind)
        body = build_library(tables, level2=level2, query=q)
        years, departments = library_choices(connection, reach)
    body.update(
        filters={"year": year, "department": department, "kind": kind, "level2": level2, "q": q},
        choices={"years": years, "departments": departments},
    )
    with _lock:
        _cache[key] = body
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return body


@router.get("/api/library", tags=["指标库"], summary="指标库：各二级指标下使用过的三级指标")
def library_data(
    request: Request,
    user: ApiUser,
    year: Annotated[str | None, Query(description="年度")] = None,
    department: Annotated[str | None, Query(description="部门")] = None,
    kind: Annotated[str | None, Query(description=KIND_HELP)] = None,
    level2: Annotated[str | None, Query(description="二级指标，如 数量指标")] = None,
    q: Annotated[str | None, Query(description="指标名称中的文字")] = None,
) -> Any:
    params = {"year": year, "department": department, "kind": kind, "level2": level2, "q": q}
    return JSONBody(library_body(request, user, params))


@router.get("/library", response_class=HTMLResponse, include_in_schema=False)
def library_page(request: Request, user: PageUser) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if v}
    body = library_body(request, user, dict(params))
    return render(
        request,
        "library.html",
        user,
        "指标库",
        active="library",
        data=body,
        kinds=KINDS,
        restricted=scope_for(user).restricted,
        query=query_string(params),
    )


class NewIndicator(BaseModel):
    level1: str = Field(min_length=1, max_length=200, description="一级指标")
    level2: str = Field(default="", max_length=200, description="二级指标")
    name: str = Field(max_length=500, description="三级指标名称")
    target: str | None = Field(default=None, max_length=2000, description="年度指标值")
    weight: str | None = Field(default=None, max_length=40, description="分值")
    version: int | None = Field(default=None, description="读取时的版本号（防止覆盖他人修改）")


def _place(indicators: tuple[Indicator, ...], level1: str, level2: str) -> int:
    """Where a new row goes: after the last row of its 二级指标, else of its 一级指标, else
    at the end."""
    for wanted in ((level1, level2), (level1, None)):
        last = None
        for i, item in enumerate(indicators):
            same1 = clean_category(item.level1 or "") == clean_category(wanted[0])
            same2 = wanted[1] is None or clean_category(item.level2 or "") == clean_category(
                wanted[1]
            )
            if same1 and same2:
                last = i
        if last is not None:
            return last + 1
    return len(indicators)


@router.post(
    "/api/evaluations/{evaluation_id}/indicators",
    tags=["自评表"],
    summary="新增一行三级指标（放在同一二级指标的最后），返回复算后的自评表",
    status_code=201,
)
async def add_indicator(
    request: Request, evaluation_id: int, body: NewIndicator, user: ApiUser
) -> Any:
    name = body.name.strip()
    if not name:
        raise ApiError(422, "invalid", "请填写三级指标名称", {"path": "name"})
    weight = api._coerce("indicators[0].weight", body.weight) if body.weight else None
    found = deps.visible_evaluation(request, user, evaluation_id)
    stored = deps.get_store(request).evaluation(found.id).evaluation
    level1, level2 = body.level1.strip(), body.level2.strip()
    row = {
        "level1": level1,
        "level2": level2 or None,
        "name": name,
        "target": (body.target or "").strip() or None,
        "weight": weight,
    }
    rows = [encode(item) for item in stored.indicators]
    rows.insert(_place(stored.indicators, level1, level2), row)
    changes = [("indicators", rows)]
    out = await run_in_threadpool(api._patch, request, evaluation_id, changes, body.version, user)
    return JSONBody(out, status_code=201)
