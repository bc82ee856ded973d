"""The HTML pages: the list, the evaluation form (and its fragment), the upload page.

Pages show the same data the JSON API returns: they call the API's body builders
(``api.list_body``, ``api.evaluation_parts``), never the API over HTTP. The form is drawn
by one template (``_form.html``); the page's script re-fetches it after each edit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from jixiao.audit import Decision
from jixiao.model import Evaluation, FieldPath, SourceRef
from jixiao.service import READABLE
from jixiao.service.scan_pages import scanned_page_png
from jixiao.store import STATE_LABELS, State, Store, StoredEvaluation, User
from jixiao.store.dashboard import filter_choices, stamp
from jixiao.store.policy import (
    NEEDS_COMMENT,
    FieldKind,
    Right,
    can_delete,
    edit_refusal,
    field_kind,
    field_right,
    scope_for,
    steps,
)
from jixiao.store.review import decide_refusal
from jixiao.store.trail import title_of
from jixiao.store.workflow import Action
from jixiao.web import api, deps
from jixiao.web._errors import ApiError
from jixiao.web.deps import PageUser
from jixiao.web.form import SEVERITY_LABELS, WIDTHS, Rights, anchor, build_grid, rows_html

router = APIRouter(include_in_schema=False)

# Which part of a big table's indicator rows a page shows (see form.Part)
FormPart = Annotated[int, Query(alias="page", ge=1, description="指标分页")]
KINDS = {"project": "项目支出", "department": "部门整体支出"}
GRADES = ("优", "良", "中", "差")
EXPORTS = (
    ("xlsx", "Excel 自评表"),
    ("docx", "Word 自评表"),
    ("pdf", "PDF"),
    ("review-docx", "审核意见（Word）"),
    ("review-xlsx", "审核意见（Excel）"),
)
STEP_LABELS = {
    State.DRAFT: "撤回",
    State.SUBMITTED: "提交审核",
    State.RETURNED: "退回修改",
    State.APPROVED: "审核通过",
    State.PUBLISHED: "公开",
}
ACTIONS = {"import": "导入", "edit": "修改", "state": "流程", "decision": "审核处理"}
# what else a history row records (workflow.Action): corrections of budget-time fields,
# totals worked out again, new versions of the record; each shows its old and new value
ACTIONS |= {"correct": "更正", "derived": "重算", "version": "新版本"}
# and a table scored and checked again after the settings changed (note: what changed)
ACTIONS |= {"rescore": "复算"}
SHOWN = frozenset({"edit", "state", "correct", "derived", "version", "rescore"})
FILTERS = ("year", "department", "kind", "grade", "state", "has_errors", "q", "top")
UPLOAD_TYPES = ",".join((*READABLE, ".zip"))  # what read_report reads, and zips of it


def render(
    request: Request, name: str, user: User | None, title: str, **context: Any
) -> HTMLResponse:
    """A page with what base.html needs: request, user, csrf, title."""
    values = {"request": request, "user": user, "csrf": deps.csrf_token(request), "title": title}
    return deps.templates.TemplateResponse(request, name, {**values, **context})


@router.get("/")
def home(user: PageUser) -> RedirectResponse:
    return RedirectResponse("/evaluations", status_code=303)


@router.get("/evaluations", response_class=HTMLResponse, dependencies=[deps.LANE])
def evaluations_page(
    request: Request, user: PageUser, store: Annotated[Store, Depends(deps.get_store)]
) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if v != ""}
    body = api.list_body(request, user, params)
    size = int(body["size"])
    pages = max(1, -(-int(body["total"]) // size))
    kept = {k: v for k, v in params.items() if k in FILTERS}

    def page_link(number: int) -> str:
        return "/evaluations?" + urlencode({**kept, "page": number, "size": size})

    years, departments = _choices(store, scope_for(user).unit)
    # a unit sees the tables sent back to it, with why, above its list
    notices = store.returned(scope_for(user)) if scope_for(user).restricted else []
    return render(
        request,
        "evaluations.html",
        user,
        "自评列表",
        active="list",
        items=body["items"],
        total=body["total"],
        page=body["page"],
        size=size,
        pages=pages,
        params=kept,
        page_link=page_link,
        choices={
            "years": years,
            "departments": departments,
            # a province has a hundred departments: their options written here, not by a
            # loop of the template on every page
            "year_options": options(tuple(str(y) for y in years), kept.get("year"), True),
            "department_options": options(departments, kept.get("department")),
        },
        kinds=KINDS,
        grades=GRADES,
        states={s.value: label for s, label in STATE_LABELS.items()},
        notices=notices,
    )


# The years and departments the list's filters offer, by store and unit: kept until a table
# changes (the dashboard's stamp), not found again among every table for every page
_choices_cache: OrderedDict[tuple[Any, ...], tuple[tuple[int, ...], tuple[str, ...]]]
_choices_cache = OrderedDict()
_choices_lock = threading.Lock()
_CHOICES_KEPT = 64


def _choices(store: Store, unit: str | None) -> tuple[tuple[int, ...], tuple[str, ...]]:
    with store.reading() as connection:
        key = (id(store), unit, stamp(connection))
        with _choices_lock:
            found = _choices_cache.get(key)
        if found is None:
            found = filter_choices(connection, unit)
            with _choices_lock:
                _choices_cache[key] = found
                while len(_choices_cache) > _CHOICES_KEPT:
                    _choices_cache.popitem(last=False)
    return found


@lru_cache(maxsize=64)
def _escaped_all(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(escape(value)) for value in values)


def options(values: tuple[str, ...], chosen: str | None, valued: bool = False) -> Markup:
    """``<option>`` of each value (with ``value=`` when ``valued``), the chosen one selected."""
    out = []
    for value, shown in zip(values, _escaped_all(values), strict=True):
        attributes = f' value="{shown}"' if valued else ""
        if value == chosen:
            attributes += " selected"
        out.append(f"<option{attributes}>{shown}</option>")
    return Markup("".join(out))


def _show(value: Any, action: str) -> str:
    """A history value as people read it (states by their Chinese name); an import or
    another step without a field has no values to show."""
    if action == "decision":  # {"code", "decision", "comment"}: the decision's name
        if (
            not isinstance(value, dict)
            or value.get("decision") not in Decision.__members__.values()
        ):
            return "（未处理）"
        return f"{value.get('code', '')} {Decision(value['decision']).label}".strip()
    if action not in SHOWN:
        return ""
    if value is None:
        return "（空）"
    if action == "state" and isinstance(value, str) and value in State.__members__.values():
        return State(value).label
    return str(value)


def _form_context(
    request: Request, user: User, evaluation_id: int, part: int = 1
) -> dict[str, Any]:
    """What the form fragment needs, from the API's evaluation body."""
    stored, body = api.evaluation_parts(request, evaluation_id, user, children=False)
    state = State(body["state"])
    # each cell open as the user's right to its field allows (the table is visible: the API
    # body was given); the form takes edits when any is open
    grid = build_grid(stored.evaluation, body["findings"], _rights(user, state), part)
    editable = any(cell.editable for row in grid.rows for cell in row)
    notes = [
        {
            "path": str(c.path),
            "anchor": anchor(c.path),
            "label": c.path.label() or str(c.path),
            "text": c.text,
            "user": c.user,
            "at": c.at,
        }
        for c in stored.comments
        if c.path is not None
    ]
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in body["findings"]:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    corrected = corrections(stored)
    noted = {str(c.path) for c in stored.comments if c.path is not None}
    return {
        "body": body,
        "stored": stored,
        "grid": grid,
        "rows_html": rows_html(grid.rows, noted, corrected),
        "editable": editable,
        "corrections": corrected,
        "score": body.get("score") or {},
        "counts": counts,
        "report_findings": body.get("report_findings") or [],
        "version": stored.summary.version,
        "widths": WIDTHS,
        "severity_labels": SEVERITY_LABELS,
        # the reviewer's desk: decisions on findings, notes on cells
        "can_decide": decide_refusal(user, state) is None,
        "decisions": [(d.value, d.label) for d in Decision],
        "notes": notes,
        "noted": noted,
    }


def _rights(user: User, state: State) -> Rights:
    """The user's right to each field: the same for every field of a kind (``field_kind``),
    so asked once a kind, not once a cell."""
    by_kind: dict[FieldKind, Right] = {}

    def right(path: FieldPath) -> Right:
        kind = field_kind(path)
        found = by_kind.get(kind)
        if found is None:
            found = by_kind[kind] = field_right(user, state, path)[0]
        return found

    return right


def corrections(stored: StoredEvaluation) -> dict[str, dict[str, Any]]:
    """The budget-time fields corrected since the upload, by path: the value first read
    (原), the value now (新), who corrected it last, when and why (the reviewer sees each
    on its cell and in a list of its own)."""
    found: dict[str, dict[str, Any]] = {}
    for h in stored.history:
        if h.action != Action.CORRECT or h.path is None:
            continue
        key = str(h.path)
        first = found.get(key, {"old": h.old})
        found[key] = {
            "label": h.path.label() or key,
            "anchor": anchor(h.path),
            "old": _show(first["old"], h.action),
            "new": _show(h.new, h.action),
            "user": h.user,
            "at": h.at,
            "note": h.note or "",
        }
    return found


def _steps(user: User, state: State) -> list[dict[str, Any]]:
    """The workflow steps this user may take from this state."""
    return [
        {
            "value": to.value,
            "label": STEP_LABELS.get(to, to.label),
            "needs_comment": to in NEEDS_COMMENT,
        }
        for to in steps(user.role, state)
    ]


def _step_comments(stored: StoredEvaluation) -> dict[int, str]:
    """The comment written with each workflow step (a return's reason), by history row:
    the store writes both at the same instant, by the same user, for the step's state."""
    said = {(c.at, c.user, c.step.value): c.text for c in stored.comments}
    found = {
        h.id: said[(h.at, h.user, h.new)]
        for h in stored.history
        if h.action == "state" and (h.at, h.user, h.new) in said
    }
    for h in stored.history:  # a decision's own comment
        if h.action == "decision" and isinstance(h.new, dict) and h.new.get("comment"):
            found[h.id] = str(h.new["comment"])
    return found


# Which two versions of a record the page compares (by default the last but one and the
# current one)
Revision = Annotated[int | None, Query(ge=1, description="版本号")]


def _versions(
    request: Request, user: User, evaluation_id: int, old: int | None, new: int | None
) -> dict[str, Any]:
    """The record's versions and, when it has more than one, what changed between the two
    chosen (or its last two); a choice that names no version says so."""
    found = api.versions_body(request, evaluation_id, user)["versions"]
    shown: dict[str, Any] = {"versions": found, "comparison": None, "compare_error": None}
    if len(found) > 1:
        old = old or found[-2]["revision"]
        new = new or found[-1]["revision"]
        shown |= {"old": old, "new": new}
        try:
            shown["comparison"] = api.comparison_body(request, evaluation_id, user, old, new)
        except ApiError as error:
            shown["compare_error"] = error.message
    return shown


@router.get("/evaluations/{evaluation_id}", response_class=HTMLResponse, dependencies=[deps.LANE])
def evaluation_page(
    request: Request,
    user: PageUser,
    evaluation_id: int,
    part: FormPart = 1,
    old: Revision = None,
    new: Revision = None,
) -> HTMLResponse:
    context = _form_context(request, user, evaluation_id, part)
    stored = context["stored"]
    return render(
        request,
        "evaluation.html",
        user,
        context["grid"].title,
        active="list",
        steps=_steps(user, State(context["body"]["state"])),
        comments=stored.comments,
        history=stored.history,
        step_comments=_step_comments(stored),
        children=[name or "（未填名称）" for name in stored.sub_directions],
        exports=EXPORTS,
        actions=ACTIONS,
        show=_show,
        scan=scan_boxes(stored.evaluation),
        scanned=any(n.startswith("由扫描件识别") for n in stored.evaluation.read_notes),
        # an administrator deletes a table (a sub-direction goes with its fund)
        can_delete=can_delete(user) and stored.summary.parent_id is None,
        called=title_of(stored.summary, stored.summary.unit),
        # 生成报告 (web.report): the unit drafts while it may edit; anyone sees a stored one
        has_report=deps.get_store(request).has_report_text(evaluation_id),
        may_report=edit_refusal(user, State(context["body"]["state"])) is None,
        **_versions(request, user, evaluation_id, old, new),
        **context,
    )


def scan_boxes(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """Where each part of a table read by OCR stands on its scanned page: the row's box for
    an indicator or a funds row and each of its fields' cells, the table's for its header,
    keyed by the field path the form's cells carry (a cell finds its own by the longest such
    prefix)."""
    places: list[tuple[str, SourceRef | None]] = [("", evaluation.source)]
    places += [("funds", evaluation.funds.rows[0].source if evaluation.funds.rows else None)]
    places += [(f"funds.rows[{k}]", row.source) for k, row in enumerate(evaluation.funds.rows)]
    places += [(f"indicators[{i}]", row.source) for i, row in enumerate(evaluation.indicators)]
    places += [("total", evaluation.total.source)]
    found = {
        path: {"page": source.page or 1, "box": list(source.box)}
        for path, source in places
        if source is not None and source.box
    }
    for path, source in places:  # each field's own cell, where the row keeps them
        if source is None:
            continue
        for cell in source.cells or ():
            at = f"{path}.{cell.field}" if path else cell.field
            found[at] = {"page": source.page or 1, "box": list(cell.box)}
    return found


@router.get("/evaluations/{evaluation_id}/scan/{page}.png")
def scanned_page(request: Request, user: PageUser, evaluation_id: int, page: int) -> Response:
    """A page of the scan a table was read from, as OCR read it (turned straight), so the
    boxes of the table's cells fall on the words."""
    scope = deps.visible_evaluation(request, user, evaluation_id)
    _name, digest = deps.get_store(request).document_of(scope.document_id)
    png = _scanned_png(deps.get_store(request), scope.document_id, digest, page)
    if png is None:
        return Response("没有这一页的扫描图像", status_code=404, media_type="text/plain")
    headers = {"Cache-Control": "private, max-age=86400", "Content-Disposition": "inline"}
    return Response(png, media_type="image/png", headers=headers)


@lru_cache(maxsize=8)
def _scanned_png(store: Store, document_id: int, digest: str, page: int) -> bytes | None:
    """Pages are made once (straightening a page takes a second): a stored document's
    bytes never change, so its digest and the page number name the image."""
    del digest  # part of the cache key only
    name, data = store.document_content(document_id)
    return scanned_page_png(data, name, page)


@router.get(
    "/evaluations/{evaluation_id}/table", response_class=HTMLResponse, dependencies=[deps.LANE]
)
def evaluation_table(
    request: Request, user: PageUser, evaluation_id: int, part: FormPart = 1
) -> Response:
    """The form with its findings and scores alone (the page swaps it in after an edit)."""
    context = _form_context(request, user, evaluation_id, part)
    return deps.templates.TemplateResponse(request, "_form.html", context)


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, user: PageUser) -> HTMLResponse:
    # a reviewer may file a report for a unit (a unit's clerk only for its own)
    units = (
        None if scope_for(user).restricted else [u.name for u in deps.get_store(request).units()]
    )
    return render(
        request, "upload.html", user, "上传", active="upload", accept=UPLOAD_TYPES, units=units
    )


def query_string(params: Mapping[str, Any]) -> str:
    """``?a=1&b=2`` of the non-empty values, or nothing."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""
