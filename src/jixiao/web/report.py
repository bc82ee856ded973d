"""The report written in the web app (生成报告): drafted from a table the unit may edit,
stored, edited on a page of its own (``report.html``, ``static/report.js``: a contenteditable
with 加粗 / 标题 / 列表), kept to a few plain tags on save and checked against the table again
(the cross-check rules' findings beside the editor), downloaded as Word.

Anyone who may see the table may read its report and download it; drafting and saving
follow the table's edit rights (its unit, while a 草稿 or 已退回).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from jixiao.service.audit import finding_to_data
from jixiao.service.report_text import (
    ReportTextError,
    Written,
    check_text,
    draft_html,
    drafted,
    sanitise,
    text_lines,
)
from jixiao.store import ConflictError, StoreError, User
from jixiao.store.listing import Scope
from jixiao.store.policy import edit_refusal
from jixiao.store.report_texts import ReportText
from jixiao.store.trail import title_of
from jixiao.web import _exports, api, deps
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import ApiUser, PageUser
from jixiao.web.form import SEVERITY_LABELS
from jixiao.web.pages import render

router = APIRouter()
REPLACES = (
    "这张自评表已有报告，重新生成将用自评表中的数字重写全文，替换已编辑的文字。确定重新生成吗？"
)


class Drafting(BaseModel):
    confirm: bool = Field(default=False, description="已有报告时确认重新生成（替换已编辑的文字）")


class Edited(BaseModel):
    html: str = Field(description="编辑后的报告正文（HTML，只保留段落、标题、加粗、列表）")
    revision: int | None = Field(default=None, description="读取时的报告版本（防止覆盖他人保存）")


def _editable(request: Request, user: User, evaluation_id: int) -> Scope:
    """The table when ``user`` may write its report, else the refusal the edit API gives."""
    found = deps.visible_evaluation(request, user, evaluation_id)
    refused = edit_refusal(user, found.state)
    if refused is not None:
        raise api._refusal(*refused)
    return found


def _checked(request: Request, evaluation_id: int, text: str) -> Written:
    stored = deps.get_store(request).evaluation(evaluation_id)
    return check_text(
        deps.get_service(request),
        stored.evaluation,
        stored.summary.unit,
        text,
        deps.audit_settings(request),
    )


def _body(request: Request, user: User, found: Scope, text: ReportText) -> dict[str, Any]:
    """The stored report with what the cross-check rules find in it against the table now."""
    written = _checked(request, found.id, text.html)
    return {
        "evaluation_id": found.id,
        "html": text.html,
        "revision": text.revision,
        "created_by": text.created_by,
        "created_at": text.created_at.isoformat(timespec="seconds"),
        "updated_by": text.updated_by,
        "updated_at": text.updated_at.isoformat(timespec="seconds"),
        "editable": edit_refusal(user, found.state) is None,
        "findings": [finding_to_data(f) for f in written.findings],
    }


def draft_for(request: Request, user: User, evaluation_id: int, confirm: bool) -> dict[str, Any]:
    """Draft the table's report from its figures and store it (asking first when that
    replaces a stored text)."""
    found = _editable(request, user, evaluation_id)
    store = deps.get_store(request)
    if store.report_text(found.id) is not None and not confirm:
        raise ApiError(409, "confirm", REPLACES)
    stored = store.evaluation(found.id)
    draft = drafted(
        deps.get_service(request),
        stored.evaluation,
        stored.summary.unit,
        deps.audit_settings(request),
    )
    text = store.draft_report_text(found.id, draft_html(draft), user.name)
    return _body(request, user, found, text)


def _save(request: Request, user: User, evaluation_id: int, edited: Edited) -> dict[str, Any]:
    found = _editable(request, user, evaluation_id)
    try:
        clean = sanitise(edited.html)
    except ReportTextError as error:
        raise ApiError(422, "invalid", str(error), {"path": "html"}) from None
    if not text_lines(clean):  # nothing but empty paragraphs
        raise ApiError(422, "invalid", "报告正文为空，未保存", {"path": "html"})
    try:
        text = deps.get_store(request).save_report_text(found.id, clean, user.name, edited.revision)
    except ConflictError as error:
        raise ApiError(409, "conflict", str(error)) from None
    except StoreError as error:
        raise ApiError(404, "not_found", str(error)) from None
    return _body(request, user, found, text)


@router.get(
    "/api/evaluations/{evaluation_id}/report",
    tags=["自评报告"],
    summary="读取在系统中撰写的自评报告，及其文字与自评表的核对结果（XC 规则）",
)
async def get_report(request: Request, evaluation_id: int, user: ApiUser) -> Any:
    def body() -> dict[str, Any]:
        found = deps.visible_evaluation(request, user, evaluation_id)
        text = deps.get_store(request).report_text(found.id)
        if text is None:  # none drafted yet: said, not a missing table's 404
            editable = edit_refusal(user, found.state) is None
            return {"evaluation_id": found.id, "html": None, "editable": editable, "findings": []}
        return _body(request, user, found, text)

    return JSONBody(await run_in_threadpool(body))


@router.post(
    "/api/evaluations/{evaluation_id}/report",
    tags=["自评报告"],
    summary="生成报告：按自评表的数字起草报告并保存（已有报告时须 confirm）",
)
async def post_report(
    request: Request, evaluation_id: int, user: ApiUser, body: Drafting | None = None
) -> Any:
    confirm = body.confirm if body is not None else False
    out = await run_in_threadpool(draft_for, request, user, evaluation_id, confirm)
    return JSONBody(out, status_code=201)


@router.put(
    "/api/evaluations/{evaluation_id}/report",
    tags=["自评报告"],
    summary="保存编辑后的报告（只保留段落、标题、加粗、列表），并与自评表再次核对",
)
async def put_report(request: Request, evaluation_id: int, body: Edited, user: ApiUser) -> Any:
    return JSONBody(await run_in_threadpool(_save, request, user, evaluation_id, body))


def _docx(request: Request, user: User, evaluation_id: int) -> tuple[bytes, str]:
    """The edited report as Word; before any is drafted, the draft (as ``jixiao draft``)."""
    found = deps.visible_evaluation(request, user, evaluation_id)
    stored = deps.get_store(request).evaluation(found.id)
    name = f"{title_of(stored.summary, stored.summary.unit)}-自评报告.docx"
    text = deps.get_store(request).report_text(found.id)
    if text is None:
        service, settings = deps.get_service(request), deps.audit_settings(request)
        return drafted(service, stored.evaluation, stored.summary.unit, settings).docx(), name
    return _checked(request, found.id, text.html).docx(), name


@router.get(
    "/api/evaluations/{evaluation_id}/report/docx",
    tags=["自评报告"],
    summary="下载编辑后的报告（Word，自评表作为附件）",
    response_class=Response,
)
async def report_docx(request: Request, evaluation_id: int, user: ApiUser) -> Response:
    data, name = await run_in_threadpool(_docx, request, user, evaluation_id)
    return Response(
        data,
        media_type=_exports.DOCX,
        headers={"Content-Disposition": _exports.disposition(name, f"report-{evaluation_id}.docx")},
    )


# ---- the pages ---------------------------------------------------------------------------------


@router.post("/evaluations/{evaluation_id}/report", include_in_schema=False)
async def draft_page(request: Request, evaluation_id: int, user: PageUser) -> Response:
    """生成报告 on the evaluation page: drafted (again, when the form confirms it), then
    opened in the editor."""
    form = await request.form()
    confirm = form.get("confirm") == "1"
    await run_in_threadpool(draft_for, request, user, evaluation_id, confirm)
    return RedirectResponse(f"/evaluations/{evaluation_id}/report", status_code=303)


@router.get(
    "/evaluations/{evaluation_id}/report", response_class=HTMLResponse, include_in_schema=False
)
async def report_page(request: Request, evaluation_id: int, user: PageUser) -> HTMLResponse:
    def context() -> dict[str, Any]:
        found = deps.visible_evaluation(request, user, evaluation_id)
        stored = deps.get_store(request).evaluation(found.id)
        text = deps.get_store(request).report_text(found.id)
        return {
            "evaluation_id": found.id,
            "called": title_of(stored.summary, stored.summary.unit),
            "report": _body(request, user, found, text) if text is not None else None,
            "may_draft": edit_refusal(user, found.state) is None,
            "state_label": found.state.label,
        }

    values = await run_in_threadpool(context)
    return render(
        request,
        "report.html",
        user,
        f"{values['called']} · 自评报告",
        active="list",
        severity_labels=SEVERITY_LABELS,
        **values,
    )
