"""Files into the store: read (parse or load), score, check, then store in one transaction."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from jixiao.audit import AuditSettings, Checked, run_audit
from jixiao.audit.previous import Previous
from jixiao.ingest import read_file
from jixiao.ingest.raw import ReadError
from jixiao.loading import Loaded, decode, encode
from jixiao.model import Evaluation, Report
from jixiao.service.audit import _tables
from jixiao.service.facade import Service, gc_paused
from jixiao.service.ownership import ownership_refusal, report_unit
from jixiao.service.reading import read_report
from jixiao.store import (
    EditedDocument,
    ImportOutcome,
    NewDocument,
    Rescore,
    Rescored,
    Role,
    Store,
    StoreError,
    User,
    jsondata,
    open_store,
)
from jixiao.store import previous as last_year

__all__ = [
    "ImportResult",
    "add_user",
    "edit_evaluation",
    "import_bytes",
    "import_file",
    "import_files",
    "open_store",
]


log = logging.getLogger("jixiao.import")
FILED_ELSEWHERE = "此文件不能作为本单位的报告导入，请联系审核人员核对报告的归属"
UNEXPECTED = "读取或检查此文件时程序出错，未导入（其他文件照常导入）；请将文件发给管理员排查"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """One file's outcome: stored (or found already stored), or why it failed."""

    path: str
    outcome: ImportOutcome | None = None
    error: str | None = None


class ImportFailure(Exception):
    """A file that cannot be imported; the message says why, in Chinese, with the place."""


def _complete_report(content: bytes, name: str) -> Report:
    """The report in a file's bytes; ``ImportFailure`` when it cannot be read completely."""
    read = read_report(content, name)
    if read.errors:
        raise ImportFailure(read.error_text())
    if read.report is None:
        raise ImportFailure(f"{name}: 没有读到任何内容")
    return read.report


def prepare(
    service: Service,
    name: str | Path,
    content: bytes,
    settings: AuditSettings,
    unit: str | None = None,
    user: str | None = None,
    file_name: str | None = None,
    previous: Previous | None = None,
    *,
    owner: str | None = None,
    unit_from_report: bool = False,
) -> NewDocument:
    """Read, score and check one file into what the store keeps (see ``import_bytes``);
    each table compared with last year's where ``previous`` finds it. With ``owner`` (a
    unit's clerk uploads), a report that names another unit is refused; with
    ``unit_from_report`` and no ``unit``, the report is filed under the unit it names."""
    name = str(name)
    report, unit = read_for_import(
        name, content, unit, owner=owner, unit_from_report=unit_from_report
    )
    return checked_document(
        service, report, content, settings, unit, user, file_name or _base_name(name), previous
    )


def read_for_import(
    name: str,
    content: bytes,
    unit: str | None = None,
    *,
    owner: str | None = None,
    unit_from_report: bool = False,
) -> tuple[Report, str | None]:
    """``prepare``'s first half: the report read from the file (refused as ``prepare``
    refuses it) and the unit it is filed under."""
    report = _complete_report(content, name)
    if owner is not None:
        refused = ownership_refusal(name, report.evaluations, owner)
        if refused is not None:
            raise ImportFailure(refused)
    if unit is None and unit_from_report:
        unit = report_unit(report.evaluations)
    return report, unit


def checked_document(
    service: Service,
    report: Report,
    content: bytes,
    settings: AuditSettings,
    unit: str | None,
    user: str | None,
    file_name: str,
    previous: Previous | None = None,
) -> NewDocument:
    """``prepare``'s second half: the report scored and checked, as the store keeps it
    (with the report's other parts, so that a rescore need not read the file again)."""
    tables: list[Checked] = _tables(service, report.evaluations, previous)
    findings = run_audit(tables, report, settings)
    return NewDocument(
        file_name=file_name,
        content=content,
        evaluations=report.evaluations,
        scores=tuple(checked.score for checked in tables),
        findings=tuple(findings),
        unit=unit,
        uploaded_by=user,
        parts=report_parts(report),
    )


def report_parts(report: Report | None) -> str:
    """The report without its tables as the store keeps it (``documents.report_parts``);
    ``null`` for a file that cannot be read again."""
    if report is None:
        return jsondata.dumps(None)
    return jsondata.dumps(encode(dataclasses.replace(report, evaluations=())))


def stored_parts(parts: str) -> Report | None:
    """The report's other parts as ``report_parts`` kept them."""
    data = jsondata.loads(parts)
    return None if data is None else decode(Report, Loaded("report_parts", data))


def import_file(
    store: Store,
    service: Service,
    path: str | Path,
    settings: AuditSettings | None = None,
    unit: str | None = None,
    user: str | None = None,
) -> ImportResult:
    """Import one file; a file stored before (same bytes) is recognised without re-reading."""
    path = Path(path)
    try:
        content = read_file(path)
    except ReadError as error:
        return ImportResult(str(path), error=f"{path}: {error.message}")
    return import_bytes(store, service, str(path), content, settings, unit, user)


def import_bytes(
    store: Store,
    service: Service,
    name: str,
    content: bytes,
    settings: AuditSettings | None = None,
    unit: str | None = None,
    user: str | None = None,
    *,
    file_name: str | None = None,
    owner: User | None = None,
    unit_from_report: bool = False,
) -> ImportResult:
    """Import a file's bytes (an upload, nothing written to disk); ``name`` is what messages
    call it and its suffix says the format, ``file_name`` what the store keeps (by default
    the last part of ``name``). A file stored before (same bytes) is not read again. A
    clerk's upload (``owner``: its unit) must be the unit's report, and is told nothing of
    a copy another unit filed."""
    found = store.find_document(content)
    if found is not None and (owner is None or found.unit_id == owner.unit_id):
        return ImportResult(name, found)
    try:
        report, filed = read_for_import(
            name,
            content,
            unit,
            owner=None if owner is None else owner.unit or "",
            unit_from_report=unit_from_report,
        )
        new = checked_document(  # last year's tables: of the unit the report is filed under
            service,
            report,
            content,
            settings or AuditSettings(),
            filed,
            user,
            file_name or _base_name(name),
            previous=stored_last_year(store, unit=filed),
        )
    except (ImportFailure, StoreError) as error:
        return ImportResult(name, error=str(error))
    except Exception:  # a reader's or rule's fault on this file: the next files go on
        log.exception("reading %s failed", name)
        return ImportResult(name, error=f"{name}: {UNEXPECTED}")
    if found is not None:  # the unit's own report, filed under another unit before
        return ImportResult(name, error=f"{name}: {FILED_ELSEWHERE}")
    try:  # a database that fails is no fault of the file: that goes up
        return ImportResult(name, store.import_document(new))
    except StoreError as error:
        return ImportResult(name, error=str(error))


def _base_name(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name or name


def import_files(
    store: Store,
    service: Service,
    paths: Iterable[str | Path],
    settings: AuditSettings | None = None,
    unit: str | None = None,
    user: str | None = None,
) -> Iterator[ImportResult]:
    with gc_paused():
        for path in paths:
            yield import_file(store, service, path, settings, unit, user)


def edit_evaluation(
    store: Store,
    service: Service,
    evaluation_id: int,
    field: str,
    value: Any,
    user: str,
    settings: AuditSettings | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Evaluation:
    """Edit one field; the table is rescored and rechecked with it (see ``Store.edit_many``;
    ``reason``: why a field set at budget time is corrected)."""
    scope = store.scope(evaluation_id)
    previous = stored_last_year(store, unit_id=scope.unit_id) if scope is not None else None
    rescore = rescorer(service, settings or AuditSettings(), previous)
    return store.edit_many(
        evaluation_id,
        [(field, value)],
        user,
        expected_version=expected_version,
        rescore=rescore,
        reason=reason,
    )


def stored_last_year(
    store: Store, *, unit: str | None = None, unit_id: int | None = None
) -> Previous:
    """Last year's table of a table of the unit (named ``unit``, or ``unit_id``) as the
    store has it (``store.previous``), for the TG rules that compare the two years."""

    def previous(evaluation: Evaluation) -> Evaluation | None:
        with store.reading() as connection:
            owner = unit_id if unit_id is not None else last_year.unit_id_of(connection, unit)
            if owner is None and unit:  # a unit not stored yet has no tables of last year
                return None
            return last_year.last_year(connection, evaluation, owner)

    return previous


def rescorer(
    service: Service, settings: AuditSettings, previous: Previous | None = None
) -> Rescore:
    """What an edit runs: the edited table rescored, and its whole document rechecked as it
    now stands (the narrative, 基础数据表 and allocation tables read again from the uploaded
    file, the tables from the store), so that a cross-table finding the edit settles goes
    and one it causes comes; a correct edit never leaves a stale or hidden finding. Each
    table is compared with last year's where ``previous`` finds it."""

    def rescore(evaluation: Evaluation, document: EditedDocument) -> Rescored:
        report = _report_as_it_stands(document)
        tables = _tables(service, report.evaluations, previous)
        index = document.table_index
        whole = 0 < index <= len(tables)
        if not whole:
            # the stored tables do not number as they did on import: recheck the table alone
            tables, index = _tables(service, (evaluation,), previous), 1
            report = Report(evaluations=(evaluation,))
        found = tuple(run_audit(tables, report, settings))
        mine = tuple(f for f in found if f.table is not None and f.table.index == index)
        score = tables[index - 1].score
        return Rescored(score.total, score.grade, mine, found if whole else None)

    return rescore


def _report_as_it_stands(document: EditedDocument, parts: str | None = None) -> Report:
    """The uploaded report with its tables replaced by the stored ones; its other parts as
    kept at import (``parts``), else read from the file."""
    if parts is not None:
        kept = stored_parts(parts)
        if kept is None:
            return Report(evaluations=document.evaluations)
        return dataclasses.replace(kept, evaluations=document.evaluations)
    parts_read = _parsed_parts(document.file_name, document.content)
    if parts_read is None:
        return Report(evaluations=document.evaluations)
    return dataclasses.replace(parts_read, evaluations=document.evaluations)


@functools.lru_cache(maxsize=32)
def _parsed_parts(file_name: str, content: bytes) -> Report | None:
    """The report in an uploaded file (read once per process and kept for the next edits);
    None when it cannot be read again (then only the tables are rechecked)."""
    if not content:
        return None
    try:
        return _complete_report(content, file_name)
    except ImportFailure:
        return None


def add_user(
    store: Store,
    name: str,
    role: Role,
    password: str,
    unit: str | None = None,
    display_name: str | None = None,
) -> User:
    return store.add_user(name, role, password, unit=unit, display_name=display_name)
