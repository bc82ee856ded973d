"""Old Excel (.xls) reader through xlrd: same conventions as the .xlsx reader.

Many systems export "xls" files that are really HTML tables or .xlsx workbooks; those
are handed to the reader their content calls for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.ingest.raw import RawDocument, RawTable, ReadError
from jixiao.ingest.readers.xlsx import cell_text, number_text, sheet_table
from jixiao.ingest.readers.ziputil import describe, file_bytes, sniff


def read_xls(path: Path) -> RawDocument:
    """Read an .xls workbook; ``ReadError`` with a Chinese message when it cannot be read."""
    return read_xls_bytes(file_bytes(path), str(path))


def read_xls_bytes(data: bytes, name: str) -> RawDocument:
    """``read_xls`` of a file's bytes; sources call the file ``name``."""
    kind = sniff(data)
    if kind == "empty":
        raise ReadError("文件是空的")
    if kind == "html":
        from jixiao.ingest.readers.html import read_html_bytes

        return read_html_bytes(data, name)
    if kind == "zip":
        from jixiao.ingest.readers.xlsx import read_xlsx_bytes

        return read_xlsx_bytes(data, name)
    if kind != "ole":
        raise ReadError(
            f"文件扩展名是 .xls（Excel 工作簿），但内容其实是{describe(kind)}；请确认文件类型"
        )
    book = _open(data)
    try:
        tables = [_sheet(book, book.sheet_by_index(i), name) for i in range(book.nsheets)]
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(f"读取 Excel 工作表时出错：{error}") from error
    finally:
        book.release_resources()
    return RawDocument(name, tuple(table for table in tables if table is not None))


def _open(data: bytes) -> Any:
    import xlrd

    try:
        try:
            return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
        except NotImplementedError:  # formatting not supported: merged cells are lost
            return xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as error:  # xlrd.XLRDError, CompDocError, struct and index errors
        text = str(error)
        if "encrypt" in text.lower() or "password" in text.lower():
            message = "Excel 文件有密码保护（已加密），无法读取；请去掉密码后再提交"
            raise ReadError(message) from error
        raise ReadError(f"无法读取 .xls 文件（文件已损坏或不是 Excel 格式：{text}）") from error


def _sheet(book: Any, sheet: Any, file: str) -> RawTable | None:
    import xlrd

    texts: dict[tuple[int, int], str] = {}
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            text = _text(book, sheet.cell(r, c), xlrd)
            if text:
                texts[(r + 1, c + 1)] = text
    merges = [(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in sheet.merged_cells]
    return sheet_table(texts, merges, file, sheet.name)


def _text(book: Any, cell: Any, xlrd: Any) -> str:
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if kind == xlrd.XL_CELL_NUMBER:
        return number_text(value, _format(book, cell))
    if kind == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return number_text(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return str(xlrd.error_text_from_code.get(value, "#ERR"))
    return str(value).strip()


def _format(book: Any, cell: Any) -> str:
    """The number format string of a cell ("General" when formatting was not read)."""
    try:
        key = book.xf_list[cell.xf_index].format_key
        return str(book.format_map[key].format_str)
    except (AttributeError, IndexError, KeyError, TypeError):
        return "General"
