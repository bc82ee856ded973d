"""The batch export page (/exports): choose a year and a department, start the export in
the background, follow it and download the zip when it is made."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jixiao.service.exports import KINDS
from jixiao.store import jobs as stored_jobs
from jixiao.store.policy import scope_for
from jixiao.web import deps
from jixiao.web.deps import PageUser

router = APIRouter(include_in_schema=False)


@router.get("/exports", response_class=HTMLResponse)
def exports_page(request: Request, user: PageUser) -> HTMLResponse:
    reach = scope_for(user)
    with deps.get_store(request).reading() as connection:
        years, departments = stored_jobs.export_choices(
            connection, reach.unit_id if reach.restricted else None
        )
    return deps.templates.TemplateResponse(
        request,
        "exports.html",
        deps.context(
            request,
            "批量导出",
            active="exports",
            years=years,
            departments=departments,
            kinds=KINDS,
            restricted_to=reach.unit if reach.restricted else None,
        ),
    )
