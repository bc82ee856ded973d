"""Tables without ruling read from the positions of their words.

A borderless self-evaluation table (or one drawn with horizontal rules only, or a scanned
page read by OCR) has no cell boxes: only words with their boxes. The table is found from
the forms' words (项目名称, 主管部门, 一级指标 …) and read back into the dense grid the
ruled path produces:

- words on one line close together are one phrase (a cell's line);
- columns are where phrases start (cells are written left-aligned): the x0 of the phrases
  clustered, a phrase belonging to the column it starts in and covering the columns its
  text reaches across (a merged cell);
- a column's phrases stacked line under line form blocks (a cell wrapped over lines);
- the table is cut vertically into bands at its header rows (the funds header, the
  indicator header), because each part has its own columns and its own rows;
- in a band, rows follow the *spine*, the leftmost column with (nearly) a cell on every row
  (三级指标, the funds row labels): a row starts where a spine cell starts, or where cells
  of two columns start together (the 总分 row); a block belongs to the row its middle lies
  in, which holds for top-aligned and vertically centred cells alike;
- the columns left of the spine hold merged labels (一级, 二级, 项目资金, 年度总体目标):
  a label covers the rows down to the next label, as a merged cell does; a vertically
  centred one the rows around it.

Every tolerance is a fraction of the words' height, so page points and image pixels are
read alike; nothing here knows pdfplumber.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from jixiao.ingest.cells import amount
from jixiao.ingest.forms.roles import funds_role, indicator_role
from jixiao.ingest.forms.vocabulary import NAME_LABELS
from jixiao.ingest.readers.grid import Cell, Grid, Position, squash
from jixiao.ingest.readers.pdfpages import PageTable
from jixiao.ingest.readers.words import Word

# Fractions of the median word height.
PHRASE_GAP = 0.6  # words closer than this on a line are one phrase
COLUMN_TOLERANCE = 0.5  # phrases starting this close start the same column
WRAP_GAP = 0.7  # lines closer than this (bottom to top) are one cell wrapped
ALIGNED = 0.35  # tops this close are level
CENTRED = 0.6  # a centred label's middle is this close to the middle of its rows
HEADER_ROLES = 3  # header cells naming this many columns make a band's header row

# Labels that open a self-evaluation table (a title line holds none of them by itself).
START_LABELS = (
    *NAME_LABELS,
    "主管部门",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年初预算",
)
START_WORDS = frozenset({"一级", "二级", "三级", "绩效"})
# Lines under a table that are no part of it.
FOOTER_LABELS = (
    "填表人",
    "填报人",
    "填表日期",
    "填报日期",
    "联系人",
    "联系电话",
    "审核人",
    "负责人",
    "单位负责人",
    "财务负责人",
    "项目负责人",
)
_OPENING = re.compile(r"^[（(]")
_CLOSING = re.compile(r"^[^（(]*[）)]$")
_Item = TypeVar("_Item", Word, "Phrase")


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words of one line close together: a cell's line."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class _Block:
    """A cell's lines: phrases of one column stacked closely."""

    column: int
    phrases: list[Phrase]

    @property
    def top(self) -> float:
        return min(p.top for p in self.phrases)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.phrases)

    @property
    def right(self) -> float:
        return max(p.x1 for p in self.phrases)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        lines: list[list[Phrase]] = []
        for phrase in sorted(self.phrases, key=lambda p: (p.top, p.x0)):
            if (
                lines
                and phrase.top < lines[-1][0].bottom - 1e-9
                and phrase.middle > lines[-1][0].top
            ):
                lines[-1].append(phrase)
            else:
                lines.append([phrase])
        return "\n".join(" ".join(p.text for p in line) for line in lines)


@dataclass(slots=True)
class WordTable:
    """A table read from word positions, where it lies on the page, and its columns."""

    table: PageTable
    top: float
    bottom: float
    x0: float
    x1: float
    spine: int = 0  # the spine column of its last band: a continuation's rows follow it


@dataclass(slots=True)
class _Rows:
    """A band's rows: where each starts (its first text), where each is bounded (between
    the text of one and of the next), and whether cells are centred vertically in them."""

    tops: list[float]
    bounds: list[float]  # len(tops) + 1
    centred: bool

    def centre(self, first: int, last: int) -> float:
        return (self.bounds[first] + self.bounds[last + 1]) / 2


def phrases(words: Sequence[Word]) -> list[Phrase]:
    """Words joined into phrases: same line, closer than ``PHRASE_GAP`` heights."""
    height = unit(words)
    out: list[Phrase] = []
    for line in _lines([w for w in words if w.text.strip()]):
        current: list[Word] = []
        for word in sorted(line, key=lambda w: w.x0):
            if current and word.x0 - current[-1].x1 > PHRASE_GAP * height:
                out.append(_phrase(current))
                current = []
            current.append(word)
        if current:
            out.append(_phrase(current))
    return out


def unit(words: Sequence[Word | Phrase]) -> float:
    """The median height of the words: the measure of every tolerance."""
    heights = [w.bottom - w.top for w in words if w.bottom > w.top]
    return statistics.median(heights) if heights else 1.0


def _phrase(words: list[Word]) -> Phrase:
    text = " ".join(w.text.strip() for w in words)
    return Phrase(
        text,
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )


def _lines(items: Sequence[_Item]) -> list[list[_Item]]:
    """Items grouped into lines: an item whose middle lies within the line's first item."""
    lines: list[list[_Item]] = []
    for item in sorted(items, key=lambda i: (i.top, i.x0)):
        line = lines[-1] if lines else None
        if line is not None and line[0].top <= item.middle <= line[0].bottom:
            line.append(item)
        else:
            lines.append([item])
    return lines


def read_tables(words: Sequence[Word], continued: WordTable | None = None) -> list[WordTable]:
    """The self-evaluation tables among a page's words, top to bottom. ``continued``: the
    table the previous page ended in; lines at the top of this page in its columns are
    read as its continuation (in its columns, so ``run_on`` joins them)."""
    found = phrases(words)
    if not found:
        return []
    height = unit(found)
    lines = _lines(found)
    out: list[WordTable] = []
    start = 0
    if continued is not None and _continues(lines, continued.table, height):
        end = _end(lines, 0, height)
        out.append(_read(lines[:end], height, continued))
        start = end
    while True:
        begin = next((i for i in range(start, len(lines)) if _opens(lines[i])), None)
        if begin is None:
            return out
        end = _end(lines, begin + 1, height)
        table = _read(lines[begin:end], height)
        if table.table.grid:
            out.append(table)
        start = end


def _opens(line: list[Phrase]) -> bool:
    return any(
        key.startswith(START_LABELS) or key in START_WORDS for key in (squash(p.text) for p in line)
    )


def _continues(lines: list[list[Phrase]], table: PageTable, height: float) -> bool:
    """The page starts in the columns of ``table``: its first line's phrases start on
    them (at least two, or one beside the first column)."""
    if not table.xs or not lines or _opens(lines[0]):
        return False
    if _closes(lines[0], table.xs[0], table.right, height):
        return False
    starts = [p.x0 for p in lines[0]]
    on = [x for x in starts if min(abs(x - c) for c in table.xs) <= COLUMN_TOLERANCE * height]
    return len(on) == len(starts) and (len(on) >= 2 or on[0] > table.xs[0] + height)


def _end(lines: list[list[Phrase]], first: int, height: float) -> int:
    """Index of the first line after ``first`` that is no part of the table: a footer
    (填表人 …), a title (…自评表), another table's opening, or running text."""
    left = min((p.x0 for line in lines[:first] for p in line), default=0.0)
    right = max((p.x1 for line in lines[:first] for p in line), default=0.0)
    for i in range(first, len(lines)):
        line = lines[i]
        if _closes(line, left, right, height) or (_opens(line) and _titled(lines, i)):
            return i
        left = min(left, *(p.x0 for p in line))
        right = max(right, *(p.x1 for p in line))
    return len(lines)


def _closes(line: list[Phrase], left: float, right: float, height: float) -> bool:
    first = squash(line[0].text)
    if first.startswith(FOOTER_LABELS) or (len(line) == 1 and first.endswith("自评表")):
        return True
    phrase = line[0]
    running = phrase.x0 <= left + height and phrase.x1 - phrase.x0 >= 0.6 * (right - left)
    return len(line) == 1 and running and len(first) >= 20


def _titled(lines: list[list[Phrase]], i: int) -> bool:
    """A name label seen again (项目名称 of a second table) starts a new table."""
    return any(squash(p.text).startswith(NAME_LABELS) for p in lines[i])


def _read(
    lines: list[list[Phrase]], height: float, continued: WordTable | None = None
) -> WordTable:
    """The table on ``lines``; in the columns and along the spine of ``continued``."""
    found = [p for line in lines for p in line]
    columns = continued.table.xs if continued else _columns(found, height)
    blocks = _blocks(found, columns, height)
    grid: Grid = []
    spine = continued.spine if continued else None
    for band in _bands(blocks):
        rows, spine = _band_grid(band, columns, height, len(grid), spine if not grid else None)
        grid.extend(rows)
    x1 = max(p.x1 for p in found)
    table = PageTable(grid, list(columns), continued.table.right if continued else x1)
    top, bottom = min(p.top for p in found), max(p.bottom for p in found)
    return WordTable(table, top, bottom, min(p.x0 for p in found), x1, spine or 0)


def _columns(found: list[Phrase], height: float) -> list[float]:
    """Column left edges: where phrases start, starts within ``COLUMN_TOLERANCE`` one."""
    lefts: list[float] = []
    for x in sorted(p.x0 for p in found):
        if not lefts or x - lefts[-1] > COLUMN_TOLERANCE * height:
            lefts.append(x)
    return lefts


def _column(columns: list[float], x: float, height: float) -> int:
    """The column a phrase starting at ``x`` is in: the last one starting at or before it."""
    reach = x + COLUMN_TOLERANCE * height
    return max((i for i, left in enumerate(columns) if left <= reach), default=0)


def _blocks(found: list[Phrase], columns: list[float], height: float) -> list[_Block]:
    """Phrases stacked in one column, closer than ``WRAP_GAP`` heights: one cell each."""
    by_column: dict[int, list[Phrase]] = {}
    for phrase in found:
        by_column.setdefault(_column(columns, phrase.x0, height), []).append(phrase)
    blocks: list[_Block] = []
    for column, stacked in by_column.items():
        current: _Block | None = None
        for phrase in sorted(stacked, key=lambda p: (p.top, p.x0)):
            if current is not None and phrase.top - current.bottom <= WRAP_GAP * height:
                current.phrases.append(phrase)
            else:
                current = _Block(column, [phrase])
                blocks.append(current)
    return sorted(blocks, key=lambda b: (b.top, b.column))


def _bands(blocks: list[_Block]) -> list[list[_Block]]:
    """The blocks cut at the top of each header row (cells naming three funds or indicator
    columns side by side); the part above the first header is a band of its own."""
    header = [b for b in blocks if _role(b) is not None]
    cuts: list[float] = []
    for block in header:
        level = [
            b
            for b in header
            if b.top <= block.middle <= b.bottom or block.top <= b.middle <= block.bottom
        ]
        funds = {funds_role(squash(b.text)) for b in level} - {None, "reason"}
        indicators = {indicator_role(squash(b.text)) for b in level} - {None}
        if max(len(funds), len(indicators)) >= HEADER_ROLES:
            top = min(b.top for b in level)
            if not cuts or top > cuts[-1] + (block.bottom - block.top):
                cuts.append(top)
    bands: list[list[_Block]] = []
    for lower, upper in zip([float("-inf"), *cuts], [*cuts, float("inf")], strict=True):
        inside = [b for b in blocks if lower <= b.top < upper]
        if inside:
            bands.append(inside)
    return bands


def _role(block: _Block) -> str | None:
    text = squash(block.text)
    return funds_role(text) or indicator_role(text)


def _band_grid(
    blocks: list[_Block], columns: list[float], height: float, first: int, spine: int | None
) -> tuple[Grid, int]:
    """The band's rows as a dense grid over ``columns`` (its first row the table's row
    ``first``), and its spine (``spine`` when given: a page continuing a table)."""
    blocks = _joined_parts(blocks, height)
    if spine is None:
        spine = _spine(blocks)
    tops = _row_tops(blocks, spine, height)
    placed: dict[int, list[_Block]] = {}
    for block in blocks:
        placed.setdefault(_row_of(tops, block.middle), []).append(block)
    kept = sorted(placed)  # rows where no cell starts are gaps of centred cells
    cells: dict[Position, _Block] = {}
    for i, r in enumerate(kept):
        for block in placed[r]:
            held = cells.get((i, block.column))
            phrases = [*held.phrases, *block.phrases] if held else block.phrases
            cells[(i, block.column)] = _Block(block.column, phrases)
    rows = _rows(cells, [tops[r] for r in kept], spine, height)
    labels, spans = _label_spans(cells, rows, spine, height)
    return _dense(labels, spans, len(kept), columns, height, first), spine


def _spine(blocks: list[_Block]) -> int:
    """The leftmost of the columns holding the most cells of text (figures do not count:
    the 分值 column has a cell on the 总分 row too)."""
    counts: dict[int, int] = {}
    for block in blocks:
        if amount(block.text) is None:
            counts[block.column] = counts.get(block.column, 0) + 1
    if not counts:
        return min(b.column for b in blocks)
    most = max(counts.values())
    return min(c for c, n in counts.items() if n == most)


def _joined_parts(blocks: list[_Block], height: float) -> list[_Block]:
    """Blocks with a bracketed line a paragraph under them ("产出指标" / "（50分）", two
    paragraphs of one cell) joined into one."""
    out: list[_Block] = []
    for block in sorted(blocks, key=lambda b: (b.column, b.top)):
        above = out[-1] if out and out[-1].column == block.column else None
        close = above is not None and block.top - above.bottom <= 2 * height
        if above is not None and close and _OPENING.match(block.text):
            out[-1] = _Block(block.column, [*above.phrases, *block.phrases])
        else:
            out.append(block)
    return sorted(out, key=lambda b: (b.top, b.column))


def _row_tops(blocks: list[_Block], spine: int, height: float) -> list[float]:
    """Where rows start: the band's first cell, every spine cell, and every height where
    cells of two columns start together outside a spine cell."""
    tolerance = ALIGNED * height
    spine_blocks = [b for b in blocks if b.column == spine]
    tops = [blocks[0].top, *(b.top for b in spine_blocks)]
    for block in blocks:
        level = {b.column for b in blocks if abs(b.top - block.top) <= tolerance}
        inside = any(s.top + tolerance < block.top < s.bottom for s in spine_blocks)
        if len(level) >= 2 and not inside:
            tops.append(block.top)
    merged: list[float] = []
    for top in sorted(tops):
        if not merged or top - merged[-1] > tolerance:
            merged.append(top)
    return merged


def _row_of(tops: list[float], y: float) -> int:
    return max((i for i, top in enumerate(tops) if top <= y), default=0)


def _rows(cells: dict[Position, _Block], tops: list[float], spine: int, height: float) -> _Rows:
    """Row bounds halfway between the text of one row and the next (cells from the spine
    rightwards: labels span rows), and whether those cells are centred vertically: most
    rows with cells of unequal heights have them not level."""
    count = len(tops)
    body: list[list[_Block]] = [[] for _ in range(count)]
    for (r, c), block in cells.items():
        if c >= spine:
            body[r].append(block)
    uppers = [min((b.top for b in row), default=top) for row, top in zip(body, tops, strict=True)]
    lowers = [
        max((b.bottom for b in row), default=top + height)
        for row, top in zip(body, tops, strict=True)
    ]
    bounds = [uppers[0] - ALIGNED * height]
    bounds += [(lowers[r - 1] + uppers[r]) / 2 for r in range(1, count)]
    bounds.append(lowers[-1] + ALIGNED * height)
    telling = [row for row in body if _spread(row, "height") > ALIGNED * height]
    level = [row for row in telling if _spread(row, "top") <= ALIGNED * height]
    return _Rows(tops, bounds, centred=len(level) < len(telling) / 2)


def _spread(blocks: list[_Block], measure: str) -> float:
    """How far the blocks' tops (or heights) differ: cells of unequal heights in one row
    tell top-aligned cells (level tops) from centred ones."""
    values = [b.top if measure == "top" else b.bottom - b.top for b in blocks]
    return max(values) - min(values) if values else 0.0


def _label_spans(
    cells: dict[Position, _Block], rows: _Rows, spine: int, height: float
) -> tuple[dict[Position, _Block], dict[Position, int]]:
    """Labels left of the spine at the first row they cover, and the last row each covers
    (merged cells). Top-aligned, a label covers the rows down to the next label in its
    column or left of it; centred, the most rows around it whose middle is its middle."""
    placed = {p: b for p, b in cells.items() if p[1] >= spine}
    spans: dict[Position, int] = {}
    last = len(rows.tops) - 1
    below: dict[int, int] = {}  # column → the last row its labels cover so far
    labels = sorted((p for p in cells if p[1] < spine), key=lambda p: (p[1], p[0]))
    for r, c in labels:
        block = cells[(r, c)]
        stop = next(
            (
                k - 1
                for k in range(r + 1, last + 1)
                if (k, c) in cells or any((k, j) in placed for j in range(c))
            ),
            last,
        )
        first, end = r, stop
        if c not in below and _CLOSING.match(block.text):  # "分）": the rest of a label
            first = end = 0  # broken by the page end, the first row joins it (run_on)
        elif rows.centred:
            lowest = max([below.get(c, -1) + 1, *(m for (m, j) in placed if j < c and m <= r)])
            first, end = _centred_span(rows, block.middle, min(lowest, r), r, stop, height)
        placed[(first, c)] = block
        spans[(first, c)] = end
        below[c] = end
    return placed, spans


def _centred_span(
    rows: _Rows, middle: float, lowest: int, row: int, stop: int, height: float
) -> tuple[int, int]:
    """The widest run of rows from ``lowest`` … ``row`` to ``row`` … ``stop`` whose middle
    is ``middle`` (within ``CENTRED`` heights); else the run whose middle is nearest."""
    runs = [(a, b) for a in range(lowest, row + 1) for b in range(row, stop + 1)]

    def rank(run: tuple[int, int]) -> tuple[bool, float]:
        off = abs(rows.centre(*run) - middle)
        return (off > CENTRED * height, off if off > CENTRED * height else run[0] - run[1])

    return min(runs, key=rank)


def _dense(
    cells: dict[Position, _Block],
    spans: dict[Position, int],
    height: int,
    columns: list[float],
    unit: float,
    first: int,
) -> Grid:
    """The grid: each block in its cell, covering the rows of its span and the columns its
    text reaches across (positions no other cell holds)."""
    grid: Grid = [[Cell("") for _ in columns] for _ in range(height)]
    taken: set[Position] = set(cells)
    for (r, c), block in sorted(cells.items()):
        text = block.text
        grid[r][c] = Cell(text)
        reach = block.right - COLUMN_TOLERANCE * unit
        across = [c, *(j for j in range(c + 1, len(columns)) if columns[j] < reach)]
        across = across[
            : next((i for i, j in enumerate(across) if (r, j) in taken and j != c), len(across))
        ]
        for row in range(r, spans.get((r, c), r) + 1):
            for j in across:
                if (row, j) != (r, c) and (row, j) not in taken:
                    grid[row][j] = Cell(text, (first + r, c))
                    taken.add((row, j))
    return grid
