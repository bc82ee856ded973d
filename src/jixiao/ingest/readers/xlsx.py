"""Excel (.xlsx/.xlsm) reader: one table per non-empty sheet, cached values as shown.

openpyxl streams the cells in read-only mode (three times faster to open than normal
mode), with ``data_only=True`` so formula cells give the value Excel last computed; the
merged ranges, which read-only mode does not keep, are read from each sheet's XML. Sources
are sheet coordinates (1-based row and column of the sheet, not of the trimmed grid).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from jixiao.ingest.raw import RawCell, RawDocument, RawTable, ReadError
from jixiao.ingest.readers.ziputil import check_zip, damaged, expect, file_bytes
from jixiao.model import SourceRef

MAX_CELLS = 2_000_000  # positions in one sheet's trimmed block
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escapes, [colours]/[locales]


def read_xlsx(path: Path) -> RawDocument:
    """Read an .xlsx workbook; ``ReadError`` with a Chinese message when it cannot be read."""
    return read_xlsx_bytes(file_bytes(path), str(path))


def read_xlsx_bytes(data: bytes, name: str) -> RawDocument:
    """``read_xlsx`` of a file's bytes; sources call the file ``name``."""
    expect(data, "zip", " .xlsx（Excel 工作簿）")
    check_zip(data, label="Excel ")
    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as error:  # openpyxl, zipfile and lxml raise many kinds
        raise damaged("Excel", ".xlsx", error) from error
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            tables = [_sheet(sheet, name, archive) for sheet in book.worksheets]
    except ReadError:
        raise
    except Exception as error:
        raise damaged("Excel", ".xlsx", error) from error
    finally:
        book.close()
    return RawDocument(name, tuple(table for table in tables if table is not None))


def _sheet(sheet: Any, file: str, archive: zipfile.ZipFile) -> RawTable | None:
    texts: dict[tuple[int, int], str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if value is None:
                continue  # empty cells (read-only mode gives them no coordinates)
            # a cell's number format is looked up in the workbook's styles: for numbers only
            shown = cell.number_format if isinstance(value, int | float) else None
            text = cell_text(value, shown)
            if text:
                texts[(cell.row, cell.column)] = text
    return sheet_table(texts, _merges(archive, sheet._worksheet_path), file, sheet.title)


# A merged range in the sheet XML, whatever namespace prefix the writer used. Scanning the
# bytes finds them several times faster than parsing the whole sheet a second time.
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=[\"']([^\"']+)[\"']")


def _merges(archive: zipfile.ZipFile, member: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (first row, first column, last row, last column)."""
    return [_bounds(match.group(1)) for match in _MERGE.finditer(archive.read(member))]


@lru_cache(maxsize=4096)
def _bounds(ref: bytes) -> tuple[int, int, int, int]:
    """A range reference ("B2:D4", "$A$1:$C$1") as (first row, first column, last row, last
    column); forms say the same ranges in sheet after sheet, so the answers are kept."""
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
    return min_row, min_col, max_row, max_col


def sheet_table(
    texts: dict[tuple[int, int], str],
    merges: list[tuple[int, int, int, int]],
    file: str,
    sheet: str,
) -> RawTable | None:
    """The trimmed table of a sheet from its non-empty texts (1-based keys) and merged
    ranges (first row, first column, last row, last column; 1-based, inclusive)."""
    if not texts:
        return None
    top, bottom = min(r for r, _ in texts), max(r for r, _ in texts)
    left, right = min(c for _, c in texts), max(c for _, c in texts)
    if (bottom - top + 1) * (right - left + 1) > MAX_CELLS:
        raise ReadError(f"工作表“{sheet}”的内容范围过大（超过 {MAX_CELLS} 个单元格），无法读取")
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in merges:
        anchor = (max(r0, top), max(c0, left))
        for r in range(anchor[0], min(r1, bottom) + 1):
            for c in range(anchor[1], min(c1, right) + 1):
                if (r, c) != anchor:
                    covered[(r, c)] = anchor
    rows = []
    for r in range(top, bottom + 1):
        line = []
        for c in range(left, right + 1):
            owner = covered.get((r, c))
            text = texts.get(owner or (r, c), "")
            under = None if owner is None else (owner[0] - top, owner[1] - left)
            line.append(RawCell(text, under, SourceRef(file=file, sheet=sheet, row=r, column=c)))
        rows.append(tuple(line))
    return RawTable(tuple(rows), SourceRef(file=file, sheet=sheet, row=top, column=left))


def cell_text(value: object, number_format: str | None = None) -> str:
    """A cell value as a person sees it: 5500.0 → 5500, 0.9258 in a % format → 92.58%."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M" if value.second == 0 else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")
    if isinstance(value, int | float):
        return number_text(value, number_format or "General")
    return str(value).strip()


def number_text(value: float, number_format: str = "General") -> str:
    """A number without float noise; percent formats show value × 100 with a % sign."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if "%" in _LITERALS.sub("", number_format):
        return _plain(value * 100) + "%"
    return _plain(value)


def _plain(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    try:  # Excel shows at most 15 significant digits; 10 decimals hide binary noise
        text = format(Decimal(repr(round(value, 10))).normalize(), "f")
    except (InvalidOperation, ValueError):
        return str(value)
    return "0" if text in ("-0", "0") else text
