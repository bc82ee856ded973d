"""PDF reader (pdfplumber): ruled tables as dense grids, the other text as lines, per page.

Merged cells come out of pdfplumber as missing positions; the cell boxes tell which
merged cell covers them. A table running on from the bottom of one page to the top of
the next (same column edges) is joined into one table (see ``pdfpages``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jixiao.ingest.raw import Block, RawDocument, ReadError
from jixiao.ingest.readers.grid import Cell, Grid, Position, numbered_table
from jixiao.ingest.readers.grid import paragraphs as text_paragraphs
from jixiao.ingest.readers.layout import WordTable, read_tables
from jixiao.ingest.readers.pdfpages import PageTable, run_on
from jixiao.ingest.readers.words import Word
from jixiao.ingest.readers.ziputil import expect, file_bytes

SCANNED = "这是扫描件（PDF 中没有文字层），无法读取文字；请提供原始 Word/Excel 文件或带文字的 PDF"
ENCRYPTED = "PDF 文件已加密（有打开密码），无法读取；请提供未加密的文件"
_PAGE_MARK = re.compile(r"^[\s\-—–－·第页共/／\d]*$")  # "- 3 -", "第 3 页 共 9 页"
_EPSILON = 0.5


@dataclass(slots=True)
class _Line:
    text: str
    page: int


_Item = _Line | PageTable


def read_pdf(path: Path) -> RawDocument:
    """Read a PDF with a text layer; ``ReadError`` with a Chinese message otherwise."""
    return read_pdf_bytes(file_bytes(path), str(path))


def read_pdf_bytes(data: bytes, name: str) -> RawDocument:
    """``read_pdf`` of a file's bytes; sources call the file ``name``."""
    expect(data, "pdf", " .pdf")
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises its own kinds, wrapped by pdfplumber
        raise _error(error) from error
    try:
        with pdf:
            pages = _pages(pdf.pages, _plain_pages(data))
    except ReadError:
        raise
    except Exception as error:
        raise _error(error) from error
    if not any(has_text for _, has_text in pages):  # a scan: read by OCR
        from jixiao.ingest.readers.images import read_scanned_pdf

        return read_scanned_pdf(data, name, SCANNED)
    return _document(name, [items for items, _ in pages])


def _error(error: BaseException) -> ReadError:
    """Name encryption when that is the cause; otherwise a damaged file."""
    seen: BaseException | None = error
    while seen is not None:
        names = [type(seen).__name__, *(type(arg).__name__ for arg in seen.args)]
        if any("Password" in name or "Encrypt" in name for name in names):
            return ReadError(ENCRYPTED)
        seen = seen.__cause__ or seen.__context__
    return ReadError(f"无法读取 PDF 文件（文件已损坏或不完整：{type(error).__name__} {error}）")


def _pages(pages: list[Any], plain: dict[int, str]) -> list[tuple[list[_Item], bool]]:
    """Each page's items; a table read from word positions that ends a page is passed on,
    so the next page's rows in its columns continue it. A page in ``plain`` (no table on
    it, nor one continued from the page before) is its lines of text as PDFium gave them,
    without pdfplumber's layout work."""
    out: list[tuple[list[_Item], bool]] = []
    continued: WordTable | None = None
    for number, page in enumerate(pages, start=1):
        text = plain.get(number) if continued is None else None  # not a table's next page
        if text is not None:
            lines = [_CJK_GAP.sub("", line).strip() for line in text.splitlines()]
            out.append(([_Line(line, number) for line in lines if line], bool(text.strip())))
            continued = None
            continue
        items, has_text, continued = _page(page, number, continued)
        out.append((items, has_text))
    return out


# The words of a form's table: a page that has one of them, or any ruled line or box, is
# read by pdfplumber for its table geometry.
_TABLE_WORDS = re.compile(
    "一级指标|二级指标|三级指标|指标值|完成值|年度资金总额|预算数|执行数|项目名称|主管部门|"
    "实施单位|名称|绩效指标|评价指标|分值|得分|权重"
)
# a space PDFium put between two Chinese characters (a gap of justified text): none in
# the words themselves, as pdfplumber gives them
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff，。、；：])[ \u3000]+(?=[\u4e00-\u9fff，。、；：])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _plain_pages(data: bytes) -> dict[int, str]:
    """The pages (1-based) that hold running text only — no vector path (the lines and
    boxes of a ruled table) and none of the forms' table words — with their text, read by
    PDFium (many times faster than pdfplumber's layout analysis); empty when PDFium cannot
    read the file, so that pdfplumber reads every page."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError:
        return {}
    plain: dict[int, str] = {}
    try:
        document = pdfium.PdfDocument(data)
    except Exception:  # pdfplumber says what is wrong with the file
        return {}
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                paths = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2)
                if next(iter(paths), None) is not None:
                    continue
                textpage = page.get_textpage()
                text = _CONTROL.sub("", textpage.get_text_range())
                textpage.close()
                if not _TABLE_WORDS.search(re.sub(r"\s+", "", text)):
                    plain[index + 1] = text
            finally:
                page.close()
    except Exception:
        return {}
    finally:
        document.close()
    return plain


def _page(
    page: Any, number: int, continued: WordTable | None = None
) -> tuple[list[_Item], bool, WordTable | None]:
    """Lines and tables of a page in top-to-bottom order, whether it has any text, and the
    table read from word positions that ends it (if one does)."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    laid = [] if tables else _borderless(page, continued)
    boxes += [(t.x0, t.top, t.x1, t.bottom) for t in laid]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    placed: list[tuple[float, _Item]] = [
        (line["top"], _Line(line["text"], number))
        for line in page.filter(outside).extract_text_lines()
    ]
    placed.extend((table.bbox[1], _table(table, number)) for table in tables)
    from_words = [_on_page(t.table, number) for t in laid]
    placed.extend((t.top, table) for t, table in zip(laid, from_words, strict=True))
    placed.sort(key=lambda pair: pair[0])
    items = [item for _, item in placed]
    last = _last_table(items)
    ending = laid[-1] if from_words and last is from_words[-1] else None
    return items, bool(page.chars), ending


def _borderless(page: Any, continued: WordTable | None) -> list[WordTable]:
    """Self-evaluation tables read from the positions of the page's words (a page without
    ruled tables: no lines at all, or horizontal rules only); ``continued`` is the word
    table the page before ended in."""
    words = [
        Word(w["text"], w["x0"], w["top"], w["x1"], w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
    ]
    return read_tables(words, continued)


def _on_page(table: PageTable, page: int) -> PageTable:
    grid = [[replace(cell, page=page) for cell in row] for row in table.grid]
    return PageTable(grid, table.xs, table.right)


def _table(table: Any, page: int) -> PageTable:
    """The dense grid of a pdfplumber table; covered positions take their merged cell."""
    rows = table.rows
    texts = table.extract()
    xs = sorted({cell[0] for cell in table.cells})
    tops = sorted({cell[1] for cell in table.cells})
    boxes: dict[Position, tuple[float, float, float, float]] = {}
    anchors: list[list[Position | None]] = []
    for r, row in enumerate(rows):
        line: list[Position | None] = []
        for c, box in enumerate(row.cells):
            if box is not None:
                boxes[(r, c)] = box
                line.append((r, c))
                continue
            x, y = xs[c] + _EPSILON, tops[r] + _EPSILON
            candidates = [line[c - 1] if c > 0 else None, anchors[r - 1][c] if r > 0 else None]
            line.append(next((a for a in candidates if a and _inside(boxes[a], x, y)), None))
        anchors.append(line)
    grid: Grid = []
    for r, line in enumerate(anchors):
        cells = []
        for c, anchor in enumerate(line):
            if anchor is None:
                cells.append(Cell("", None, page))
            else:
                text = (texts[anchor[0]][anchor[1]] or "").strip()
                cells.append(Cell(text, anchor if anchor != (r, c) else None, page))
        grid.append(cells)
    return PageTable(grid, xs, table.bbox[2])


def _inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    x0, top, x1, bottom = box
    return x0 <= x < x1 and top <= y < bottom


def _document(file: str, pages: list[list[_Item]]) -> RawDocument:
    items: list[_Item] = []
    for page_items in pages:
        previous, first = _last_table(items), _first_table(page_items)
        joined = None if previous is None or first is None else run_on(previous, first)
        if joined is not None:
            items[next(i for i, item in enumerate(items) if item is previous)] = joined
            page_items = [item for item in page_items if item is not first]
        items.extend(page_items)
    blocks: list[Block] = []
    number = 0
    for item in items:
        if isinstance(item, _Line):
            blocks.extend(text_paragraphs(item.text, file, page=item.page))
        elif item.grid:
            number += 1
            blocks.append(numbered_table(item.grid, file, number))
    return RawDocument(file, tuple(blocks), pages=len(pages))


def _is_mark(item: _Item) -> bool:
    return isinstance(item, _Line) and bool(_PAGE_MARK.match(item.text))


def _last_table(items: list[_Item]) -> PageTable | None:
    """The table that ends the text so far (page numbers after it do not count)."""
    for item in reversed(items):
        if not _is_mark(item):
            return item if isinstance(item, PageTable) else None
    return None


def _first_table(items: list[_Item]) -> PageTable | None:
    """The table a page starts with (a page header line of digits does not count)."""
    for item in items:
        if not _is_mark(item):
            return item if isinstance(item, PageTable) else None
    return None
