"""The 公开 page (/public): the published tables (已公开) of every unit, for every logged-in
user (``policy.can_read``), with the 复核 total and grade beside the declared one, a link to
each table and to its export; filtered by year and unit."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jixiao.store import EvaluationFilter, State
from jixiao.store.listing import published_choices
from jixiao.store.policy import scope_for
from jixiao.web import _bodies, deps
from jixiao.web.api import _int, _text
from jixiao.web.deps import PageUser
from jixiao.web.pages import KINDS, render

router = APIRouter(include_in_schema=False)
FILTERS = ("year", "unit")


@router.get("/public", response_class=HTMLResponse)
def public_page(request: Request, user: PageUser) -> HTMLResponse:
    params = {k: v for k, v in request.query_params.items() if v != ""}
    store = deps.get_store(request)
    size = deps.get_settings(request).page_size
    page = max(1, _int(params, "page", 1) or 1)
    # a fund's sub-direction tables go with their fund: each record once
    where = EvaluationFilter(
        year=_int(params, "year"), unit=_text(params, "unit"), state=State.PUBLISHED, top_level=True
    )
    listed = store.listed(where, page=page, per_page=size)
    with store.reading() as connection:
        years, unit_names = published_choices(connection)
    kept = {k: v for k, v in params.items() if k in FILTERS}
    reach = scope_for(user)
    pages = max(1, -(-listed.total // size))

    def page_link(number: int) -> str:
        return "/public?" + urlencode({**kept, "page": number})

    return render(
        request,
        "public.html",
        user,
        "已公开的自评表",
        active="public",
        items=[_bodies.list_item(item) for item in listed.items],
        # the table's own page (its review, history) for those who see the table anyway
        own={
            i.summary.id
            for i in listed.items
            if not reach.restricted or i.summary.unit == user.unit
        },
        total=listed.total,
        page=listed.page,
        pages=pages,
        page_link=page_link,
        params=kept,
        choices={"years": years, "units": unit_names},
        kinds=KINDS,
    )
