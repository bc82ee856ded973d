"""Scanned pages read by OCR: a page image → words with their boxes → tables and lines.

Needs the ``ocr`` extra: rapidocr-onnxruntime, whose wheel carries the PP-OCRv4 Chinese
detection and recognition models (run by onnxruntime, offline), and brings OpenCV. A page
is read in four steps:

1. (by ``readers.images``) cleaned: coloured ink (a red stamp, a blue signature) lifted
   off, the black print under it kept;
2. turned straight: the angle (±5°) that makes the rows of ink sharpest in a horizontal
   projection, found on a small copy, then applied to the page;
3. read by OCR into ``Word``s in the straightened page's pixels, with their confidence;
4. tables found from their ruling lines (OpenCV morphology): the lines cut the table into
   cells, a missing stretch of line joins two cells into a merged one; every word goes to
   the cell holding its middle, the words outside tables become lines of text. A page
   with no ruled table has its tables read from its words' positions (``readers.layout``).

Pages run side by side (one thread each, onnxruntime releases the GIL) on one engine; text
is found on one page at a time.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cache
from threading import Lock
from typing import Any

import cv2
import numpy as np
from rapidocr_onnxruntime import RapidOCR

from jixiao.ingest.readers.grid import Cell, Grid
from jixiao.ingest.readers.layout import WordTable, read_tables, unit
from jixiao.ingest.readers.pdfpages import PageTable
from jixiao.ingest.readers.words import Word

Box = tuple[int, int, int, int]  # x0, top, x1, bottom in the straightened page's pixels
Image = Any  # a numpy array: height × width (× 3 channels, BGR)

MAX_SKEW = 5.0  # degrees: a page turned further is not a scan but a photo to retake
_SMALL_WIDTH = 800  # the copy the skew is estimated on
WALL = 0.8  # the share of a cell's side a line must cover to divide it from the next
_MIN_SCORE = 0.4  # words recognised below this are noise (specks, a stamp's edge)
_DETECT_SIDE = 2000  # pixels: the long side of the copy lines of text are found on
_BATCH = 8  # lines of text recognised at once
_DETECTING = Lock()  # held while a page's lines of text are found
_INK = 15  # gray levels under its neighbourhood's mean that make a pixel ink
_MARGIN = 1 / 6  # of its height: how far a word's box reaches past its print


@dataclass(slots=True)
class ScannedCell:
    """One cell of a table as drawn (a merged cell once), with the words inside it."""

    box: Box
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(text_lines(self.words))

    @property
    def confidence(self) -> float | None:
        return min((w.confidence for w in self.words if w.confidence is not None), default=None)


@dataclass(slots=True)
class ScannedTable:
    """A table's cells (``anchors[r][c]``: the cell covering row r, column c) and its
    column edges in points (from the table's left edge, so pages compare whatever the
    scanner's margin)."""

    top: int
    cells: dict[tuple[int, int], ScannedCell]
    anchors: list[list[tuple[int, int]]]
    xs: list[float]
    right: float

    @property
    def box(self) -> Box:
        boxes = [cell.box for cell in self.cells.values()]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def page_table(self, page: int) -> PageTable:
        grid: Grid = [
            [
                Cell(self.cells[anchor].text, anchor if anchor != (r, c) else None, page)
                for c, anchor in enumerate(line)
            ]
            for r, line in enumerate(self.anchors)
        ]
        return PageTable(grid, self.xs, self.right)


@dataclass(slots=True)
class ScannedLine:
    """A line of text outside the tables."""

    top: int
    words: list[Word]

    @property
    def text(self) -> str:
        return join_line(sorted(self.words, key=lambda w: w.x0))

    @property
    def box(self) -> Box:
        return _union(self.words)

    @property
    def confidence(self) -> float | None:
        return min((w.confidence for w in self.words if w.confidence is not None), default=None)


@dataclass(slots=True)
class PlacedCell:
    """A cell of a table read from word positions: its text as read, and the box and least
    confidence of the words that make it up (none when they were not found)."""

    text: str
    box: Box | None
    confidence: float | None


@dataclass(slots=True)
class BorderlessTable:
    """A table without ruling read from the positions of its words (``readers.layout``)."""

    top: int
    table: PageTable
    cells: dict[tuple[int, int], PlacedCell]

    def page_table(self, page: int) -> PageTable:
        grid = [[replace(cell, page=page) for cell in row] for row in self.table.grid]
        return PageTable(grid, self.table.xs, self.table.right)


@dataclass(slots=True)
class ScannedPage:
    tables: list[ScannedTable | BorderlessTable]
    lines: list[ScannedLine]
    words: list[Word] = field(default_factory=list)  # of a page without a ruled table


@cache
def engine() -> RapidOCR:
    """One OCR engine for the process; each call runs on one core (pages go side by side).
    Lines of text are recognised in batches of ``_BATCH`` padded only to the longest of
    them (the engine's default pads every batch to 320 pixels: a cell's "10" cost as much
    as a line of 20 characters, and recognition took four times as long)."""
    return RapidOCR(
        use_cls=False,  # a form's text is never upside down
        intra_op_num_threads=1,
        inter_op_num_threads=1,
        rec_batch_num=_BATCH,
        rec_img_shape=[3, 48, 48],
        text_score=_MIN_SCORE,
    )


def read_pages(images: Iterable[Image], dpi: Sequence[float]) -> list[ScannedPage]:
    """Every page read, two at a time on two cores (pages keep their order); then, in
    order, the tables without ruling on pages with no ruled table (one may run on from
    the page before)."""
    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pages = list(pool.map(read_page, images, dpi))
    continued: WordTable | None = None
    for page, resolution in zip(pages, dpi, strict=True):
        found = read_tables(page.words, continued) if page.words else []
        continued = found[-1] if found else None
        if found:
            page.tables = [_borderless(table, page.words, resolution) for table in found]
            outside = [w for w in page.words if not any(_within(t, w) for t in found)]
            page.lines = _text_lines(outside)
    return pages


def read_page(image: Image, dpi: float) -> ScannedPage:
    """One page (gray, coloured ink washed out): straightened, read, cut into tables and
    lines; a page without ruled tables keeps its words for ``read_pages``."""
    gray = straighten(image)
    words = recognise(gray)
    binary = _ink(gray, dpi)
    found = (_table(region, dpi, words) for region in _table_regions(binary, dpi))
    ruled = [table for table in found if table is not None]
    outside = [w for w in words if not any(_holds(t.box, w) for t in ruled)]
    return ScannedPage([*ruled], _text_lines(outside), [] if ruled else words)


def _text_lines(words: list[Word]) -> list[ScannedLine]:
    return [ScannedLine(int(min(w.top for w in line)), line) for line in _group_lines(words)]


def _within(table: WordTable, word: Word) -> bool:
    x = (word.x0 + word.x1) / 2
    return table.x0 <= x <= table.x1 and table.top <= word.middle <= table.bottom


def _borderless(found: WordTable, words: list[Word], dpi: float) -> BorderlessTable:
    """A table read from word positions, its column edges in points from its left edge
    (as a ruled table's), each cell with the box and confidence of its words."""
    table, points = found.table, 72 / dpi
    xs = [(x - table.xs[0]) * points for x in table.xs]
    shifted = PageTable(table.grid, xs, (table.right - table.xs[0]) * points)
    inside = sorted((w for w in words if _within(found, w)), key=lambda w: (w.top, w.x0))
    cells: dict[tuple[int, int], PlacedCell] = {}
    for r, row in enumerate(table.grid):
        for c, cell in enumerate(row):
            if cell.anchor is None and cell.text.strip():
                span = c
                while span + 1 < len(row) and row[span + 1].anchor == (r, c):
                    span += 1
                left = table.xs[c]
                right = table.xs[span + 1] if span + 1 < len(table.xs) else found.x1 + 1
                cells[(r, c)] = _placed(cell.text, inside, left, right, unit(inside))
    return BorderlessTable(int(found.top), shifted, cells)


def _placed(text: str, words: list[Word], left: float, right: float, height: float) -> PlacedCell:
    """The cell's words: the topmost words not yet taken that start in its columns and
    whose text is still wanting in the cell's (taken from ``words``)."""
    wanting = "".join(text.split())
    mine: list[Word] = []
    for word in list(words):
        key = "".join(word.text.split())
        if not wanting:
            break
        if left - height / 2 <= word.x0 < right and key and key in wanting:
            wanting = wanting.replace(key, "", 1)
            mine.append(word)
            words.remove(word)
    if not mine:
        return PlacedCell(text, None, None)
    confidence = min((w.confidence for w in mine if w.confidence is not None), default=None)
    return PlacedCell(text, _union(mine), confidence)


def skew(gray: Image) -> float:
    """The angle (degrees, counter-clockwise) that sets the page's rows of ink level."""
    scale = _SMALL_WIDTH / gray.shape[1]
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]

    def sharpness(angle: float) -> float:
        profile = _rotate(ink, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=sharpness)
    return float(max(np.arange(best - 0.5, best + 0.51, 0.05), key=sharpness))


def straighten(gray: Image) -> Image:
    angle = skew(gray)
    return gray if abs(angle) < 0.05 else _rotate(gray, angle, 255)


def _rotate(image: Image, angle: float, background: int) -> Image:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=background
    )


def recognise(gray: Image) -> list[Word]:
    """The page's words (lines of text as the detector boxes them) with their confidence.
    The lines are found on a copy at most ``_DETECT_SIDE`` pixels long (finer, they are
    found no better; coarser, the text of cells next to each other runs together), one page
    at a time (the detector takes half a gigabyte a page: two at once passed 1.5 GiB), and
    read on the page itself, pages side by side."""
    ocr = engine()
    page = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    scale = min(1.0, _DETECT_SIDE / max(gray.shape))
    small = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    with _DETECTING:
        found, _ = ocr.text_det(small)
    if found is None or not len(found):
        return []
    boxes = [np.asarray(box / scale, dtype=np.float32) for box in ocr.sorted_boxes(found)]
    read, _ = ocr.text_rec(ocr.get_crop_img_list(page, boxes))
    words = []
    for points, (text, score, *_) in zip(boxes, read, strict=True):
        xs, ys = points[:, 0], points[:, 1]
        if text.strip() and score >= _MIN_SCORE:
            words.append(
                Word(
                    text.strip(),
                    float(xs.min()),
                    float(ys.min()),
                    float(xs.max()),
                    float(ys.max()),
                    float(score),
                )
            )
    return words


def _ink(gray: Image, dpi: float) -> Image:
    """Ink as 255 on 0, thresholded against the neighbourhood (uneven light in photos)."""
    block = int(dpi / 4) | 1
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, _INK
    )


@dataclass(slots=True)
class _Region:
    """A table's ruling lines: masks of the horizontal and vertical strokes in its box."""

    x0: int
    top: int
    horizontal: Image
    vertical: Image


def _table_regions(binary: Image, dpi: float) -> list[_Region]:
    """Areas of crossing ruling lines big enough to be a table (at least an inch wide)."""
    horizontal = _strokes(binary, (max(9, int(dpi * 0.25)), 1), dpi)
    vertical = _strokes(binary, (1, max(9, int(dpi * 0.17))), dpi)
    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal | vertical, connectivity=8)
    regions = []
    for x, y, w, h, _area in stats[1:count]:
        if w < dpi or h < dpi * 0.2:
            continue
        hs, vs = horizontal[y : y + h, x : x + w], vertical[y : y + h, x : x + w]
        regions.append(_Region(int(x), int(y), hs, vs))
    return sorted(regions, key=lambda r: r.top)


def _strokes(binary: Image, size: tuple[int, int], dpi: float) -> Image:
    """Straight strokes at least ``size`` long. The ink is first thickened across them: a
    thin line on a turned page, thresholded, runs in steps between two rows of pixels.
    Small breaks (noise, faint print) are closed."""
    across = int(dpi / 100) * 2 + 1
    thick = (1, across) if size[0] > size[1] else (across, 1)
    found = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, thick))
    found = cv2.morphologyEx(found, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
    gap = max(3, int(dpi / 30))
    bridge = (gap, 1) if size[0] > size[1] else (1, gap)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, bridge)
    return cv2.morphologyEx(found, cv2.MORPH_CLOSE, kernel)


def _edges(mask: Image, axis: int, least: float, join: int) -> list[int]:
    """Where the lines of a mask run: middles of the runs of rows (axis 1) or columns
    (axis 0) with at least ``least`` pixels of line. Runs fewer than ``join`` apart are one
    line (a line a little aslant, or thickened unevenly, fills two runs side by side: taken
    for two lines, they would make a cell too narrow to have walls)."""
    filled = np.flatnonzero((mask > 0).sum(axis=axis) >= least)
    runs: list[list[int]] = []
    for i in filled.tolist():
        if runs and i - runs[-1][1] <= join:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [(start + end) // 2 for start, end in runs]


def _table(region: _Region, dpi: float, words: list[Word]) -> ScannedTable | None:
    """The cells of one table: the grid of its lines, merged where a wall is missing."""
    reach = max(2, int(dpi / 50))
    ys = _edges(region.horizontal, 1, dpi * 0.25, 3 * reach)
    xs = _edges(region.vertical, 0, dpi * 0.12, 3 * reach)
    words = [piece for word in words for piece in _cut(word, region, xs, reach)]
    for _ in range(2):  # a stroke of print taken for a line divides no cells: dropped
        walls = _walls(region, xs, ys, reach, words)
        xs = [
            x for i, x in enumerate(xs) if i in (0, len(xs) - 1) or walls.vertical[:, i - 1].any()
        ]
        walls = _walls(region, xs, ys, reach, words)
        ys = [y for i, y in enumerate(ys) if i in (0, len(ys) - 1) or walls.horizontal[i - 1].any()]
    if len(ys) < 2 or len(xs) < 2:
        return None
    walls = _walls(region, xs, ys, reach, words)
    anchors = walls.anchors()
    rows, columns = len(ys) - 1, len(xs) - 1
    cells: dict[tuple[int, int], ScannedCell] = {}
    for r in range(rows):
        for c in range(columns):
            a = anchors[r][c]
            box = (
                xs[c] + region.x0,
                ys[r] + region.top,
                xs[c + 1] + region.x0,
                ys[r + 1] + region.top,
            )
            cell = cells.get(a)
            cells[a] = ScannedCell(box if cell is None else _merge(cell.box, box))
    inner = (xs[0] + region.x0, ys[0] + region.top, xs[-1] + region.x0, ys[-1] + region.top)
    for word in words:
        x, y = (word.x0 + word.x1) / 2 - region.x0, word.middle - region.top
        if _holds(inner, word):
            c = bisect.bisect_right(xs, x) - 1
            r = bisect.bisect_right(ys, y) - 1
            cells[anchors[r][c]].words.append(word)
    if not any(cell.words for cell in cells.values()):
        return None  # ruled lines with nothing in them: a frame, a drawing, a filled box
    points = 72 / dpi
    return ScannedTable(
        region.top + ys[0],
        cells,
        anchors,
        [(x - xs[0]) * points for x in xs[:-1]],
        (xs[-1] - xs[0]) * points,
    )


def _cut(word: Word, region: _Region, xs: list[int], reach: int) -> list[Word]:
    """A word cut where a ruling line runs right through it, beyond its top and bottom (the
    detector ran the text of two cells together: "10" and "85" read as "1085"); its
    characters shared out by their widths. A stroke of the word's own print ends inside its
    box: no cut there."""
    top, bottom = int(word.top) - region.top - reach, int(word.bottom) - region.top + reach
    pieces, rest = [], word
    for x in xs[1:-1]:
        at = x + region.x0
        if not rest.x0 + reach < at < rest.x1 - reach or top < 0:
            continue
        band = region.vertical[top : bottom + 1, max(0, x - reach) : x + reach + 1]
        if band.shape[0] < bottom - top + 1 or not band.any(axis=1).all():
            continue
        left, right = _split(rest, at)
        if left is not None:
            pieces.append(left)
        if right is None:
            return pieces
        rest = right
    return [*pieces, rest]


def _split(word: Word, at: float) -> tuple[Word | None, Word | None]:
    """The word's characters left and right of ``at`` (its box shared out by character
    widths: a Chinese character or full-width sign twice a digit's); an empty side None."""
    widths = [1.0 if ord(ch) > 0x2E7F else 0.55 for ch in word.text]
    share = (at - word.x0) / (word.x1 - word.x0) * sum(widths)
    cut = min(range(len(widths) + 1), key=lambda k: abs(sum(widths[:k]) - share))
    left, right = word.text[:cut].strip(), word.text[cut:].strip()
    return (
        Word(left, word.x0, word.top, at, word.bottom, word.confidence) if left else None,
        Word(right, at, word.top, word.x1, word.bottom, word.confidence) if right else None,
    )


def _holds(box: Box | tuple[float, ...], word: Word) -> bool:
    """Whether the word's middle lies inside the box."""
    x = (word.x0 + word.x1) / 2
    return box[0] < x < box[2] and box[1] < word.middle < box[3]


@dataclass(slots=True)
class _Walls:
    """``vertical[r, c]``: a line between cells (r, c) and (r, c + 1); ``horizontal[r, c]``:
    between (r, c) and (r + 1, c)."""

    vertical: Image
    horizontal: Image

    def anchors(self) -> list[list[tuple[int, int]]]:
        """Each grid cell's merged cell, named by its top-left: cells with no wall between
        them are one."""
        rows, columns = self.horizontal.shape[0] + 1, self.vertical.shape[1] + 1
        parent = {(r, c): (r, c) for r in range(rows) for c in range(columns)}

        def find(p: tuple[int, int]) -> tuple[int, int]:
            while parent[p] != p:
                p = parent[p]
            return p

        def unite(a: tuple[int, int], b: tuple[int, int]) -> None:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)

        for r in range(rows):
            for c in range(columns):
                if c + 1 < columns and not self.vertical[r, c]:
                    unite((r, c), (r, c + 1))
                if r + 1 < rows and not self.horizontal[r, c]:
                    unite((r, c), (r + 1, c))
        return [[find((r, c)) for c in range(columns)] for r in range(rows)]


def _walls(region: _Region, xs: list[int], ys: list[int], reach: int, words: list[Word]) -> _Walls:
    """The walls between the grid's cells: a line along the side (``_wall``) that crosses
    no word (a stroke of print next to its cell's line is no wall)."""
    rows, columns = len(ys) - 1, len(xs) - 1
    vertical = np.zeros((max(rows, 0), max(columns - 1, 0)), dtype=bool)
    horizontal = np.zeros((max(rows - 1, 0), max(columns, 0)), dtype=bool)
    for r in range(rows):
        for c in range(columns - 1):
            vertical[r, c] = _wall(region.vertical, xs[c + 1], ys[r], ys[r + 1], reach, 0)
    for r in range(rows - 1):
        for c in range(columns):
            horizontal[r, c] = _wall(region.horizontal, ys[r + 1], xs[c], xs[c + 1], reach, 1)
    for word in words:
        inset = (word.bottom - word.top) * _MARGIN
        x0, top = word.x0 - region.x0 + inset, word.top - region.top + inset
        x1, bottom = word.x1 - region.x0 - inset, word.bottom - region.top - inset
        r = bisect.bisect_right(ys, word.middle - region.top) - 1
        c = bisect.bisect_right(xs, (word.x0 + word.x1) / 2 - region.x0) - 1
        if 0 <= r < rows:
            for i in range(1, columns):
                if x0 < xs[i] < x1:
                    vertical[r, i - 1] = False
        if 0 <= c < columns:
            for i in range(1, rows):
                if top < ys[i] < bottom:
                    horizontal[i - 1, c] = False
    return _Walls(vertical, horizontal)


def _wall(mask: Image, at: int, start: int, end: int, reach: int, axis: int) -> bool:
    """Whether a line runs along ``at`` from ``start`` to ``end``: nearly all the way and
    into the lines at both ends, as a cell's wall does (a stroke of print, even one as tall
    as a one-line cell, stops short of the lines around its cell)."""
    first = max(0, start - reach)
    if axis == 0:  # a vertical wall at x = at, from y = start to end
        along = mask[first : end + reach + 1, max(0, at - reach) : at + reach + 1].any(axis=1)
    else:
        along = mask[max(0, at - reach) : at + reach + 1, first : end + reach + 1].any(axis=0)
    inner = along[start + reach - first : end - reach - first]
    ends = along[: start + reach + 1 - first], along[end - reach - first :]
    return bool(inner.size) and float(inner.mean()) > WALL and all(e.any() for e in ends)


def _merge(a: Box, b: Box) -> Box:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _union(words: Sequence[Word]) -> Box:
    return (
        int(min(w.x0 for w in words)),
        int(min(w.top for w in words)),
        int(max(w.x1 for w in words)),
        int(max(w.bottom for w in words)),
    )


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Words on the same line (their middles within each other's height), top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        for line in lines:
            last = line[-1]
            if last.top <= word.middle <= last.bottom or word.top <= last.middle <= word.bottom:
                line.append(word)
                break
        else:
            lines.append([word])
    return sorted(lines, key=lambda line: min(w.top for w in line))


def text_lines(words: list[Word]) -> list[str]:
    """A cell's words as lines of text, top to bottom."""
    return [join_line(sorted(line, key=lambda w: w.x0)) for line in _group_lines(words)]


def join_line(words: Sequence[Word]) -> str:
    """Words of one line, left to right: a gap wider than a character becomes a space (where
    one cell of a table that lost its grid ends), a narrower one nothing (Chinese has no
    word spaces)."""
    out = ""
    for previous, word in zip([None, *words], words, strict=False):
        if previous is not None and word.x0 - previous.x1 > (word.bottom - word.top):
            out += " "
        out += word.text
    return out
