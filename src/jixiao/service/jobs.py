"""The work of background jobs, whoever runs it: a worker of the queue on PostgreSQL
(``jixiao worker``, see ``jixiao.service.queue``) or the web app's own threads on SQLite.

A job is made of items (``jixiao.store.jobs``): each file of an import batch, each run of
documents of a rescore, the summary and each run of tables of an export. ``run_item``
claims an item, does its work and settles it in the transaction that writes the work: an
item run twice (its worker was killed after the write) finds itself settled and does
nothing; a file already stored (same bytes) is never stored again; a file that fails is
settled as failed and the others go on.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select
from sqlalchemy.exc import InterfaceError, OperationalError

from jixiao.audit import AuditSettings, run_audit
from jixiao.audit.previous import Previous
from jixiao.model import Evaluation
from jixiao.service import exports
from jixiao.service.audit import _tables
from jixiao.service.facade import Service, gc_paused
from jixiao.service.settings import SettingsCache
from jixiao.service.store import _parsed_parts, _report_as_it_stands, report_parts
from jixiao.service.uploads import UploadResult, described, import_upload
from jixiao.store import EvaluationFilter, ImportOutcome, NewDocument, Store, StoreError, User
from jixiao.store import jobs as stored_jobs
from jixiao.store import previous as last_year
from jixiao.store import rescore as stored_rescore
from jixiao.store.documents import import_document
from jixiao.store.jobs import Claimed, ItemState, Kind, NewItem
from jixiao.store.listing import document_tables
from jixiao.store.policy import scope_for
from jixiao.store.queries import load_evaluation
from jixiao.store.schema import documents, evaluations

log = logging.getLogger("jixiao.jobs")

RESCORE_RUN = 50  # documents per item of a rescore: a few seconds of work each
RESCORE_ATTEMPTS = 3  # a run of documents that keeps meeting edits is worked out again
EXPORT_RUN = 20  # tables per item of an export (a PDF takes LibreOffice a second or more)
UNEXPECTED = "处理时程序出错，未完成（其他项照常进行）；请联系管理员查看日志"
NO_USER = "提交这项任务的用户已不存在，未处理"

# Writes the items' rows and hands them to whoever runs them, in one transaction
Enqueue = Callable[[Store, Callable[[Connection], list[int]]], list[int]]


def worker_name() -> str:
    """This process as an item's claim names it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(slots=True)
class Context:
    """What the items of one process share: the store and the instance's settings."""

    store: Store
    settings: SettingsCache

    @classmethod
    def of(cls, store: Store) -> Context:
        return cls(store, SettingsCache())

    def service_and_audit(self) -> tuple[Service, AuditSettings]:
        found = self.settings.get(self.store)
        return found.service, found.audit or AuditSettings()


# ---- starting jobs ------------------------------------------------------------------------


def start_import(
    store: Store,
    enqueue: Enqueue,
    user: User,
    unit: str | None,
    items: Sequence[NewItem],
    title: str,
) -> int:
    """A new import batch of ``items`` (files; those refused on arrival already failed);
    its id. The files are imported in the background as ``user`` with ``unit``."""
    job_id: list[int] = []

    def write(connection: Connection) -> list[int]:
        job_id.append(
            stored_jobs.create_job(connection, Kind.IMPORT, title, {"unit": unit}, user.id)
        )
        return _queued(connection, job_id[0], items)

    enqueue(store, write)
    return job_id[0]


def add_to_import(store: Store, enqueue: Enqueue, job_id: int, items: Sequence[NewItem]) -> None:
    """More files for a batch (the upload page sends a big choice in parts)."""
    enqueue(store, lambda connection: _queued(connection, job_id, items))


def _queued(connection: Connection, job_id: int, items: Sequence[NewItem]) -> list[int]:
    ids = stored_jobs.add_items(connection, job_id, items)
    return [i for i, item in zip(ids, items, strict=True) if item.state == ItemState.PENDING]


def start_rescore(store: Store, enqueue: Enqueue, user: User | None, reason: str) -> int:
    """Score and check every stored table again (after the scheme or the audit settings
    changed), ``RESCORE_RUN`` documents per item; each changed table's history gives
    ``reason``."""
    job_id: list[int] = []

    def write(connection: Connection) -> list[int]:
        ids = [
            int(i)
            for i in connection.execute(
                select(documents.c.id)
                .where(
                    select(evaluations.c.id)
                    .where(evaluations.c.document_id == documents.c.id)
                    .exists()
                )
                .order_by(documents.c.id)
            ).scalars()
        ]
        job_id.append(
            stored_jobs.create_job(
                connection,
                Kind.RESCORE,
                "按当前评分方案和审核设置复算全部自评表",
                {"documents": len(ids)},
                user.id if user else None,
                reason,
            )
        )
        runs = [ids[start : start + RESCORE_RUN] for start in range(0, len(ids), RESCORE_RUN)]
        items = [
            NewItem(f"第 {n} 批（{len(run)} 份报告）", params=run)
            for n, run in enumerate(runs, start=1)
        ]
        return _queued(connection, job_id[0], items)

    enqueue(store, write)
    return job_id[0]


def start_export(
    store: Store,
    enqueue: Enqueue,
    user: User,
    kind: exports.Kind,
    where: EvaluationFilter,
    title: str,
) -> int:
    """Every table ``where`` selects that ``user`` may see, as files of ``kind`` in a zip
    with a summary workbook, ``EXPORT_RUN`` tables per item; or (``exports.BOOK``) as one
    workbook, one item (no LibreOffice: a sheet per table is quick)."""
    reach = scope_for(user)
    job_id: list[int] = []

    def write(connection: Connection) -> list[int]:
        ids = stored_jobs.table_ids(connection, where, reach.unit_id if reach.restricted else None)
        if reach.restricted and reach.unit_id is None:
            ids = []
        job_id.append(
            stored_jobs.create_job(
                connection,
                Kind.EXPORT,
                title,
                {"format": kind.name, "tables": len(ids)},
                user.id,
                result_name=f"{title}{kind.suffix if kind is exports.BOOK else '.zip'}",
            )
        )
        if kind is exports.BOOK:
            book = NewItem(f"汇总工作簿（{len(ids)} 张）", params={"book": ids})
            return _queued(connection, job_id[0], [book])
        runs = [ids[start : start + EXPORT_RUN] for start in range(0, len(ids), EXPORT_RUN)]
        items = [NewItem(f"汇总表（{len(ids)} 张）", params={"summary": ids})]
        items += [
            NewItem(f"第 {n} 批（{len(run)} 张）", params={"tables": run})
            for n, run in enumerate(runs, start=1)
        ]
        return _queued(connection, job_id[0], items)

    enqueue(store, write)
    return job_id[0]


# ---- running items --------------------------------------------------------------------------


BATCH_FILES = 50  # files of an import claimed, checked and stored together, at most
BATCH_BYTES = 32 * 1024 * 1024  # and their bytes (one file at least, however big)


def run_items(context: Context, item_ids: Sequence[int], worker: str | None = None) -> None:
    """Run the items, the files of an import that nobody tried before claimed and stored
    together (``import_batch``), the others one at a time (``run_item``)."""
    from jixiao.service.import_batch import import_claimed

    worker = worker or worker_name()
    left = list(item_ids)
    while left:
        with context.store.writing() as connection:
            claims, alone, left = stored_jobs.claim_batch(
                connection, left, worker, BATCH_BYTES, BATCH_FILES
            )
        for item_id in alone:
            run_item(context, item_id, worker)
        if claims:
            _guarded(context, claims, functools.partial(import_claimed, context, claims))


def run_item(context: Context, item_id: int, worker: str | None = None) -> None:
    """Claim the item, do its work, settle it. A file's or a rule's fault settles the item
    as failed; a database that fails goes up (the queue runs the item again later, and
    its claim counts the attempt)."""
    store = context.store
    with store.writing() as connection:
        claimed = stored_jobs.claim(connection, item_id, worker or worker_name())
    if claimed is None:
        return
    work = {Kind.IMPORT: _import_item, Kind.RESCORE: _rescore_item, Kind.EXPORT: _export_item}[
        claimed.kind
    ]
    _guarded(context, [claimed], functools.partial(work, context, claimed))


def import_alone(context: Context, claimed: Claimed) -> None:
    """One claimed file imported on its own, as ``run_item`` imports it."""
    _guarded(context, [claimed], functools.partial(_import_item, context, claimed))


def _guarded(context: Context, claims: Sequence[Claimed], work: Callable[[], None]) -> None:
    """Do ``work`` on the claimed items; a fault of the program settles those it left open
    as failed, a database that fails goes up."""
    try:
        with gc_paused():
            work()
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        for claimed in claims:
            log.exception("job item %s (%s) failed", claimed.item_id, claimed.label)
        with context.store.writing() as connection:
            for claimed in claims:
                stored_jobs.settle(
                    connection, claimed.item_id, ItemState.FAILED, f"{claimed.label}: {UNEXPECTED}"
                )


class _Settling(Store):
    """The store as an import item sees it: the document is stored and the item settled
    in one transaction, so a worker killed after it leaves nothing to do twice."""

    def __init__(self, store: Store, claimed: Claimed, user: User) -> None:
        super().__init__(store.engine)
        self._claimed = claimed
        self._user = user

    def import_document(self, new: NewDocument) -> ImportOutcome:
        from sqlalchemy.exc import IntegrityError

        try:
            with self.writing() as connection:
                outcome = import_document(connection, new)
                tables = document_tables(connection, outcome.document_id)
                result = described(self._claimed.label, outcome, tables, self._user)
                _settle(connection, self._claimed, result, outcome.document_id)
                return outcome
        except IntegrityError:  # the same file stored by another item meanwhile
            return super().import_document(new)


def _settle(
    connection: Connection, claimed: Claimed, result: UploadResult, document_id: int | None
) -> None:
    stored_jobs.settle(
        connection,
        claimed.item_id,
        result.status,
        result.message,
        result.evaluations,
        document_id,
    )


def store_checked(context: Context, claimed: Claimed, user: User, new: NewDocument) -> None:
    """A file read, scored and checked already, stored and settled on its own (a batch
    that could not store it with the others), as ``_import_item`` stores a file."""
    try:
        outcome = _Settling(context.store, claimed, user).import_document(new)
        tables = context.store.document_tables(outcome.document_id)
        result = described(claimed.label, outcome, tables, user)
    except StoreError as error:
        result = UploadResult(claimed.label, "failed", str(error))
    with context.store.writing() as connection:  # a failure, or a file stored before
        _settle(connection, claimed, result, None)


def _import_item(context: Context, claimed: Claimed) -> None:
    store = context.store
    user = store.user_by_id(claimed.user_id) if claimed.user_id is not None else None
    if user is None or claimed.content is None:
        with store.writing() as connection:
            stored_jobs.settle(connection, claimed.item_id, ItemState.FAILED, NO_USER)
        return
    service, audit = context.service_and_audit()
    result = import_upload(
        _Settling(store, claimed, user),
        service,
        claimed.label,
        claimed.content,
        user,
        claimed.job_params.get("unit"),
        audit,
    )
    with store.writing() as connection:  # a failure, or a file stored before
        _settle(connection, claimed, result, None)


def _rescore_item(context: Context, claimed: Claimed) -> None:
    service, audit = context.service_and_audit()
    changed = rescore_documents(context.store, service, audit, claimed.params, claimed)
    with context.store.writing() as connection:
        stored_jobs.settle(
            connection,
            claimed.item_id,
            ItemState.DONE,
            f"{len(claimed.params)} 份报告已复算，{changed} 张自评表的得分或审核发现有变化",
        )


def rescore_document(
    store: Store,
    service: Service,
    audit: AuditSettings,
    document_id: int,
    claimed: Claimed,
) -> int:
    """Every table of a document scored and checked again; how many changed."""
    return rescore_documents(store, service, audit, [document_id], claimed)


def rescore_documents(
    store: Store,
    service: Service,
    audit: AuditSettings,
    document_ids: Sequence[int],
    claimed: Claimed,
) -> int:
    """Every table of the documents scored and checked again, read in one short
    transaction and written in another (a document edited in between is read and worked
    out again, ``RESCORE_ATTEMPTS`` times at most); how many tables changed."""
    changed = 0
    left = list(document_ids)
    for _ in range(RESCORE_ATTEMPTS):
        with store.reading() as connection:
            read = stored_rescore.read_documents(connection, left)
            previous = _stored_last_years(connection, list(read.values()))
        worked = [
            _rescored(service, audit, stored, previous) for stored in read.values()
        ]  # the removed ones are gone from ``read``
        with store.writing() as connection:
            written, left = stored_rescore.write_rescores(
                connection, worked, claimed.reason or "", claimed.user_id
            )
        changed += written
        if not left:
            return changed
    for document_id in left:
        log.warning("document %s kept changing during its rescore; left as it was", document_id)
    return changed


def _rescored(
    service: Service,
    audit: AuditSettings,
    stored: stored_rescore.StoredDocument,
    previous: Previous,
) -> stored_rescore.Worked:
    """A document's tables scored and checked again (its other parts as kept, else read
    from its file once and kept from now on)."""
    parts = None
    if stored.parts is None:
        report = _report_as_it_stands(stored.document)
        parts = report_parts(_parsed_parts(stored.document.file_name, stored.document.content))
    else:
        report = _report_as_it_stands(stored.document, stored.parts)
    tables = _tables(service, report.evaluations, previous)
    found = run_audit(tables, report, audit)
    scores = {
        checked.table.index: stored_rescore.Scored(checked.score.total, checked.score.grade)
        for checked in tables
    }
    return stored_rescore.Worked(stored, scores, found, parts)


def _stored_last_years(
    connection: Connection, read: Sequence[stored_rescore.StoredDocument]
) -> Previous:
    """Last year's table of every top-level table of the documents (``stored_last_year``
    for all of them: one look for the candidates, one load for each table chosen)."""
    keys = {
        id(evaluation): last_year.wanted(evaluation, stored.unit_id)
        for stored in read
        for evaluation in stored.document.evaluations
    }
    candidates = last_year.candidates(connection, {k for k in keys.values() if k is not None})
    chosen: dict[int, int] = {}
    for stored in read:
        for evaluation in stored.document.evaluations:
            key = keys[id(evaluation)]
            if key is not None:
                pick = last_year.pick(evaluation, candidates.get(key, []))
                if pick is not None:
                    chosen[id(evaluation)] = pick
    loaded = {number: load_evaluation(connection, number) for number in set(chosen.values())}

    def previous(evaluation: Evaluation) -> Evaluation | None:
        number = chosen.get(id(evaluation))
        return None if number is None else loaded[number]

    return previous


def _export_item(context: Context, claimed: Claimed) -> None:
    store = context.store
    if "book" in claimed.params:
        ids = claimed.params["book"]
        service, _ = context.service_and_audit()
        made, problems = exports.book_part(store, service, ids, exports.SUMMARY)
        said = f"汇总工作簿已生成（{len(ids)} 张自评表）"
        if problems:
            said += f"，{len(problems)} 张未能生成：" + "；".join(problems)
    elif "summary" in claimed.params:
        ids = claimed.params["summary"]
        made, problems = exports.summary_part(store, ids), list[str]()
        said = f"汇总表已生成（{len(ids)} 张自评表）"
    else:
        ids = claimed.params["tables"]
        service, _ = context.service_and_audit()
        kind = exports.KINDS[claimed.job_params["format"]]
        made, problems = exports.rendered_part(store, service, kind, ids)
        said = f"已生成 {len(ids) - len(problems)} 张"
        if problems:
            said += f"，{len(problems)} 张未能生成：" + "；".join(problems)
    state = ItemState.FAILED if problems and len(problems) == len(ids) else ItemState.DONE
    with store.writing() as connection:
        stored_jobs.settle(connection, claimed.item_id, state, said, output=made)
