"""Grid helpers shared by the office readers: spans to dense grids, split tables joined.

Readers first build a ``Grid`` (rows of ``Cell``: text, anchor of the merged region, and
the page for PDF), then turn it into a ``RawTable`` with the sources they know.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from jixiao.ingest.raw import Paragraph, RawCell, RawTable
from jixiao.model import SourceRef

Position = tuple[int, int]
MAX_SPAN = 1000  # a colspan/rowspan of 10**9 is an attack or a typo, never a table


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    anchor: Position | None = None
    page: int | None = None


Grid = list[list[Cell]]


def squash(text: str) -> str:
    """Text without any whitespace: how cells are compared (Chinese has no word spaces)."""
    return "".join(text.split())


class GridBuilder:
    """Places cells with spans into a dense grid; covered positions remember their anchor."""

    def __init__(self) -> None:
        self._texts: dict[Position, str] = {}
        self._anchors: dict[Position, Position] = {}

    def occupied(self, row: int, column: int) -> bool:
        return (row, column) in self._anchors

    def anchor_of(self, row: int, column: int) -> Position | None:
        """The top-left of the cell covering a position, or None when it is empty."""
        return self._anchors.get((row, column))

    def put(self, row: int, column: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """A cell at (row, column) spanning the given extent; occupied positions are kept."""
        position = (row, column)
        self._texts[position] = text
        self._anchors[position] = position
        if rowspan <= 1 and colspan <= 1:
            return  # most cells: nothing more to cover
        for r in range(row, row + min(max(rowspan, 1), MAX_SPAN)):
            for c in range(column, column + min(max(colspan, 1), MAX_SPAN)):
                self._anchors.setdefault((r, c), (row, column))

    def cover(self, row: int, column: int, anchor: Position) -> None:
        """Mark a position as part of the merged region whose top-left is ``anchor``."""
        self._anchors.setdefault((row, column), anchor)

    def grid(self, rows: int | None = None, page: int | None = None) -> Grid:
        """The dense grid; ``rows`` cuts off spans that run past the last real row."""
        if not self._anchors:
            return []
        height = rows if rows is not None else 1 + max(r for r, _ in self._anchors)
        width = 1 + max(c for _, c in self._anchors)
        out: Grid = []
        for r in range(height):
            line = []
            for c in range(width):
                anchor = self._anchors.get((r, c))
                if anchor is None:
                    line.append(Cell("", None, page))
                else:
                    covered = anchor if anchor != (r, c) else None
                    line.append(Cell(self._texts.get(anchor, ""), covered, page))
            out.append(line)
        return out


def join(first: Grid, second: Grid) -> Grid:
    """One table continued by another (the next page, or Word tables with nothing between):
    rows appended, a repeated header row dropped, the second part's anchors shifted."""
    drop = 1 if first and second and _row_texts(first[0]) == _row_texts(second[0]) else 0
    offset = len(first) - drop
    rows: Grid = [list(row) for row in first]
    for line in second[drop:]:
        moved = []
        for cell in line:
            anchor = cell.anchor
            if anchor is not None:
                anchor = (anchor[0] + offset, anchor[1]) if anchor[0] >= drop else None
            moved.append(replace(cell, anchor=anchor))
        rows.append(moved)
    return rows


def _row_texts(row: list[Cell]) -> list[str]:
    return [squash(cell.text) for cell in row]


def width(grid: Grid) -> int:
    return max((len(row) for row in grid), default=0)


def to_table(
    grid: Grid,
    source: Callable[[int, int, Cell], SourceRef],
    table_source: SourceRef | None,
) -> RawTable:
    """The RawTable for a grid; ``source(r, c, cell)`` gives each position's (0-based) source."""
    rows = tuple(
        tuple(RawCell(cell.text, cell.anchor, source(r, c, cell)) for c, cell in enumerate(line))
        for r, line in enumerate(grid)
    )
    return RawTable(rows, table_source)


def numbered_table(grid: Grid, file: str, number: int) -> RawTable:
    """A table whose sources are (table, row, column) positions in the table itself."""

    def source(r: int, c: int, cell: Cell) -> SourceRef:
        return SourceRef(file=file, page=cell.page, table=number, row=r + 1, column=c + 1)

    page = grid[0][0].page if grid and grid[0] else None
    return to_table(grid, source, SourceRef(file=file, page=page, table=number))


def paragraphs(
    text: str, file: str, page: int | None = None, line: int | None = None
) -> Iterable[Paragraph]:
    """One Paragraph per non-blank line of a text, as the text reader does."""
    for part in text.splitlines():
        stripped = part.strip()
        if stripped:
            yield Paragraph(
                stripped, SourceRef(file=file, page=page, line=line, excerpt=stripped[:30])
            )
