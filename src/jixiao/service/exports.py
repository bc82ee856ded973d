"""Batch exports: a year's or a department's tables as their official forms (xlsx) or as
reports (pdf), each table a file of a zip, with a summary workbook (汇总.xlsx) of all of
them; or (``book``) all of them as one workbook, a 汇总 sheet and each table's form as a
sheet of its own. Made in parts by background jobs (``jixiao.service.jobs``): each part a
small zip of its tables' files, put together when the export is downloaded (a workbook is
one part of one file, downloaded as it is)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from jixiao.loading import LoadError
from jixiao.model import Report
from jixiao.service.facade import Service
from jixiao.store import Store, StoredEvaluation


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    suffix: str
    label: str  # in the file names


KINDS = {
    k.name: k
    for k in (
        Kind("xlsx", ".xlsx", "自评表"),
        Kind("pdf", ".pdf", "自评报告"),
        Kind("book", ".xlsx", "汇总工作簿"),  # one workbook: 汇总 and a sheet per table
    )
}
BOOK = KINDS["book"]
SUMMARY = "汇总.xlsx"
SUMMARY_COLUMNS = (
    "编号",
    "年度",
    "主管部门",
    "单位",
    "名称",
    "类型",
    "状态",
    "填写总分",
    "填写等级",
    "复算得分",
    "复算等级",
)
KIND_WORDS = {"project": "项目支出", "department": "部门整体支出"}


def file_name(stored: StoredEvaluation, label: str, suffix: str) -> str:
    """A table's file as people name it: 2024年度某某项目-自评表.xlsx."""
    evaluation = stored.evaluation
    base = evaluation.name or evaluation.title or f"自评表{stored.summary.id}"
    year = f"{evaluation.year}年度" if evaluation.year and str(evaluation.year) not in base else ""
    cleaned = "".join(ch for ch in f"{year}{base}-{label}" if ch not in '\\/:*?"<>|\r\n')
    return cleaned[:120] + suffix


def stored_report(store: Store, stored: StoredEvaluation) -> Report:
    """The report a stored table came in, as it now stands: the uploaded file read again for
    its narrative, 基础数据表 and allocation tables, with the document's tables as stored
    (edits included) in place of the ones read; what ``jixiao render`` makes of the file."""
    from jixiao.service.render import renderable

    document_id = stored.summary.document_id
    name, content = store.document_content(document_id)
    return renderable(content, name, store.document_evaluations(document_id))


def render_stored(
    store: Store, service: Service, stored: StoredEvaluation, fmt: str, target: Path
) -> Path:
    """Write the stored table's report in ``fmt`` (xlsx, docx, pdf) to ``target``: the one
    export of a stored table, for the web app's download and the batch exports."""
    from jixiao.service.render import render_report

    render_report(service, stored_report(store, stored), fmt, str(target))
    return target


def rendered_part(
    store: Store, service: Service, kind: Kind, table_ids: Sequence[int]
) -> tuple[bytes, list[str]]:
    """A zip of the tables' files (numbered, so that two tables of one name both stay),
    and what could not be made, one line each."""
    problems: list[str] = []
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        tempfile.TemporaryDirectory(prefix="jixiao-export-") as folder,
    ):
        for table_id in table_ids:
            stored = store.evaluation(table_id)
            name = f"{table_id:06d}-{file_name(stored, kind.label, kind.suffix)}"
            target = Path(folder) / f"part{kind.suffix}"
            try:
                render_stored(store, service, stored, kind.name, target)
            except LoadError as error:
                problems.append(f"{name}：{error}")
                continue
            archive.write(target, name)
    return buffer.getvalue(), problems


def summary_rows(store: Store, table_ids: Sequence[int]) -> Iterator[tuple[object, ...]]:
    """The 汇总 sheet's rows, its heading first: one row per table, in the export's order."""
    yield SUMMARY_COLUMNS
    for table_id in table_ids:
        s = store.evaluation(table_id).summary
        yield (
            s.id,
            s.year,
            s.department,
            s.unit,
            s.name,
            KIND_WORDS.get(s.kind, s.kind),
            s.state.label,
            s.total,
            s.grade,
            s.score,
            s.score_grade,
        )


def _cell_value(value: object) -> object:
    from jixiao.render._sheet import number

    return number(value) if isinstance(value, Decimal) else value


def summary_part(store: Store, table_ids: Sequence[int]) -> bytes:
    """A zip holding 汇总.xlsx: one row per table, in the export's order."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from jixiao.render._sheet import write

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("汇总")
    for values in summary_rows(store, table_ids):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet)
            write(cell, _cell_value(value))
            cells.append(cell)
        sheet.append(cells)
    book = io.BytesIO()
    workbook.save(book)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SUMMARY, book.getvalue())
    return buffer.getvalue()


def book_part(
    store: Store, service: Service, table_ids: Sequence[int], name: str
) -> tuple[bytes, list[str]]:
    """A zip holding one workbook ``name``: the 汇总 sheet, then each table's official form
    (its sub-directions after it, numbered 1.1, 1.2…) as a sheet, laid out by the same
    ``evaluation_sheet`` as a table's own xlsx; and what could not be made, one line each."""
    from openpyxl import Workbook

    from jixiao.render import _layout as lay
    from jixiao.render._sheet import workbook_bytes, write
    from jixiao.render.xlsx import evaluation_sheet

    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    for values in summary_rows(store, table_ids):
        summary.append([None] * len(values))
        for column, value in enumerate(values, start=1):
            write(summary.cell(summary.max_row, column), _cell_value(value))
    numbered = []
    for n, table_id in enumerate(table_ids, start=1):
        top = store.evaluation(table_id).evaluation
        numbered.append((top, lay.evaluation_label(top, str(n), None)))
        for m, child in enumerate(top.children, start=1):
            numbered.append((child, lay.evaluation_label(child, f"{n}.{m}", top)))
    names = lay.sheet_names(["汇总", *(label for _, label in numbered)])[1:]
    cached: list[dict[str, Any]] = [{}]
    styles: dict[Any, Any] = {}
    problems: list[str] = []
    for sheet_name, (evaluation, label) in zip(names, numbered, strict=True):
        try:
            scheme = service.scheme_for(evaluation)
        except LoadError as error:
            problems.append(f"{label}：{error}")
            continue
        sheet = book.create_sheet(sheet_name)
        cached.append(evaluation_sheet(sheet, evaluation, scheme, styles))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, workbook_bytes(book, cached))
    return buffer.getvalue(), problems


def only_file(parts: Iterable[bytes], target: IO[bytes]) -> None:
    """The one file of a workbook export (``book_part``) as it is, not zipped again."""
    for part in parts:
        with zipfile.ZipFile(io.BytesIO(part)) as archive:
            for info in archive.infolist():
                target.write(archive.read(info))
                return


def put_together(parts: Iterable[bytes], target: IO[bytes]) -> int:
    """The parts' files in one zip; how many files."""
    count = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as whole:
        for part in parts:
            with zipfile.ZipFile(io.BytesIO(part)) as archive:
                for info in archive.infolist():
                    whole.writestr(info.filename, archive.read(info))
                    count += 1
    return count
