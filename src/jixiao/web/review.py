"""The reviewer's desk in the JSON API: the 待审核 inbox, decisions on findings, the same
step for many tables at once, and the signed opinion's facts (``signature``).

A step that asks first (公开; 审核通过 with findings decided 需修改 still there or errors not
decided; 提交审核 with errors open) answers 409 ``confirm`` with the question, and is taken
when sent again with ``confirm: true``; the pages ask the person in between."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from jixiao.audit import Decision
from jixiao.render.review import Note, Ruling, Signature, SignedReview, Verdict, cell_place
from jixiao.store import Role, State, StoredEvaluation, StoredFinding, StoreError, User
from jixiao.store.errors import NeedsConfirmation
from jixiao.store.review import SORTS, InboxItem, Progress, StoredDecision, finding_key
from jixiao.web import _bodies
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import (
    ApiUser,
    get_settings,
    get_store,
    require_role,
    visible_evaluation,
)

router = APIRouter(prefix="/api", tags=["审核"], default_response_class=JSONBody)
Reviewer = Annotated[User, Depends(require_role(Role.REVIEWER, Role.ADMIN))]
MAX_BATCH = 200


def confirm_error(question: str) -> ApiError:
    """A step that asks first, as the API answers it."""
    return ApiError(409, "confirm", question, {"confirm": True})


def decision_data(decision: StoredDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "value": decision.decision.value,
        "label": decision.decision.label,
        "comment": decision.comment,
        "user": decision.user,
        "at": _bodies.when(decision.at),
    }


def progress_data(state: Progress) -> dict[str, int]:
    return {
        "findings": state.findings,
        "decided": state.decided,
        "needs_change": state.needs_change,
        "undecided_errors": state.undecided_errors,
    }


# ---- the inbox ----------------------------------------------------------------------------------


def inbox_item(item: InboxItem) -> dict[str, Any]:
    return {
        **_bodies.summary_data(item.summary),
        "submitted_at": _bodies.when(item.submitted_at),
        "submitted_by": item.submitted_by,
        "rounds": item.rounds,
        "errors": item.errors,
        "warnings": item.warnings,
        "progress": progress_data(item.progress),
    }


def inbox_body(request: Request, params: Mapping[str, str]) -> dict[str, Any]:
    """GET /api/review/inbox as data (the 待审核 page calls it with its query)."""
    settings = get_settings(request)
    sort = params.get("sort") or "submitted"
    if sort not in SORTS:
        raise ApiError(422, "invalid", f"参数 sort 应为 {'、'.join(SORTS)} 之一", {"param": "sort"})
    try:
        page = max(1, min(int(params.get("page") or 1), 10**6))
        size = min(settings.max_page_size, max(1, int(params.get("size") or settings.page_size)))
    except ValueError:
        raise ApiError(422, "invalid", "参数 page、size 应为整数", {"param": "page"}) from None
    state = State.APPROVED if params.get("state") == State.APPROVED.value else State.SUBMITTED
    items, total = get_store(request).inbox(sort, page, size, state)
    return {
        "state": state.value,
        "items": [inbox_item(i) for i in items],
        "total": total,
        "page": page,
        "size": size,
        "sort": sort,
    }


@router.get("/review/inbox", summary="待审核：已提交的自评表，按提交时间等排序")
def inbox(
    request: Request,
    user: Reviewer,
    sort: Annotated[
        Literal["submitted", "-submitted", "name", "unit", "errors", "score", "-score"],
        Query(
            description="排序：submitted 提交时间（先交先审）、-submitted 最新提交、name 名称、"
            "unit 单位、errors 错误多的在前、score / -score 复核总分"
        ),
    ] = "submitted",
    state: Annotated[
        Literal["submitted", "approved"],
        Query(description="submitted 待审核（默认）、approved 已审核待公开"),
    ] = "submitted",
    page: Annotated[int, Query(ge=1, le=10**6, description="页码")] = 1,
    size: Annotated[int | None, Query(ge=1, description="每页条数")] = None,
) -> Any:
    return JSONBody(inbox_body(request, request.query_params))


# ---- decisions ----------------------------------------------------------------------------------


class NewDecision(BaseModel):
    decision: Literal["needs_change", "verified", "ignored"] | None = Field(
        description="needs_change 需修改、verified 已核实无误、ignored 可忽略；null 撤销"
    )
    comment: str = Field(default="", max_length=2000, description="说明")


@router.put(
    "/evaluations/{evaluation_id}/findings/{finding_id}/decision",
    summary="处理一条审核发现：需修改 / 已核实无误 / 可忽略，附说明",
)
def decide(
    request: Request, evaluation_id: int, finding_id: int, body: NewDecision, user: ApiUser
) -> Any:
    visible_evaluation(request, user, evaluation_id)
    decision = Decision(body.decision) if body.decision else None
    try:
        stored = get_store(request).decide(
            evaluation_id, finding_id, decision, body.comment, user.name
        )
    except StoreError as error:
        status = 403 if user.role is Role.FILLER else 409
        raise ApiError(status, "refused", str(error), {"finding": finding_id}) from None
    return JSONBody({"finding": finding_id, "decision": decision_data(stored)})


def decided(
    stored: StoredEvaluation, decisions: Mapping[str, StoredDecision]
) -> dict[int, StoredDecision]:
    """Each finding of the table (and its report's own) with the decision made on it."""
    out = {}
    for finding in (*stored.findings, *stored.report_findings):
        found = decisions.get(finding_key(finding))
        if found is not None:
            out[finding.id] = found
    return out


# ---- many tables at once -----------------------------------------------------------------------


class BatchStep(BaseModel):
    ids: list[int] = Field(min_length=1, max_length=MAX_BATCH, description="自评表编号")
    to: Literal["returned", "approved", "published"] = Field(description="目标状态")
    comment: str = Field(default="", max_length=5000, description="意见（退回时必填），各表相同")
    confirm: bool = Field(default=False, description="已确认（公开、有未改正问题时须确认）")


@router.post("/review/transitions", summary="批量审核通过、退回或公开（同一意见）")
def batch_step(request: Request, body: BatchStep, user: Reviewer) -> Any:
    ids = list(dict.fromkeys(body.ids))
    for evaluation_id in ids:
        visible_evaluation(request, user, evaluation_id)
    if body.to == "returned" and not body.comment.strip():
        raise ApiError(422, "invalid", "批量退回时请写明原因", {"path": "comment"})
    try:
        done = get_store(request).transition_many(
            ids, State(body.to), user.name, body.comment, confirmed=body.confirm
        )
    except NeedsConfirmation as error:
        raise confirm_error(str(error)) from None
    results = [
        {"id": evaluation_id, "ok": True, "state": outcome.value, "state_label": outcome.label}
        if isinstance(outcome, State)
        else {"id": evaluation_id, "ok": False, "message": str(outcome)}
        for evaluation_id, outcome in done
    ]
    return JSONBody({"results": results, "done": sum(1 for r in results if r["ok"])})


# ---- the signed opinion ------------------------------------------------------------------------

VERDICTS = {
    State.DRAFT: Verdict.DRAFT,
    State.SUBMITTED: Verdict.PENDING,
    State.RETURNED: Verdict.RETURNED,
    State.APPROVED: Verdict.APPROVED,
    State.PUBLISHED: Verdict.PUBLISHED,
}


def signed_review(
    request: Request, stored: StoredEvaluation, document_name: str, findings: list[Any]
) -> SignedReview:
    """The table's review as its opinion prints it: each finding (the audit's own value,
    in the order of ``stored.report_findings`` then ``stored.findings``) with its decision,
    the notes on its cells, and the conclusion its state calls for, signed by whoever took
    the step and when."""
    store = get_store(request)
    decisions = decided(stored, store.decisions(stored.summary.id))
    rows: list[StoredFinding] = [*stored.report_findings, *stored.findings]
    pairs = [
        (finding, _ruling(decisions.get(row.id)))
        for row, finding in zip(rows, findings, strict=True)
    ]
    state = stored.summary.state
    step = None
    if state in (State.RETURNED, State.APPROVED, State.PUBLISHED):
        concluded = State.RETURNED if state is State.RETURNED else State.APPROVED
        step = store.last_step(stored.summary.id, (concluded,))
    published = None
    if state is State.PUBLISHED:
        made = store.last_step(stored.summary.id, (State.PUBLISHED,))
        published = made.at.date() if made else None
    people: dict[str, str] = {}  # login → the name people know (as decisions are signed)
    for comment in stored.comments:
        if comment.path is not None and comment.user and comment.user not in people:
            found = store.user(comment.user)
            people[comment.user] = (found.display_name if found else None) or comment.user
    notes = tuple(
        Note(
            _note_place(stored, comment.path) if comment.path else "",
            comment.text,
            people.get(comment.user or "", comment.user),
            comment.at.date(),
        )
        for comment in stored.comments
        if comment.path is not None
    )
    signature = Signature(
        VERDICTS[state],
        reviewer=step.by if step else None,
        at=step.at.date() if step else None,
        comment=step.comment if step else "",
        published=published,
        notes=notes,
        reviewing_unit=step.unit if step else None,
    )
    return SignedReview(document_name, pairs, signature)


def _ruling(decision: StoredDecision | None) -> Ruling | None:
    if decision is None:
        return None
    return Ruling(decision.decision, decision.comment, decision.user, decision.at.date())


def _note_place(stored: StoredEvaluation, path: Any) -> str:
    """Where a note on a cell is, as the opinion says a finding's place (表2 第18行…“得分”栏)."""
    evaluation = stored.evaluation
    source = evaluation.source
    number = path.indicator
    name = None
    if number is not None and number < len(evaluation.indicators):
        source = evaluation.indicators[number].source or source
        name = evaluation.indicators[number].name
    elif path.parts[0] == "funds" and evaluation.funds.rows:
        row = path.parts[2] if len(path.parts) > 2 and isinstance(path.parts[2], int) else 0
        if row < len(evaluation.funds.rows):
            source = evaluation.funds.rows[row].source or source
    elif path.parts[0] == "total":
        source = evaluation.total.source or source
    return cell_place(source, (path,), name)
