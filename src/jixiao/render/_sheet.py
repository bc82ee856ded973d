"""Writing form cells with openpyxl, and giving its formulas the cached values it cannot.

openpyxl writes a formula with an empty cached value (``<v></v>``). Excel, WPS and
LibreOffice recompute such a workbook on opening (the workbook asks for it with
``fullCalcOnLoad``), but a reader that does not calculate (jixiao's own, pandas, file
previews, phone viewers) would see blanks. So after saving, each formula cell gets its
cached value written into the sheet XML: the figure as the evaluation states it (what the
unit wrote); a cell the evaluation leaves blank keeps no cached value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from jixiao.render._zip import Member, zip_bytes

FONT_NAME = "宋体"
BODY = Font(name=FONT_NAME, size=10)
BOLD = Font(name=FONT_NAME, size=10, bold=True)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center", wrap_text=True)
AUTHOR = "jixiao"

Cached = Decimal | str
# Styles already registered in a workbook: assigning font, alignment and border objects
# hashes them into the workbook's tables every time, which is most of the rendering time.
Styles = dict[tuple[int, int, str, bool], tuple[Any, Font, Alignment]]


# What a spreadsheet would take as the start of a formula when the cell is edited or the
# sheet saved as CSV: such a text keeps Excel's quote prefix, which shows it as written.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write(cell: Any, value: object) -> None:
    """Put a value into a cell: numbers as numbers, every text as a text — never a live
    formula, whatever a unit typed into its table (``=cmd|' /C calc'!A0`` stays words)."""
    if not isinstance(value, str):
        cell.value = value
        return
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def number(value: Decimal) -> int | float:
    """A Decimal as the cell number Excel stores (an int when whole: no "10.0")."""
    return int(value) if value == value.to_integral_value() else float(value)


def ref(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def literal(value: Decimal) -> str:
    """A Decimal as a formula literal: 0.8, 10, 95."""
    text = format(value.normalize(), "f")
    return text


@dataclass
class SheetWriter:
    """Puts texts, numbers and formulas on one worksheet; remembers the cached values."""

    sheet: Worksheet
    styles: Styles = field(default_factory=dict)  # shared by the sheets of one workbook
    cached: dict[str, Cached] = field(default_factory=dict)
    boxed: bool = True  # cells get thin borders (off for the title and the footer)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    def style(self, cell: Any, font: Font, align: Alignment, fmt: str = "General") -> None:
        key = (id(font), id(align), fmt, self.boxed)
        known = self.styles.get(key)
        if known is not None:
            cell._style = copy(known[0])
            return
        cell.font, cell.alignment, cell.number_format = font, align, fmt
        if self.boxed:
            cell.border = BOX
        self.styles[key] = (copy(cell._style), font, align)  # keeps the ids alive

    def _place(self, row: int, column: int, to_row: int | None, to_col: int | None) -> None:
        """Merge a block; its covered cells take the top-left cell's style (borders)."""
        last_row, last_col = to_row or row, to_col or column
        if (last_row, last_col) == (row, column):
            return
        # What ``merged_cells.add`` does (a block inside one already merged is left out),
        # without its test of the new block against every merged one as CellRanges.
        if not any(
            r1 <= row and c1 <= column and last_row <= r2 and last_col <= c2
            for r1, c1, r2, c2 in self.merged
        ):
            self.merged.append((row, column, last_row, last_col))
            self.sheet.merged_cells.ranges.add(
                MergedCellRange(self.sheet, f"{ref(row, column)}:{ref(last_row, last_col)}")
            )
        style = self.sheet.cell(row, column)._style
        for r in range(row, last_row + 1):
            for c in range(column, last_col + 1):
                if (r, c) != (row, column):
                    self.sheet.cell(r, c)._style = copy(style)

    def text(
        self,
        row: int,
        column: int,
        value: str | None,
        *,
        to_row: int | None = None,
        to_col: int | None = None,
        font: Font = BODY,
        align: Alignment = LEFT,
    ) -> None:
        cell = self.sheet.cell(row, column)
        if value:
            write(cell, value)
        self.style(cell, font, align)
        self._place(row, column, to_row, to_col)

    def label(
        self,
        row: int,
        column: int,
        value: str,
        *,
        to_row: int | None = None,
        to_col: int | None = None,
    ) -> None:
        self.text(row, column, value, to_row=to_row, to_col=to_col, font=BOLD, align=CENTER)

    def number(self, row: int, column: int, value: Decimal | None, fmt: str = "General") -> None:
        cell = self.sheet.cell(row, column)
        if value is not None:
            cell.value = number(value)
        self.style(cell, BODY, RIGHT, fmt)

    def formula(
        self,
        row: int,
        column: int,
        formula: str,
        cached: Cached | None,
        *,
        fmt: str = "General",
        to_col: int | None = None,
        to_row: int | None = None,
        align: Alignment = RIGHT,
    ) -> None:
        cell = self.sheet.cell(row, column)
        cell.value = "=" + formula
        self.style(cell, BODY, align, fmt)
        if cached is not None:
            self.cached[cell.coordinate] = cached
        self._place(row, column, to_row, to_col)

    def note(self, row: int, column: int, text: str) -> None:
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 260, 110
        self.sheet.cell(row, column).comment = comment

    def box(self, first_row: int, last_row: int, first_col: int, last_col: int) -> None:
        """Thin borders round the cells of a block that nothing was written to."""
        for line in self.sheet.iter_rows(
            min_row=first_row, max_row=last_row, min_col=first_col, max_col=last_col
        ):
            for cell in line:
                if not cell.has_style:
                    self.style(cell, BODY, LEFT)


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v\s*/>|<v></v>)')


def _fill(xml: bytes, cached: dict[str, Cached]) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        coordinate = match.group(1).decode()
        value = cached.get(coordinate)
        head, formula = match.group(2), match.group(3)
        if value is None:
            return match.group(0)
        if isinstance(value, str):
            text = escape(value).encode()
            return b'<c r="%s"%s t="str"><f>%s</f><v>%s</v>' % (
                match.group(1),
                head,
                formula,
                text,
            )
        return b'<c r="%s"%s><f>%s</f><v>%s</v>' % (
            match.group(1),
            head,
            formula,
            literal(value).encode(),
        )

    return _FORMULA_CELL.sub(replace, xml)


def workbook_bytes(book: Workbook, cached: list[dict[str, Cached]]) -> bytes:
    """The saved workbook with the cached values of its formulas written in.

    ``cached[i]`` belongs to the i-th worksheet, which openpyxl saves as
    ``xl/worksheets/sheet{i+1}.xml``.
    """
    book.calculation.fullCalcOnLoad = True
    raw = io.BytesIO()
    # What ``book.save`` does, but stored: the members are deflated once, below.
    book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(book, archive).write_data()
    wanted = {
        f"xl/worksheets/sheet{i + 1}.xml": values for i, values in enumerate(cached) if values
    }
    members: list[Member] = []
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in wanted:
                data = _fill(data, wanted[info.filename])
            members.append(Member.of(info.filename, data))
    return zip_bytes(members)
