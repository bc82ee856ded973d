"""The reviewer's desk as pages: /review, the 待审核 inbox (and 待公开, the approved tables),
sortable, with one comment for a batch of tables; and the counts the menu shows (待审核 N
for a reviewer, 已退回 N for a unit), read once per page."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from jixiao.store import Role, State, User
from jixiao.store.policy import scope_for
from jixiao.web import deps, review
from jixiao.web.pages import KINDS, render

router = APIRouter(include_in_schema=False)
Reviewer = Annotated[User, Depends(deps.require_role(Role.REVIEWER, Role.ADMIN))]
DESK = (Role.REVIEWER, Role.ADMIN)
# (sort, column heading): a heading sorts by its column; again, the other way
SORTABLE = {
    "submitted": "提交时间",
    "name": "名称",
    "unit": "单位",
    "errors": "问题",
    "score": "复核总分",
}
REVERSED = {"submitted": "-submitted", "score": "-score"}
BATCH = {
    State.SUBMITTED: (("approved", "批量审核通过", "primary"), ("returned", "批量退回", "danger")),
    State.APPROVED: (("published", "批量公开", "primary"),),
}


def menu_counts(request: Request) -> dict[str, int]:
    """What the menu counts for the user: tables waiting for review (审核, 管理员), tables
    returned to the unit (填报)."""
    found = getattr(request.state, "menu_counts", None)
    if found is not None:
        return found  # type: ignore[no-any-return]
    user = deps.optional_user(request)
    counts: dict[str, int] = {}
    if user is not None:
        desk = user.role in DESK
        shown = (State.SUBMITTED, State.APPROVED) if desk else (State.RETURNED,)
        by_state = deps.get_store(request).state_counts(scope_for(user), shown)
        if desk:
            counts["inbox"] = by_state.get(State.SUBMITTED, 0)
            counts["approved"] = by_state.get(State.APPROVED, 0)
        else:
            counts["returned"] = by_state.get(State.RETURNED, 0)
    request.state.menu_counts = counts
    return counts


deps.templates.env.globals["menu_counts"] = menu_counts


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, user: Reviewer) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if v != ""}
    body = review.inbox_body(request, params)
    state = State(body["state"])
    pages = max(1, -(-int(body["total"]) // int(body["size"])))

    def link(**changes: Any) -> str:
        kept = {"state": state.value, "sort": body["sort"], "size": body["size"], **changes}
        if kept["state"] == State.SUBMITTED.value:
            kept.pop("state")
        return "/review?" + urlencode(kept)

    def sort_link(column: str) -> str:
        again = REVERSED.get(column) if body["sort"] == column else None
        return link(sort=again or column, page=1)

    return render(
        request,
        "review.html",
        user,
        "待审核" if state is State.SUBMITTED else "待公开",
        active="review",
        body=body,
        state=state,
        pages=pages,
        link=link,
        sort_link=sort_link,
        sortable=SORTABLE,
        batch=BATCH[state],
        kinds=KINDS,
    )
