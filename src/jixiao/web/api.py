"""The JSON API under /api: evaluations (list, read, edit, workflow, comments, history,
exports) and uploads. Every route checks access through ``deps.visible_evaluation``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from jixiao import scratch
from jixiao.loading import encode
from jixiao.model import FieldPath
from jixiao.service.store import rescorer as store_rescorer
from jixiao.service.store import stored_last_year
from jixiao.store import (
    ConflictError,
    EvaluationFilter,
    State,
    StoredEvaluation,
    StoreError,
    User,
)
from jixiao.store.errors import NeedsConfirmation
from jixiao.store.policy import (
    Refusal,
    changes_refusal,
    delete_refusal,
    scope_for,
    step_refusal,
)
from jixiao.store.workflow import parse_path, spoken
from jixiao.web import _bodies, _exports, _uploads, review
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import (
    LANE,
    ApiUser,
    audit_settings,
    get_service,
    get_settings,
    get_store,
    held,
    visible_evaluation,
)

router = APIRouter(prefix="/api", tags=["自评表"], default_response_class=JSONBody)

NUMERIC_LEAVES = frozenset(
    {"initial_budget", "annual_budget", "executed", "weight", "rate", "score", "amount"}
)
_TRUE, _FALSE = {"1", "true", "yes", "on", "是"}, {"0", "false", "no", "off", "否"}


# ---- the list -----------------------------------------------------------------------------


# what a person calls each whole-number parameter of a list (the key stays in the details)
_NUMBER_NAMES = {"page": "页码", "size": "每页条数", "year": "年度"}


def _int(params: Mapping[str, str], key: str, default: int | None = None) -> int | None:
    text = (params.get(key) or "").strip()
    if not text:
        return default
    said = _NUMBER_NAMES.get(key, key)
    try:
        number = int(text)
    except ValueError:
        raise ApiError(422, "invalid", f"{said}应为整数：{text}", {"param": key}) from None
    return held(number, said, key)


def _text(params: Mapping[str, str], key: str) -> str | None:
    text = (params.get(key) or "").strip()
    return text or None


def list_body(request: Request, user: User, params: Mapping[str, str]) -> dict[str, Any]:
    """GET /api/evaluations as data (the list page calls it with ``request.query_params``)."""
    settings = get_settings(request)
    state_text = _text(params, "state")
    try:
        state = State(state_text) if state_text else None
    except ValueError:
        allowed = "、".join(s.value for s in State)
        raise ApiError(
            422, "invalid", f"参数 state 应为 {allowed} 之一", {"param": "state"}
        ) from None
    flag = (_text(params, "has_errors") or "").lower()
    if flag and flag not in _TRUE | _FALSE:
        raise ApiError(
            422, "invalid", "参数 has_errors 应为 true 或 false", {"param": "has_errors"}
        )
    page = max(1, _int(params, "page", 1) or 1)
    size = min(settings.max_page_size, max(1, _int(params, "size", settings.page_size) or 1))
    where = EvaluationFilter(
        year=_int(params, "year"),
        department=_text(params, "department"),
        kind=_text(params, "kind"),
        grade=_text(params, "grade"),
        state=state,
        search=_text(params, "q"),
        # top=1: a fund's sub-direction tables left out, each record once (the dashboard's count)
        top_level=(_text(params, "top") or "").lower() in _TRUE,
    )
    reach = scope_for(user)
    listed = get_store(request).listed(
        where,
        unit_id=reach.unit_id,
        restrict=reach.restricted,
        has_errors=None if not flag else flag in _TRUE,
        page=page,
        per_page=size,
    )
    return {
        "items": [_bodies.list_item(item) for item in listed.items],
        "total": listed.total,
        "page": listed.page,
        "size": listed.per_page,
    }


@router.get("/evaluations", summary="自评表列表（筛选、搜索、分页）", dependencies=[LANE])
def list_evaluations(
    request: Request,
    user: ApiUser,
    year: Annotated[int | None, Query(description="年度")] = None,
    department: Annotated[str | None, Query(description="主管部门")] = None,
    kind: Annotated[
        str | None, Query(description="project（项目）或 department（部门整体）")
    ] = None,
    grade: Annotated[str | None, Query(description="复算等级：优、良、中、差")] = None,
    state: Annotated[State | None, Query(description="状态")] = None,
    has_errors: Annotated[bool | None, Query(description="是否有“错误”级审核发现")] = None,
    q: Annotated[str | None, Query(description="搜索名称或部门")] = None,
    page: Annotated[int, Query(ge=1, description="页码")] = 1,
    size: Annotated[int | None, Query(ge=1, description="每页条数")] = None,
) -> Any:
    return JSONBody(list_body(request, user, request.query_params))


# ---- one evaluation --------------------------------------------------------------------------


def evaluation_parts(
    request: Request, evaluation_id: int, user: User, *, children: bool = True
) -> tuple[StoredEvaluation, dict[str, Any]]:
    """The stored evaluation and GET /api/evaluations/{id}'s body but its ``evaluation``
    data, from one read (the evaluation page needs both; decoding a fund's tables twice was
    half of its time, and the page draws the model, not the data: encoding a 10,000-indicator
    table again was a fifth of its page's time). ``children=False`` (the page, which only
    names a fund's sub-directions): their tables are neither read nor decoded."""
    visible_evaluation(request, user, evaluation_id)
    store = get_store(request)
    try:
        stored = store.evaluation(evaluation_id, children=children)
    except StoreError:
        raise ApiError(404, "not_found", f"没有编号为 {evaluation_id} 的自评表") from None
    score = get_service(request).score(stored.evaluation)
    document = stored.document or store.document_of(stored.summary.document_id)
    body = _bodies.evaluation_data(stored, score, document)
    decisions = review.decided(stored, store.decisions(evaluation_id))
    for finding in (*body["findings"], *body["report_findings"]):
        finding["decision"] = review.decision_data(decisions.get(finding["id"]))
    return stored, body


def evaluation_body(request: Request, evaluation_id: int, user: User) -> dict[str, Any]:
    """GET /api/evaluations/{id} as data."""
    stored, body = evaluation_parts(request, evaluation_id, user)
    return {**body, "evaluation": encode(stored.evaluation)}


@router.get(
    "/evaluations/{evaluation_id}",
    summary="一张自评表：内容、复算得分、审核发现",
    dependencies=[LANE],
)
def get_evaluation(request: Request, evaluation_id: int, user: ApiUser) -> Any:
    return JSONBody(evaluation_body(request, evaluation_id, user))


class Change(BaseModel):
    path: str = Field(description="字段路径，如 indicators[3].actual、funds.score")
    value: Any = Field(description="新值：数字、文字，或 null 表示清空")


class Changes(BaseModel):
    changes: list[Change] = Field(min_length=1, description="要修改的字段")
    version: int | None = Field(default=None, description="读取时的版本号（防止覆盖他人修改）")
    reason: str = Field(
        default="",
        max_length=2000,
        description="更正原因：填报单位更正预算编制时确定的字段（年度指标值、分值、年度、单位等）时必填",
    )


def _field(path: str) -> FieldPath:
    """The field a change names; 422 (in Chinese) for a text that names none."""
    try:
        return parse_path(path)
    except StoreError as error:
        raise ApiError(422, "invalid", str(error), {"path": path}) from None


def _coerce(path: str, value: Any) -> Any:
    """JSON numbers as exact decimals; a number field given as text is read as a number."""
    field = _field(path)
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if field.leaf not in NUMERIC_LEAVES:
            return value
        try:
            number = Decimal(text.removesuffix("%").replace(",", "").strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            message = f"{spoken(field)}应为数字，收到“{value}”"
            raise ApiError(422, "invalid", message, {"path": path})
        return number
    return value


def rescorer(request: Request, unit_id: int | None = None) -> Any:
    """Rescore and recheck an edited table of unit ``unit_id`` (as
    ``service.store.edit_evaluation`` does), compared with the unit's last year's tables."""
    previous = stored_last_year(get_store(request), unit_id=unit_id)
    return store_rescorer(get_service(request), audit_settings(request), previous)


@router.patch(
    "/evaluations/{evaluation_id}",
    summary="修改字段（实际完成值、得分等）或更正预算字段（须写明原因），返回复算后的自评表",
)
async def patch_evaluation(
    request: Request, evaluation_id: int, body: Changes, user: ApiUser
) -> Any:
    # the values again from the raw body, numbers as exact decimals (9.990 stays 9.990)
    try:
        raw = json.loads(await request.body(), parse_float=Decimal)
        values = [item.get("value") for item in raw["changes"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        values = [c.value for c in body.changes]
    changes = [(c.path, v) for c, v in zip(body.changes, values, strict=True)]
    body_out = await run_in_threadpool(
        _patch, request, evaluation_id, changes, body.version, user, body.reason
    )
    return JSONBody(body_out)


def _patch(
    request: Request,
    evaluation_id: int,
    changes: list[tuple[str, Any]],
    version: int | None,
    user: User,
    reason: str = "",
) -> dict[str, Any]:
    found = visible_evaluation(request, user, evaluation_id)
    refused = changes_refusal(user, found.state, [_field(path) for path, _ in changes], reason)
    if refused is not None:
        raise _refusal(*refused)
    changes = [(path, _coerce(path, value)) for path, value in changes]
    try:
        get_store(request).edit_many(
            evaluation_id,
            changes,
            user.name,
            expected_version=version,
            rescore=rescorer(request, found.unit_id),
            reason=reason,
        )
    except ConflictError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except StoreError as error:
        paths = [path for path, _ in changes]
        raise ApiError(422, "invalid", str(error), {"paths": paths}) from None
    return evaluation_body(request, evaluation_id, user)


REFUSED = {Refusal.STATE: 409, Refusal.ROLE: 403, Refusal.MISSING: 422, Refusal.REASON: 403}


def _refusal(why: Refusal, message: str) -> ApiError:
    """A refused edit or step as the API answers it (a missing comment or reason names its
    field)."""
    detail = {"path": "comment"} if why is Refusal.MISSING else None
    if why is Refusal.REASON:
        detail = {"path": "reason"}
    return ApiError(REFUSED[why], why.value, message, detail)


def versions_body(request: Request, evaluation_id: int, user: User) -> dict[str, Any]:
    """GET /api/evaluations/{id}/versions as data."""
    visible_evaluation(request, user, evaluation_id)
    found = get_store(request).versions_of(evaluation_id)
    return {"versions": [_bodies.version_data(v) for v in found]}


def comparison_body(
    request: Request, evaluation_id: int, user: User, old: int, new: int
) -> dict[str, Any]:
    """GET /api/evaluations/{id}/versions/compare as data: what changed from version ``old``
    to version ``new``."""
    visible_evaluation(request, user, evaluation_id)
    if old == new:
        raise ApiError(422, "invalid", "请选择两个不同的版本进行比较", {"param": "new"})
    for number, param in ((old, "old"), (new, "new")):
        held(number, "版本号", param)
    try:
        changes = get_store(request).compare_versions(evaluation_id, old, new)
    except StoreError as error:
        raise ApiError(404, "not_found", str(error)) from None
    return {
        "old": old,
        "new": new,
        "title": f"第{old}版 → 第{new}版",
        "changes": [_bodies.change_data(c) for c in changes],
    }


@router.get("/evaluations/{evaluation_id}/versions", summary="版本记录：每次重新上传的版本")
def versions(request: Request, evaluation_id: int, user: ApiUser) -> Any:
    return JSONBody(versions_body(request, evaluation_id, user))


@router.get(
    "/evaluations/{evaluation_id}/versions/compare",
    summary="比较两个版本：改动的字段（原值 → 新值）及新增、删除的行",
)
def compare_versions(
    request: Request,
    evaluation_id: int,
    user: ApiUser,
    old: Annotated[int, Query(ge=1, description="原版本号（第几版）")],
    new: Annotated[int, Query(ge=1, description="新版本号（第几版）")],
) -> Any:
    return JSONBody(comparison_body(request, evaluation_id, user, old, new))


class Deletion(BaseModel):
    reason: str = Field(default="", max_length=2000, description="删除原因（必填，记入删除记录）")


@router.delete(
    "/evaluations/{evaluation_id}",
    summary="删除自评表（仅管理员，须写明原因；连同其支出方向子表，完整保存在删除记录中）",
)
def delete_evaluation(
    request: Request, evaluation_id: int, user: ApiUser, body: Deletion | None = None
) -> Any:
    reason = body.reason if body is not None else ""  # no body: told to give a reason
    visible_evaluation(request, user, evaluation_id)
    refused = delete_refusal(user.role, reason)
    if refused is not None:
        why, message = refused
        detail = {"path": "reason"} if why is Refusal.MISSING else None
        raise ApiError(REFUSED[why], why.value, message, detail)
    try:
        entry = get_store(request).delete(evaluation_id, user.name, reason)
    except StoreError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return JSONBody({"deleted": entry.evaluation_id, "title": entry.title, "trail": entry.id})


class Transition(BaseModel):
    to: Literal["submitted", "returned", "approved", "published", "draft"] = Field(
        description="目标状态（draft：撤回已提交、尚未审核的自评表）"
    )
    comment: str = Field(default="", description="意见（退回时必填）")
    confirm: bool = Field(
        default=False,
        description="已确认：公开，审核通过时仍有“需修改”或未处理的错误，提交时仍有错误，"
        "未确认时答 409 confirm 并给出要确认的问题",
    )


@router.post(
    "/evaluations/{evaluation_id}/transitions", summary="流转：提交、撤回、退回、审核、公开"
)
def transition(request: Request, evaluation_id: int, body: Transition, user: ApiUser) -> Any:
    found = visible_evaluation(request, user, evaluation_id)
    refused = step_refusal(user.role, found.state, State(body.to), body.comment)
    if refused is not None:
        raise _refusal(*refused)
    try:
        get_store(request).transition(
            evaluation_id, State(body.to), user.name, body.comment, confirmed=body.confirm
        )
    except NeedsConfirmation as error:
        raise review.confirm_error(str(error)) from None
    except StoreError as error:
        raise ApiError(409, "conflict", str(error)) from None
    return JSONBody(evaluation_body(request, evaluation_id, user))


class NewComment(BaseModel):
    text: str = Field(min_length=1, max_length=5000, description="意见内容")
    path: str | None = Field(
        default=None, description="批注的单元格（字段路径，如 indicators[3].score）；不填为整表"
    )


@router.get("/evaluations/{evaluation_id}/comments", summary="意见列表")
def comments(request: Request, evaluation_id: int, user: ApiUser) -> Any:
    visible_evaluation(request, user, evaluation_id)
    stored = get_store(request).evaluation(evaluation_id)
    return JSONBody([_bodies.comment_data(c) for c in stored.comments])


@router.post("/evaluations/{evaluation_id}/comments", summary="发表意见", status_code=201)
def add_comment(request: Request, evaluation_id: int, body: NewComment, user: ApiUser) -> Any:
    visible_evaluation(request, user, evaluation_id)
    path = str(_field(body.path)) if body.path else None
    try:
        get_store(request).comment(evaluation_id, user.name, body.text, path)
    except StoreError as error:
        raise ApiError(422, "invalid", str(error), {"path": "text"}) from None
    response = comments(request, evaluation_id, user)
    response.status_code = 201
    return response


@router.get("/evaluations/{evaluation_id}/history", summary="修改和流转记录")
def history(request: Request, evaluation_id: int, user: ApiUser) -> Any:
    visible_evaluation(request, user, evaluation_id)
    stored = get_store(request).evaluation(evaluation_id)
    return JSONBody([_bodies.history_data(h) for h in stored.history])


@router.get(
    "/evaluations/{evaluation_id}/export",
    summary="导出：自评表 xlsx、报告 docx / pdf、审核意见 docx / xlsx",
    response_class=FileResponse,
)
def export(
    request: Request,
    evaluation_id: int,
    user: ApiUser,
    format: Annotated[
        Literal["xlsx", "docx", "pdf", "review-docx", "review-xlsx"], Query(description="格式")
    ] = "xlsx",
) -> FileResponse:
    from jixiao.render.pdf import RenderError

    visible_evaluation(request, user, evaluation_id)
    store = get_store(request)
    stored = store.evaluation(evaluation_id)
    fmt = _exports.EXPORTS[format]
    folder = scratch.folder("export")
    try:
        document_name = store.document_of(stored.summary.document_id)[0]
        signed = None
        if fmt.name.startswith("review-"):
            found = _exports.stored_findings(stored)
            signed = review.signed_review(request, stored, document_name, found)
        path = _exports.render(
            store, get_service(request), stored, document_name, fmt, folder, signed
        )
    except RenderError as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise ApiError(503, "render", f"无法生成 {fmt.name}：{error}") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = _exports.file_name(stored, fmt)
    fallback = f"evaluation-{evaluation_id}-{fmt.name}{fmt.suffix}"
    return FileResponse(
        path,
        media_type=fmt.media_type,
        headers={"Content-Disposition": _exports.disposition(name, fallback)},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


# ---- uploads -----------------------------------------------------------------------------------


@router.post("/documents", summary="上传报告（可多个文件或 zip），逐个导入", tags=["上传"])
def upload(
    request: Request,
    user: ApiUser,
    files: Annotated[list[UploadFile], File(description="报告文件或 zip")],
    unit: Annotated[
        str | None,
        Form(
            description="所属单位（审核、管理员可指定；不指定则按报告所填单位）。"
            "填报人员只能上传本单位的报告，报告所填单位不是本单位的不予导入"
        ),
    ] = None,
) -> Any:
    reach = scope_for(user)
    target = reach.unit if reach.restricted else (unit or "").strip() or None
    streams = [(f.filename or "未命名文件", f.file) for f in files]
    results = _uploads.import_uploads(
        get_store(request),
        get_service(request),
        streams,
        user,
        target,
        settings=audit_settings(request),
    )
    return JSONBody({"results": [r.data() for r in results]})
