"""Background jobs in the API: an import batch (the upload returns at once, the page asks
for the results as they come), the rescore of every table after the settings changed, a
batch export (and its download), and how far each job is. A job is seen by whoever
started it and by the administrators."""

from __future__ import annotations

import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from jixiao import scratch
from jixiao.service import exports
from jixiao.service import jobs as job_work
from jixiao.service.queue import Queue
from jixiao.service.uploads import safe_name
from jixiao.store import EvaluationFilter, Role, State, User
from jixiao.store import jobs as stored_jobs
from jixiao.store.jobs import ItemState, JobView, Kind
from jixiao.store.policy import scope_for
from jixiao.web import _uploads
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web._exports import XLSX, disposition
from jixiao.web.deps import ApiUser, get_store, held, require_role

router = APIRouter(prefix="/api", tags=["后台任务"], default_response_class=JSONBody)
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]

KIND_LABELS = {Kind.IMPORT: "批量导入", Kind.RESCORE: "全部复算", Kind.EXPORT: "批量导出"}


def get_queue(request: Request) -> Queue:
    queue: Queue = request.app.state.queue
    return queue


NO_WORKER = "没有正在运行的后台任务进程，任务要等它启动后才会进行：请联系系统管理员"


def job_data(view: JobView, no_worker: bool = False) -> dict[str, Any]:
    """A job as the API and the pages give it: what it is, how far, the items settled, and
    (``no_worker``) that nothing will take it up until a worker runs."""
    if view.finished:
        state, label = "finished", "已完成"
    elif view.counts.get(ItemState.RUNNING) or view.settled:
        state, label = "running", "进行中"
    else:
        state, label = "queued", "排队等待中"
    return {
        "id": view.id,
        "kind": view.kind,
        "kind_label": KIND_LABELS.get(view.kind, view.kind),
        "title": view.title,
        "reason": view.reason,
        "user": view.user_name,
        "created_at": view.created_at.isoformat(timespec="seconds"),
        "finished_at": view.finished_at.isoformat(timespec="seconds") if view.finished_at else None,
        "state": state,
        "state_label": label,
        "waiting": NO_WORKER if no_worker and not view.finished else None,
        "total": view.total,
        "settled": view.settled,
        "failed": view.counts.get(ItemState.FAILED, 0),
        "counts": view.counts,
        "items": [
            {
                "position": item.position,
                "file": item.label,
                "status": item.state,
                "message": item.message or "",
                "evaluations": list(item.evaluations),
            }
            for item in view.items
        ],
    }


def job_body(request: Request, view: JobView) -> dict[str, Any]:
    """``job_data``, saying so when an unfinished job has no worker to run it (PostgreSQL
    with no ``jixiao worker`` alive)."""
    idle = not view.finished and get_queue(request).workers_alive() == 0
    return job_data(view, no_worker=idle)


def visible_job(request: Request, user: User, job_id: int, after: int = -1) -> JobView:
    """The job when ``user`` started it or is an administrator, else 404."""
    with get_store(request).reading() as connection:
        found = stored_jobs.job(connection, held(job_id, "任务编号", "job_id"), after)
    if found is None or (user.role is not Role.ADMIN and found.user_id != user.id):
        raise ApiError(404, "not_found", f"没有编号为 {job_id} 的后台任务")
    return found


@router.post(
    "/imports",
    summary="批量导入：上传报告（多个文件或 zip），立即返回任务编号，后台逐个导入",
    status_code=202,
)
def start_import(
    request: Request,
    user: ApiUser,
    files: Annotated[list[UploadFile], File(description="报告文件或 zip")],
    unit: Annotated[
        str | None,
        Form(description="所属单位（审核、管理员可指定；不指定则按报告所填单位）"),
    ] = None,
    job: Annotated[
        int | None, Form(description="追加到已有的导入任务（同一批文件分几次上传时）")
    ] = None,
) -> Any:
    reach = scope_for(user)
    target = reach.unit if reach.restricted else (unit or "").strip() or None
    uploaded = [(f.filename or "未命名文件", f.file) for f in files]
    items = _uploads.job_items(uploaded)
    store, queue = get_store(request), get_queue(request)
    if job is not None:
        found = visible_job(request, user, job)
        if found.kind != Kind.IMPORT or found.user_id != user.id:
            raise ApiError(422, "invalid", f"后台任务 {job} 不是您的导入任务，不能追加文件")
        job_work.add_to_import(store, queue.enqueue, found.id, items)
        job_id = found.id
    else:
        names = "、".join(safe_name(name) for name, _ in uploaded[:2])
        more = f" 等 {len(uploaded)} 项" if len(uploaded) > 2 else ""
        title = f"导入 {names}{more}（共 {len(items)} 个文件）"
        job_id = job_work.start_import(store, queue.enqueue, user, target, items, title)
    return JSONBody(job_body(request, visible_job(request, user, job_id)), status_code=202)


@router.get("/jobs", summary="我最近的后台任务（管理员：所有人的）")
def recent_jobs(
    request: Request,
    user: ApiUser,
    kind: Annotated[str, Query(description="import | rescore | export")] = Kind.IMPORT,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Any:
    if kind not in KIND_LABELS:
        raise ApiError(422, "invalid", f"任务类型无法识别：{kind}（可选 import、rescore、export）")
    mine = None if user.role is Role.ADMIN else user.id
    with get_store(request).reading() as connection:
        found = stored_jobs.recent(connection, kind, mine, limit)
    return JSONBody({"jobs": [job_body(request, view) for view in found]})


@router.get("/jobs/{job_id}", summary="后台任务的进度，及已完成的各项结果")
def read_job(
    request: Request,
    user: ApiUser,
    job_id: int,
    after: Annotated[
        int, Query(description="只返回序号大于此值的已完成项（页面轮询时传入已显示的最后一项）")
    ] = -1,
) -> Any:
    return JSONBody(job_body(request, visible_job(request, user, job_id, after)))


@router.post(
    "/jobs/rescore",
    summary="按当前评分方案和审核设置复算全部自评表（管理员）",
    status_code=202,
)
def start_rescore(request: Request, admin: Admin) -> Any:
    job_id = job_work.start_rescore(
        get_store(request), get_queue(request).enqueue, admin, "管理员要求按当前设置全部复算"
    )
    return JSONBody(job_body(request, visible_job(request, admin, job_id)), status_code=202)


@router.post(
    "/exports",
    summary="批量导出：某年度或某主管部门的自评表（xlsx 或 pdf，打包为 zip，附汇总表），后台生成",
    status_code=202,
)
def start_export(
    request: Request,
    user: ApiUser,
    format: Annotated[
        str, Form(description="xlsx（自评表）、pdf（自评报告）或 book（一个汇总工作簿）")
    ] = "xlsx",
    year: Annotated[int | None, Form(description="年度；不填为全部年度")] = None,
    department: Annotated[str | None, Form(description="主管部门；不填为全部部门")] = None,
    state: Annotated[str | None, Form(description="状态；不填为全部状态")] = None,
) -> Any:
    kind = exports.KINDS.get(format)
    if kind is None:
        raise ApiError(422, "invalid", f"导出格式无法识别：{format}（可选 xlsx、pdf、book）")
    department = (department or "").strip() or None
    if year is not None:
        held(year, "年度", "year")
    chosen = None
    wanted = (state or "").strip()
    if wanted:
        try:
            chosen = State(wanted)
        except ValueError:
            allowed = "、".join(s.label for s in State)
            raise ApiError(
                422, "invalid", f"状态无法识别：{state}（可选{allowed}）", {"param": "state"}
            ) from None
    where = EvaluationFilter(year=year, department=department, state=chosen, top_level=True)
    said = (f"{year}年度" if year else "", department or "", chosen.label if chosen else "")
    what = "、".join(p for p in said if p)
    title = f"{what or '全部'}自评表-{kind.label}"
    job_id = job_work.start_export(
        get_store(request), get_queue(request).enqueue, user, kind, where, title
    )
    return JSONBody(job_body(request, visible_job(request, user, job_id)), status_code=202)


@router.get(
    "/jobs/{job_id}/download",
    summary="下载批量导出的结果（zip）",
    response_class=FileResponse,
)
def download(request: Request, user: ApiUser, job_id: int) -> Any:
    found = visible_job(request, user, job_id)
    if found.kind != Kind.EXPORT:
        raise ApiError(404, "not_found", f"后台任务 {job_id} 不是导出任务，没有可下载的文件")
    if not found.finished:
        raise ApiError(409, "not_ready", "导出尚未完成，请稍后再下载")
    # a workbook (exports.BOOK) is downloaded as it is; files, as one zip
    book = (found.params or {}).get("format") == exports.BOOK.name
    suffix = exports.BOOK.suffix if book else ".zip"
    folder = scratch.folder("export")
    target = folder / f"export{suffix}"
    try:
        with get_store(request).reading() as connection, target.open("wb") as output:
            outputs = stored_jobs.outputs(connection, job_id)
            if book:
                exports.only_file(outputs, output)
            else:
                exports.put_together(outputs, output)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = found.result_name or f"导出{job_id}{suffix}"
    return FileResponse(
        target,
        media_type=XLSX if book else "application/zip",
        headers={"Content-Disposition": disposition(name, f"export-{job_id}{suffix}")},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
