"""Where a value came from: a place in a file, or the step that derived it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CellBox:
    """Where one field of a row read by OCR stands on its page (``SourceRef.box`` units)."""

    field: str
    box: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A location in an input file (every field optional: each format fills what it has).

    ``table`` is the 1-based index of the table in the document, ``row`` and ``column``
    are 1-based positions inside that table (or sheet), ``line`` is a 1-based line of a
    text file. A value derived by a step of the pipeline has ``step`` set instead. A value
    read by OCR from a scanned page also has its ``box`` on the page (x0, top, x1, bottom in
    pixels of the page image as read, turned straight) and the OCR's ``confidence`` (0–1);
    a row so read keeps the box of each of its fields' cells in ``cells`` (the reviewer's
    page marks the cell chosen).
    """

    file: str | None = None
    page: int | None = None
    sheet: str | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    line: int | None = None
    excerpt: str | None = None
    step: str | None = None
    box: tuple[int, ...] | None = None
    confidence: Decimal | None = None
    cells: tuple[CellBox, ...] | None = None

    def label(self) -> str:
        """A short clickable form: ``file:line`` or ``file:表2:行5:列3``."""
        parts = [self.file or "-"]
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.sheet is not None:
            parts.append(self.sheet)
        if self.table is not None:
            parts.append(f"表{self.table}")
        if self.line is not None and self.row is None:
            parts.append(str(self.line))
        if self.row is not None:
            parts.append(f"行{self.row}")
        if self.column is not None:
            parts.append(f"列{self.column}")
        if self.step is not None:
            parts.append(f"({self.step})")
        return ":".join(parts)


def derived(step: str) -> SourceRef:
    """A made-up source for a value computed by ``step`` rather than read from a file."""
    return SourceRef(step=step)
