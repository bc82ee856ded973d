"""Background jobs in the API: an import batch (the upload returns at once, the page asks
for the results as they come), the rescore of every table after the settings changed, and
how far each job is. A job is seen by whoever started it and by the administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from jixiao.service import jobs as job_work
from jixiao.service.queue import Queue
from jixiao.service.uploads import safe_name
from jixiao.store import Role, User
from jixiao.store import jobs as stored_jobs
from jixiao.store.jobs import ItemState, JobView, Kind
from jixiao.store.policy import scope_for
from jixiao.web import _uploads
from jixiao.web._errors import ApiError, JSONBody
from jixiao.web.deps import api_user, get_store, held, require_role

router = APIRouter(prefix="/api", tags=["后台任务"], default_response_class=JSONBody)
ApiUser = Annotated[User, Depends(api_user)]
Admin = Annotated[User, Depends(require_role(Role.ADMIN))]

KIND_LABELS = {Kind.IMPORT: "批量导入", Kind.RESCORE: "全部复算", Kind.EXPORT: "批量导出"}


def get_queue(request: Request) -> Queue:
    queue: Queue = request.app.state.queue
    return queue


def job_data(view: JobView) -> dict[str, Any]:
    """A job as the API and the pages give it: what it is, how far, the items settled."""
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
    return JSONBody(job_data(visible_job(request, user, job_id)), status_code=202)


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
    return JSONBody({"jobs": [job_data(view) for view in found]})


@router.get("/jobs/{job_id}", summary="后台任务的进度，及已完成的各项结果")
def read_job(
    request: Request,
    user: ApiUser,
    job_id: int,
    after: Annotated[
        int, Query(description="只返回序号大于此值的已完成项（页面轮询时传入已显示的最后一项）")
    ] = -1,
) -> Any:
    return JSONBody(job_data(visible_job(request, user, job_id, after)))


@router.post(
    "/jobs/rescore",
    summary="按当前评分方案和审核设置复算全部自评表（管理员）",
    status_code=202,
)
def start_rescore(request: Request, admin: Admin) -> Any:
    job_id = job_work.start_rescore(
        get_store(request), get_queue(request).enqueue, admin, "管理员要求按当前设置全部复算"
    )
    return JSONBody(job_data(visible_job(request, admin, job_id)), status_code=202)
