"""HTML reader (lxml): text lines and tables in document order, spans as dense grids.

Pages published by finance bureaus are often GBK without saying so; the encoding comes
from a BOM or <meta charset>, else UTF-8 is tried, then GB18030. Navigation, scripts and
styles are skipped. A table nested in a cell follows its outer table; a one-column table
(a page laid out with a table) is read as running text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.ingest.raw import Block, Paragraph, RawDocument, RawTable, ReadError
from jixiao.ingest.readers.grid import Grid, GridBuilder, numbered_table, paragraphs
from jixiao.ingest.readers.ziputil import file_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
# Not skipped: <form>, since ASP.NET pages wrap the whole body in one.
_SKIP = {
    "script", "style", "noscript", "template", "nav", "head", "title", "select", "option",
    "button", "iframe", "svg", "object", "embed", "map",
}  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "header", "footer", "main", "aside", "blockquote", "pre",
    "address", "center", "figure", "figcaption", "caption", "hr", "body", "html", "tr",
    "td", "th", "thead", "tbody", "tfoot", "table",
}  # fmt: skip
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0]+")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# A line break in the source between two Chinese characters is no space (browsers agree).
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJK}])")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(slots=True)
class _Table:
    grid: Grid
    nested: list[_Table] = field(default_factory=list)


def read_html(path: Path) -> RawDocument:
    """Read an HTML page; ``ReadError`` with a Chinese message when it cannot be read."""
    return read_html_bytes(file_bytes(path), str(path))


def read_html_bytes(data: bytes, name: str) -> RawDocument:
    """``read_html`` of a file's bytes; sources call the file ``name``."""
    if not data.strip():
        raise ReadError("文件是空的")
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError("文件内容不是网页（含有二进制内容），请确认文件类型")
    text = decode(data)
    try:
        import lxml.html

        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
        walker = _Walker(name)
        walker.visit(root)
        walker.flush()
    except Exception as error:  # lxml.etree.ParserError, RecursionError on absurd nesting
        raise ReadError(f"无法解析网页内容：{error}") from error
    return RawDocument(name, tuple(walker.blocks))


def decode(data: bytes) -> str:
    """Text of a page: BOM, then <meta charset>, then UTF-8, then GB18030."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    match = _META.search(data[:8192])
    if match:
        declared = match.group(1).decode("ascii", errors="ignore").lower()
        if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936"):
            declared = "gb18030"  # the superset: real pages use characters beyond GB2312
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别网页的文字编码（既不是 UTF-8 也不是 GBK/GB18030）")


def _skipped(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in _SKIP or not tag:
        return True
    if element.get("role") == "navigation" or element.get("hidden") is not None:
        return True
    return bool(_HIDDEN.search(element.get("style") or ""))


class _Walker:
    """Collects text lines and tables from an element tree in document order."""

    def __init__(self, file: str, nested: list[_Table] | None = None) -> None:
        self.file = file
        self.nested = nested
        self.blocks: list[Block] = []
        self.line: list[str] = []

    def flush(self) -> None:
        text = _SPACE.sub(" ", _CJK_BREAK.sub("", "".join(self.line))).strip()
        self.line = []
        self.blocks.extend(paragraphs(text, self.file))

    def visit(self, element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not _skipped(element):
            if tag == "table" and not _is_layout(element):
                self.flush()
                if self.nested is not None:
                    self.nested.append(_table(element))
                else:
                    self._emit(_table(element))
            elif tag == "br":
                self.flush()
            else:
                block = tag in _BLOCK
                if block:
                    self.flush()
                self.line.append(element.text or "")
                for child in element:
                    self.visit(child)
                if block:
                    self.flush()
        self.line.append(element.tail or "")

    def _emit(self, table: _Table) -> None:
        if table.grid:
            number = 1 + sum(1 for block in self.blocks if isinstance(block, RawTable))
            self.blocks.append(numbered_table(table.grid, self.file, number))
        for inner in table.nested:
            self._emit(inner)


def _rows(table: Any) -> list[Any]:
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(row for row in child if isinstance(row.tag, str) and row.tag == "tr")
    return rows


def _cells(row: Any) -> list[Any]:
    return [cell for cell in row if isinstance(cell.tag, str) and cell.tag in ("td", "th")]


def _is_layout(table: Any) -> bool:
    """A table used to lay out a page: one column, holding block content or other tables."""
    rows = _rows(table)
    if not rows or any(len(_cells(row)) > 1 for row in rows):
        return False
    return any(cell.find(".//table") is not None or cell.find(".//p") is not None
               for row in rows for cell in _cells(row))  # fmt: skip


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, int(re.sub(r"\D.*", "", cell.get(name, "1").strip()) or 1))
    except ValueError:
        return 1


def _table(element: Any) -> _Table:
    builder = GridBuilder()
    nested: list[_Table] = []
    rows = _rows(element)
    for r, row in enumerate(rows):
        column = 0
        for cell in _cells(row):
            while builder.occupied(r, column):
                column += 1
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            walker = _Walker("", nested)  # tables inside the cell go to ``nested``
            walker.line.append(cell.text or "")
            for child in cell:
                walker.visit(child)
            walker.flush()
            text = "\n".join(block.text for block in walker.blocks if isinstance(block, Paragraph))
            builder.put(r, column, text, rowspan=min(rowspan, len(rows) - r), colspan=colspan)
            column += colspan
    return _Table(builder.grid(rows=len(rows)), nested)
