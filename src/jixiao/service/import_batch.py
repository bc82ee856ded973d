"""The files of an import batch worked on together (issue 14: a province's 100,000 tables),
as ``jixiao.service.jobs`` imports one file, in a few statements for the whole batch
instead of some thirty a file.

The files claimed together (``jobs.claim_batch``: files no process has tried before) are
looked up in one transaction (which are stored already, last year's tables of all their
tables), read, scored and checked outside any transaction, then stored, folded into the
records they are new versions of, and settled in one: a worker killed before that commit
leaves every file of the batch to the next claim, which takes them one at a time (one of
them may be what killed it, and fails alone after ``MAX_ATTEMPTS``); killed after it, it
leaves nothing to do twice. What the batch cannot store at once (a file whose record is
closed, the same file stored meanwhile by another process) is stored one file at a time,
each with its own outcome, as the files of a batch always were.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from jixiao.audit import AuditSettings
from jixiao.audit.previous import Previous
from jixiao.model import Evaluation, Report
from jixiao.service.facade import Service
from jixiao.service.store import (
    FILED_ELSEWHERE,
    UNEXPECTED,
    ImportFailure,
    checked_document,
    read_for_import,
)
from jixiao.service.uploads import UploadResult, described, safe_name
from jixiao.store import ImportOutcome, ImportStatus, NewDocument, StoreError, User
from jixiao.store import jobs as stored_jobs
from jixiao.store import previous as last_year
from jixiao.store.admin import user_by_id
from jixiao.store.documents import existing_many, import_documents
from jixiao.store.jobs import Claimed, Settled
from jixiao.store.policy import scope_for
from jixiao.store.queries import load_evaluation
from jixiao.store.schema import units
from jixiao.store.versions import fold_many

if TYPE_CHECKING:
    from jixiao.service.jobs import Context

log = logging.getLogger("jixiao.jobs")

NO_USER = "提交这项任务的用户已不存在，未处理"


@dataclass(slots=True)
class _File:
    """One file of the batch on its way: its claim, who sent it, what became of it."""

    claimed: Claimed
    user: User | None
    found: ImportOutcome | None = None  # the same bytes stored before
    report: Report | None = None
    unit: str | None = None  # the unit it is filed under
    new: NewDocument | None = None
    outcome: ImportOutcome | None = None
    result: UploadResult | None = None  # settled without being stored

    def failed(self, message: str) -> None:
        self.result = UploadResult(self.claimed.label, "failed", message)


def import_claimed(context: Context, claims: list[Claimed]) -> None:
    """Import the claimed files of one batch together (see the module's words)."""
    from jixiao.service.jobs import import_alone

    store = context.store
    service, audit = context.service_and_audit()
    digests = [hashlib.sha256(c.content or b"").hexdigest() for c in claims]
    with store.reading() as connection:
        people = {
            user_id: user_by_id(connection, user_id)
            for user_id in {c.user_id for c in claims if c.user_id is not None}
        }
        found = existing_many(connection, digests)
    files = [
        _File(c, people.get(c.user_id) if c.user_id is not None else None, found.get(digest))
        for c, digest in zip(claims, digests, strict=True)
    ]
    for file in files:
        _read(file)
    if _depend_on_each_other(files):
        # a table of one file is last year's of another's: the old way, one after the other
        for file in files:
            import_alone(context, file.claimed)
        return
    previous = _last_years(context, files)
    for position, file in enumerate(files):
        _check(file, service, audit, previous.get(position))
    try:
        _store_together(context, files)
    except (OperationalError, InterfaceError):
        raise  # the database failed: the queue runs the batch again
    except (IntegrityError, StoreError):
        # a file the batch cannot store with the others: each stored alone, as it says
        _store_one_at_a_time(context, files)
    except Exception:
        log.exception("storing a batch of %s files failed; one at a time", len(files))
        _store_one_at_a_time(context, files)


def _read(file: _File) -> None:
    """The file read (unless stored before): ``report`` and ``unit``, or ``result``."""
    claimed, user = file.claimed, file.user
    if user is None or claimed.content is None:
        file.failed(NO_USER)
        return
    clerk = scope_for(user).restricted
    if file.found is not None and (not clerk or file.found.unit_id == user.unit_id):
        return  # stored before: said as it is
    name = claimed.label
    try:
        file.report, file.unit = read_for_import(
            name,
            claimed.content,
            claimed.job_params.get("unit"),
            owner=(user.unit or "") if clerk else None,
            unit_from_report=not clerk,
        )
    except (ImportFailure, StoreError) as error:
        file.failed(str(error))
    except Exception:  # a reader's fault on this file: the other files go on
        log.exception("reading %s failed", name)
        file.failed(f"{name}: {UNEXPECTED}")
    else:
        if file.found is not None:  # the unit's own report, filed under another unit before
            file.report = None
            file.failed(f"{name}: {FILED_ELSEWHERE}")


def _depend_on_each_other(files: list[_File]) -> bool:
    """Whether a table of one file of the batch is last year's table of another's (then
    the earlier must be stored before the later is checked)."""
    mine: dict[tuple[str | None, str, int], int] = {}
    for position, file in enumerate(files):
        if file.report is not None:
            for evaluation in file.report.evaluations:
                if evaluation.year is not None:
                    mine.setdefault((file.unit, evaluation.kind, evaluation.year), position)
    for position, file in enumerate(files):
        if file.report is not None:
            for evaluation in file.report.evaluations:
                if evaluation.year is not None:
                    other = mine.get((file.unit, evaluation.kind, evaluation.year - 1))
                    if other is not None and other != position:
                        return True
    return False


def _last_years(context: Context, files: list[_File]) -> dict[int, Previous]:
    """Each read file's ``Previous`` (by position), from one look at the store: its
    units, last year's candidates of every table, the tables chosen."""
    wanted = [f for f in files if f.report is not None]
    if not wanted:
        return {}
    names = {f.unit for f in wanted if f.unit}
    with context.store.reading() as connection:
        ids: dict[str | None, int | None] = {
            str(name): int(number)
            for name, number in connection.execute(
                select(units.c.name, units.c.id).where(units.c.name.in_(names))
            )
        }
        keys: dict[tuple[int, int], last_year.Key | None] = {}
        for position, file in enumerate(files):
            if file.report is None:
                continue
            owner = ids.get(file.unit) if file.unit else None
            for index, evaluation in enumerate(file.report.evaluations):
                unknown = file.unit and owner is None  # a unit not stored yet: no last year
                keys[position, index] = None if unknown else last_year.wanted(evaluation, owner)
        candidates = last_year.candidates(connection, {k for k in keys.values() if k})
        chosen: dict[tuple[int, int], int] = {}
        for (position, index), key in keys.items():
            report = files[position].report
            assert report is not None
            if key is not None:
                pick = last_year.pick(report.evaluations[index], candidates.get(key, []))
                if pick is not None:
                    chosen[position, index] = pick
        loaded = {
            table_id: load_evaluation(connection, table_id) for table_id in set(chosen.values())
        }
    out: dict[int, Previous] = {}
    for position, file in enumerate(files):
        if file.report is not None:
            by_table = {
                id(evaluation): loaded.get(chosen.get((position, index), 0))
                for index, evaluation in enumerate(file.report.evaluations)
            }

            def previous(
                evaluation: Evaluation, by_table: dict[int, Evaluation | None] = by_table
            ) -> Evaluation | None:
                return by_table.get(id(evaluation))

            out[position] = previous
    return out


def _check(file: _File, service: Service, audit: AuditSettings, previous: Previous | None) -> None:
    """The read file scored and checked: ``new``, or ``result`` when a rule fails on it."""
    if file.report is None or file.user is None or file.claimed.content is None:
        return
    name = file.claimed.label
    try:
        file.new = checked_document(
            service,
            file.report,
            file.claimed.content,
            audit,
            file.unit,
            file.user.name,
            safe_name(name),
            previous,
        )
    except (ImportFailure, StoreError) as error:
        file.failed(str(error))
    except Exception:
        log.exception("checking %s failed", name)
        file.failed(f"{name}: {UNEXPECTED}")
    file.report = None  # its tables are in ``new``


def _store_together(context: Context, files: list[_File]) -> None:
    """Every checked file stored, folded into its records and settled, with the others'
    outcomes, in one transaction."""
    from jixiao.store.jobs import document_scopes

    storing = [f for f in files if f.new is not None]
    with context.store.writing() as connection:
        outcomes = import_documents(connection, [f.new for f in storing if f.new is not None])
        imported = [
            (f, o)
            for f, o in zip(storing, outcomes, strict=True)
            if o.status is ImportStatus.IMPORTED
        ]
        folded = fold_many(
            connection,
            [o.document_id for _, o in imported],
            [f.user.id if f.user else None for f, _ in imported],
        )
        for file, outcome in zip(storing, outcomes, strict=True):
            file.outcome = outcome
        for (file, outcome), records in zip(imported, folded, strict=True):
            if records:
                file.outcome = replace(outcome, replaced=len(records))
        stored = [f.outcome or f.found for f in files if f.result is None]
        scopes = document_scopes(connection, [o.document_id for o in stored if o is not None])
        settled = []
        for file in files:
            said = file.outcome or file.found
            if file.result is None and said is not None and file.user is not None:
                tables = scopes.get(said.document_id, ())
                result = described(file.claimed.label, said, tables, file.user)
                mine = said.document_id if said.status is ImportStatus.IMPORTED else None
                settled.append(_settled(file.claimed, result, mine))
            else:
                result = file.result or UploadResult(file.claimed.label, "failed", UNEXPECTED)
                settled.append(_settled(file.claimed, result, None))
        stored_jobs.settle_many(connection, settled)


def _settled(claimed: Claimed, result: UploadResult, document_id: int | None) -> Settled:
    return Settled(
        claimed.item_id,
        claimed.job_id,
        result.status,
        result.message,
        result.evaluations,
        document_id,
    )


def _store_one_at_a_time(context: Context, files: list[_File]) -> None:
    """What the batch could not store together: each checked file stored (and settled)
    in a transaction of its own, as a file alone is; the others settled."""
    from jixiao.service.jobs import store_checked

    left = []
    for file in files:
        file.outcome = None
        if file.new is not None and file.user is not None:
            store_checked(context, file.claimed, file.user, file.new)
        else:
            left.append(file)  # stored before, or failed: said as it is
    if left:
        _store_together(context, left)
