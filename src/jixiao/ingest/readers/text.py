"""Plain text as it comes out of Word, Excel and PDF: tab-separated rows, one cell per line.

Two table layouts are recognised, as the seed reports show them:
- tab-separated: one row per line, cells between tabs (three tabs or more on a line);
- one cell per line: each cell starts with a tab, a cell broken over lines continues on
  lines without one, and rows are separated by blank lines.
Everything else is running text, one ``Paragraph`` per line.
"""

from __future__ import annotations

import re
from pathlib import Path

from jixiao.ingest.raw import Paragraph, RawCell, RawDocument, RawTable, ReadError
from jixiao.model import SourceRef

MAX_CONTINUATION = 20
_BOOKMARK = re.compile(
    r"\[bookmark: [^\]]*\]"
)  # a line after a blank line inside a cell is short: "(40分)"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 as Chinese Windows writes it."""
    if not data.strip():
        raise ReadError("文件是空的")
    if b"\x00" in data[:4096]:
        raise ReadError("不是文本文件（含有二进制内容），请确认文件类型")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError("无法识别文字编码（既不是 UTF-8 也不是 GBK/GB18030）")


def read_text(path: Path) -> RawDocument:
    return read_text_bytes(path.read_bytes(), str(path))


def read_text_bytes(data: bytes, name: str) -> RawDocument:
    """``read_text`` of a file's bytes; sources call the file ``name``."""
    # "[bookmark: _GoBack]" is what Word's hidden bookmarks become in a text export
    lines = _BOOKMARK.sub("", decode(data, name)).splitlines()
    return RawDocument(name, tuple(_Splitter(name, lines).blocks()), lines=tuple(lines))


def _is_tsv(line: str) -> bool:
    return line.count("\t") >= 3


def _blank(line: str) -> bool:
    """An empty line. A line holding only a tab is an empty cell, and one holding a
    full-width space (　) is the tail of a cell in Word's export: neither is a blank."""
    return "\t" not in line and not line.strip(" \r\n")


def _is_cell_start(line: str) -> bool:
    return line.startswith("\t") and not _is_tsv(line)


class _Splitter:
    def __init__(self, name: str, lines: list[str]) -> None:
        self.name = name
        self.lines = lines
        self.tables = 0

    def blocks(self) -> list[Paragraph | RawTable]:
        out: list[Paragraph | RawTable] = []
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if _is_tsv(line):
                i = self._tsv_table(i, out)
            elif _is_cell_start(line):
                i = self._cell_table(i, out)
            else:
                if line.strip():
                    out.append(Paragraph(line.strip(), SourceRef(file=self.name, line=i + 1)))
                i += 1
        return out

    def _source(self, line: int, row: int, column: int, text: str) -> SourceRef:
        return SourceRef(
            file=self.name,
            table=self.tables,
            row=row,
            column=column,
            line=line,
            excerpt=text[:30] or None,
        )

    def _tsv_table(self, start: int, out: list[Paragraph | RawTable]) -> int:
        self.tables += 1
        rows: list[tuple[RawCell, ...]] = []
        i = start
        while i < len(self.lines) and _is_tsv(self.lines[i]):
            fields = self.lines[i].split("\t")
            rows.append(
                tuple(
                    RawCell(text, source=self._source(i + 1, len(rows) + 1, c + 1, text))
                    for c, text in enumerate(fields)
                )
            )
            i += 1
        out.append(_dense(rows, SourceRef(file=self.name, table=self.tables, line=start + 1)))
        return i

    def _continues_after_blank(self, i: int) -> bool:
        """Line ``i`` follows one blank line: is it the rest of a cell, like "(40分)"?"""
        line = self.lines[i]
        if _blank(line) or line.startswith("\t") or len(line.strip()) > MAX_CONTINUATION:
            return False
        if i < 2 or _blank(self.lines[i - 2]):
            return False  # more than one blank line: the table has ended
        following = next((x for x in self.lines[i + 1 : i + 4] if x.strip() or "\t" in x), "")
        return following.startswith("\t")

    def _cell_table(self, start: int, out: list[Paragraph | RawTable]) -> int:
        self.tables += 1
        rows: list[tuple[RawCell, ...]] = []
        cells: list[tuple[int, list[str]]] = []  # (line number, text lines) of the current row

        def end_row() -> None:
            if cells:
                row = len(rows) + 1
                rows.append(
                    tuple(
                        RawCell(text, source=self._source(line, row, c + 1, text))
                        for c, (line, parts) in enumerate(cells)
                        for text in ["\n".join(parts).strip("\t")]
                    )
                )
                cells.clear()

        i = start
        while i < len(self.lines):
            line = self.lines[i]
            if _is_cell_start(line):
                cells.append((i + 1, [line[1:]]))
            elif _blank(line):
                nxt = i + 1
                if nxt < len(self.lines) and self._continues_after_blank(nxt) and cells:
                    cells[-1][1].extend(["", self.lines[nxt]])
                    i = nxt + 1
                    continue
                end_row()
                # a run of blank lines followed by another cell line keeps the table going
                j = i
                while j < len(self.lines) and _blank(self.lines[j]):
                    j += 1
                if j < len(self.lines) and _is_cell_start(self.lines[j]) and j - i <= 2:
                    i = j
                    continue
                break
            elif cells:
                cells[-1][1].append(line)
            else:
                break
            i += 1
        end_row()
        out.append(_dense(rows, SourceRef(file=self.name, table=self.tables, line=start + 1)))
        return i


def _dense(rows: list[tuple[RawCell, ...]], source: SourceRef) -> RawTable:
    width = max((len(r) for r in rows), default=0)
    padded = tuple(r + tuple(RawCell("") for _ in range(width - len(r))) for r in rows)
    return RawTable(padded, source)
