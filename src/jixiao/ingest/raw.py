"""The intermediate form every reader produces: running text and tables as cell grids.

A reader turns one file into a ``RawDocument``: its blocks in reading order, each either a
``Paragraph`` or a ``RawTable``. A table is a dense grid: ``rows[r][c]`` is the cell at row
``r``, column ``c`` (0-based); a merged region repeats its top-left cell's text in every
position it covers, with ``anchor`` naming that top-left position, so recognition can read
a grid without knowing where it came from. Every cell and paragraph carries a ``SourceRef``
into the file (line for text, page for PDF, sheet and cell for spreadsheets, table/row/
column for Word and HTML).
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.model import SourceRef


@dataclass(frozen=True, slots=True)
class RawCell:
    text: str
    anchor: tuple[int, int] | None = None  # top-left of the merged region this cell is part of
    source: SourceRef | None = None

    @property
    def merged(self) -> bool:
        """True for a position covered by another cell's merge (not its top-left)."""
        return self.anchor is not None


@dataclass(frozen=True, slots=True)
class RawTable:
    rows: tuple[tuple[RawCell, ...], ...]
    source: SourceRef | None = None

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        """The grid as plain strings (merged positions repeat the anchor's text)."""
        return [[cell.text for cell in row] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    source: SourceRef | None = None


Block = Paragraph | RawTable


@dataclass(frozen=True, slots=True)
class RawDocument:
    path: str
    blocks: tuple[Block, ...]
    pages: int | None = None
    # A text file's lines as they are (blank lines and lines of spaces included): where a
    # table lost its grid, they still tell where one cell ends (see ``forms.tokens``).
    lines: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[RawTable, ...]:
        return tuple(b for b in self.blocks if isinstance(b, RawTable))

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))


class ReadError(Exception):
    """A file that cannot be read at all; the message is Chinese and names the reason."""

    def __init__(self, message: str, source: SourceRef | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
