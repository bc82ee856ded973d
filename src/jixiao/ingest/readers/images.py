"""Images (.png, .jpg, .tif) and scanned PDFs (no text layer) read by OCR.

The pages are turned into pictures here (Pillow for images, every frame of a TIFF;
pypdfium2, which comes with pdfplumber, renders a PDF's pages), blank pages skipped, and
``readers.ocr`` reads the others: it needs the ``ocr`` extra, and without it the message
says how to install it. The tables and lines found go through the PDF reader's assembly
(a table continued on the next page is joined the same way); every cell and line then
gets its box on the page and the OCR's confidence in its source, and each table's source
the mean confidence of its cells.
"""

from __future__ import annotations

import dataclasses
import io
from collections import defaultdict, deque
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from jixiao.ingest.raw import Block, Paragraph, RawCell, RawDocument, RawTable, ReadError
from jixiao.ingest.readers.pdf import _document, _Item, _Line
from jixiao.model import SourceRef

if TYPE_CHECKING:
    from jixiao.ingest.readers.ocr import ScannedPage

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
MISSING = (
    "读取扫描件和图片需要文字识别（OCR）组件，当前没有安装；"
    "请运行 pip install 'jixiao[ocr]' 安装后重试，或提供原始 Word/Excel 文件或带文字的 PDF"
)
NO_TEXT = "图片中没有识别出文字（空白图片，或不是表格、文件的照片）"
DAMAGED = "无法读取图片（文件已损坏、不完整或不是图片）"
PDF_DPI = 200  # a scanned PDF's pages rendered at this resolution: enough for 五号 print
_A4_LONG_SIDE = 11.69  # inches: an image's resolution is guessed from its size as A4
_MAX_DPI = 300  # finer images are scaled down: OCR reads no better, only slower
_BLANK = 0.001  # a page with fewer dark pixels than this share is blank
_COLOURED = 80  # channels this far apart: coloured ink, not gray print
_PAPER = 16  # pixels: a square of the page whose median shade is its paper's


def read_image_bytes(data: bytes, name: str) -> RawDocument:
    """Read an image of a page (or a multi-page TIFF) by OCR."""
    pages = image_pages(data)
    return read_scanned(name, pages, NO_TEXT)


def read_scanned_pdf(data: bytes, name: str, empty: str) -> RawDocument:
    """Read a PDF without a text layer by OCR of its rendered pages; ``empty`` is the
    message when nothing is found on them."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        pages = [
            (clean(pdf[i].render(scale=PDF_DPI / 72).to_numpy()[:, :, :3]), float(PDF_DPI))
            for i in range(len(pdf))
        ]
    finally:
        pdf.close()
    return read_scanned(name, pages, empty)


def read_scanned(name: str, pages: list[tuple[Any, float]], empty: str) -> RawDocument:
    """The document of page images (``clean`` gray arrays, each with its resolution)."""
    inked = [i for i, (image, _) in enumerate(pages) if not _blank(image)]
    if not inked:
        raise ReadError(empty)
    try:
        from jixiao.ingest.readers import ocr
    except ImportError as error:
        raise ReadError(MISSING) from error
    read = ocr.read_pages([pages[i][0] for i in inked], [pages[i][1] for i in inked])
    if not any(page.tables or page.lines for page in read):
        raise ReadError(empty)
    scanned = dict(zip(inked, read, strict=True))
    items = [_items(scanned[i], i + 1) if i in scanned else [] for i in range(len(pages))]
    return _with_boxes(_document(name, items), scanned)


def image_pages(data: bytes) -> list[tuple[Any, float]]:
    """Each frame of the image, cleaned, at no more than 300 dpi, with its dpi."""
    from PIL import Image, ImageOps, ImageSequence

    try:
        image = Image.open(io.BytesIO(data))
        frames = [
            ImageOps.exif_transpose(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)
        ]
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ReadError(f"{DAMAGED}：{error}") from error
    pages = []
    for frame in frames:
        dpi = _resolution(frame.size, image.info.get("dpi"))
        if dpi > _MAX_DPI:
            size = (round(frame.width * _MAX_DPI / dpi), round(frame.height * _MAX_DPI / dpi))
            frame, dpi = frame.resize(size, Image.Resampling.LANCZOS), float(_MAX_DPI)
        pages.append((clean(np.asarray(frame)), dpi))
    return pages


def clean(image: Any) -> Any:
    """A page as gray with coloured ink (a red stamp, a blue signature) lifted off and the
    print under it kept: each pixel's lightest channel, raised by its colour's spread times
    the ink's ``_tint`` (ink laid over paper darkens its lightest channel in step with its
    colour, whether the paper under it is bare or printed, so what is left is the paper's
    or the print's own shade: a ruling line under a stamp's ring stays whole, and the ring
    is gone). Gray keeps a page in a third of the memory."""
    lightest = image.max(axis=2)
    spread = lightest - image.min(axis=2)
    tint = _tint(lightest, spread)
    if tint == 0:
        return lightest
    lifted = lightest + spread.astype(np.float32) * tint
    return np.minimum(lifted, 255).astype(np.uint8)


def _tint(lightest: Any, spread: Any) -> float:
    """How much a strongly coloured pixel's lightest channel lies below the paper around it,
    per level of its colour's spread: the page's coloured ink measured against the
    median of its ``_PAPER`` square, mostly paper beside a stamp's strokes (0 when the page
    has no coloured ink)."""
    coloured = spread > _COLOURED
    if np.count_nonzero(coloured) < _BLANK * spread.size:
        return 0.0
    height, width = lightest.shape
    rows, columns = -(-height // _PAPER), -(-width // _PAPER)
    padded = np.full((rows * _PAPER, columns * _PAPER), 255, dtype=lightest.dtype)
    padded[:height, :width] = lightest
    squares = padded.reshape(rows, _PAPER, columns, _PAPER).transpose(0, 2, 1, 3)
    paper = np.median(squares.reshape(rows, columns, -1), axis=2)
    ys, xs = np.nonzero(coloured)
    below = paper[ys // _PAPER, xs // _PAPER].astype(np.float32) - lightest[ys, xs]
    return float(np.median(below / spread[ys, xs]))


def _resolution(size: tuple[int, int], stated: Any) -> float:
    """Pixels per inch of paper: as the file states it (a scanner writes it), otherwise as
    if the picture were an A4 page (a phone writes 72, which says nothing)."""
    if isinstance(stated, tuple) and stated and 100 <= float(stated[0]) <= 1200:
        return float(stated[0])
    return max(size) / _A4_LONG_SIDE


def _blank(gray: Any) -> bool:
    return bool(np.count_nonzero(gray < 128) < _BLANK * gray.size)


def _items(page: ScannedPage, number: int) -> list[_Item]:
    """A page's tables and lines, top to bottom, as the PDF reader assembles them."""
    placed: list[tuple[int, _Item]] = [
        (table.top, table.page_table(number)) for table in page.tables
    ]
    placed.extend((line.top, _Line(line.text, number)) for line in page.lines)
    placed.sort(key=lambda pair: pair[0])
    return [item for _, item in placed]


Found = tuple[tuple[int, ...] | None, float | None]


def _with_boxes(document: RawDocument, scanned: dict[int, ScannedPage]) -> RawDocument:
    """The document with each cell's and line's box and confidence in its source, found by
    page and text in reading order (the assembly keeps texts, not boxes)."""
    found: dict[tuple[int, str], deque[Found]] = defaultdict(deque)
    for index, page in scanned.items():
        for table in page.tables:
            for key in sorted(table.cells):
                cell = table.cells[key]
                found[(index + 1, _key(cell.text))].append((cell.box, cell.confidence))
        for line in page.lines:
            found[(index + 1, _key(line.text))].append((line.box, line.confidence))

    def place(source: SourceRef | None, text: str) -> SourceRef | None:
        queue = found.get((source.page or 0, _key(text))) if source is not None else None
        if source is None or not queue:
            return source
        box, confidence = queue.popleft()
        return _placed(source, box, confidence)

    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            blocks.append(Paragraph(block.text, place(block.source, block.text)))
        else:
            blocks.append(_table_with_boxes(block, place))
    return RawDocument(document.path, tuple(blocks), pages=document.pages)


def _table_with_boxes(
    table: RawTable, place: Callable[[SourceRef | None, str], SourceRef | None]
) -> RawTable:
    """Anchor cells placed; a merged position takes its anchor's box and confidence; the
    table's source the mean confidence of its cells."""
    rows = [list(row) for row in table.rows]
    for row in rows:
        for c, cell in enumerate(row):
            if cell.anchor is None and cell.text:
                row[c] = RawCell(cell.text, None, place(cell.source, cell.text))
    for row in rows:
        for c, cell in enumerate(row):
            anchor = rows[cell.anchor[0]][cell.anchor[1]].source if cell.anchor else None
            if cell.source is not None and anchor is not None and anchor.box is not None:
                found = _placed(cell.source, anchor.box, anchor.confidence)
                row[c] = RawCell(cell.text, cell.anchor, found)
    confidences = [
        cell.source.confidence
        for row in rows
        for cell in row
        if cell.anchor is None and cell.source is not None and cell.source.confidence is not None
    ]
    source = table.source
    if source is not None and confidences:
        source = _placed(source, None, sum(confidences, Decimal(0)) / len(confidences))
    return RawTable(tuple(tuple(row) for row in rows), source)


def _placed(
    source: SourceRef, box: tuple[int, ...] | None, confidence: float | Decimal | None
) -> SourceRef:
    value = None if confidence is None else Decimal(str(round(float(confidence), 3)))
    return dataclasses.replace(source, box=box, confidence=value)


def _key(text: str) -> str:
    return "".join(text.split())
