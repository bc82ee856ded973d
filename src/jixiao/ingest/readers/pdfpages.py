"""Tables that run on across PDF pages: columns aligned, header, merges and split rows mended.

When Word prints a long table, the next page starts with the same columns (a column
whose cells are all merged on that page is missing), perhaps a repeated header row, the
rest of a row broken at the page end, and merged cells that continue from the page
before but are drawn again empty. ``run_on`` joins the two parts as one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.ingest.readers.grid import Cell, Grid, Position, squash

TOLERANCE = 2.0  # points: the same column edge drawn on two pages


@dataclass(slots=True)
class PageTable:
    grid: Grid
    xs: list[float]  # left edge of each column
    right: float


@dataclass(slots=True)
class _Owners:
    """Each position's merged cell (its top-left), the texts of those cells, the pages."""

    owners: list[list[Position]]
    texts: dict[Position, str]
    pages: list[list[int | None]]

    def rename(self, old: Position, new: Position) -> None:
        for line in self.owners:
            for c, owner in enumerate(line):
                if owner == old:
                    line[c] = new

    def delete_row(self, row: int) -> None:
        del self.owners[row], self.pages[row]
        moved: dict[Position, Position] = {}
        texts: dict[Position, str] = {}
        for r, line in enumerate(self.owners):
            for c, old in enumerate(line):
                if old[0] == row:  # merged with the deleted row: the first position takes over
                    new = moved.setdefault(old, (r, c))
                else:
                    new = (old[0] - 1, old[1]) if old[0] > row else old
                texts[new] = self.texts[old]
                line[c] = new
        self.texts = texts

    def grid(self) -> Grid:
        return [
            [
                Cell(self.texts[owner], owner if owner != (r, c) else None, self.pages[r][c])
                for c, owner in enumerate(line)
            ]
            for r, line in enumerate(self.owners)
        ]


def run_on(previous: PageTable, following: PageTable) -> PageTable | None:
    """The two parts as one table, or None when the columns show it is another table."""
    columns = _column_map(previous, following)
    if columns is None or not previous.grid or not following.grid:
        return None
    table = _owners(previous.grid)
    base = len(table.owners)
    first_column: dict[int, int] = {}
    for j, i in enumerate(columns):
        first_column.setdefault(i, j)
    for r, row in enumerate(following.grid):
        line: list[Position] = []
        for i in columns:
            r0, c0 = row[i].anchor or (r, i)
            owner = (base + r0, first_column[c0])
            table.texts.setdefault(owner, following.grid[r0][c0].text)
            line.append(owner)
        table.owners.append(line)
        table.pages.append([row[i].page for i in columns])
    _mend(table, base)
    return PageTable(table.grid(), previous.xs, previous.right)


def _column_map(previous: PageTable, following: PageTable) -> list[int] | None:
    """For each column of ``previous``, the column of ``following`` drawn over it."""
    if not previous.xs or not following.xs:
        return None
    if abs(previous.xs[0] - following.xs[0]) > TOLERANCE:
        return None
    if abs(previous.right - following.right) > TOLERANCE:
        return None
    if any(min(abs(x - p) for p in previous.xs) > TOLERANCE for x in following.xs):
        return None
    columns = []
    for x in previous.xs:
        columns.append(max(i for i, f in enumerate(following.xs) if f <= x + TOLERANCE))
    return columns


def _owners(grid: Grid) -> _Owners:
    owners = [[cell.anchor or (r, c) for c, cell in enumerate(row)] for r, row in enumerate(grid)]
    texts = {(r, c): cell.text for r, row in enumerate(grid) for c, cell in enumerate(row)}
    pages = [[cell.page for cell in row] for row in grid]
    return _Owners(owners, {o: texts[o] for line in owners for o in line}, pages)


def _mend(table: _Owners, first: int) -> None:
    """Drop a repeated header, continue merges, and join a row broken at the page end."""
    last = first - 1
    header = [squash(table.texts[owner]) for owner in table.owners[0]]
    if [squash(table.texts[owner]) for owner in table.owners[first]] == header:
        table.delete_row(first)
    if first >= len(table.owners):
        return
    width = len(table.owners[first])
    for c in range(width):
        above, below = table.owners[last][c], table.owners[first][c]
        if above[0] < last and below == (first, c) and not table.texts[below]:
            table.rename(below, above)  # a merged cell drawn again, empty, on the new page
    if _is_fragment(table, last, first):
        for c in range(width):
            above, below = table.owners[last][c], table.owners[first][c]
            if below != (first, c):
                continue
            if table.texts[below]:
                table.texts[above] = f"{table.texts[above]}\n{table.texts[below]}"
            table.rename(below, above)
        table.delete_row(first)


_FIGURE = re.compile(r"^[+-]?\d+(?:\.\d+)?%?$")


def _is_fragment(table: _Owners, last: int, first: int) -> bool:
    """The first row is the rest of the last one: text only below cells that have text,
    and blank under more cells with text than it fills (a new row fills its labels), or
    blank under every figure of the last row and with no figure of its own (a new row has
    its 分值 and 得分)."""
    filled = missing = 0
    figures_missing = figures_below = False
    for c, below in enumerate(table.owners[first]):
        if below != (first, c):
            continue
        above = table.owners[last][c]
        if table.texts[below]:
            if not table.texts[above]:
                return False
            filled += 1
            figures_below |= _FIGURE.match(squash(table.texts[below])) is not None
        elif table.texts[above] and above[0] == last:
            missing += 1
            figures_missing |= _FIGURE.match(squash(table.texts[above])) is not None
    return filled > 0 and (missing >= filled or (figures_missing and not figures_below))
