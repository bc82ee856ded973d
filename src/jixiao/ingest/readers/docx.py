"""Word (.docx) reader: body paragraphs and tables in order, merged cells as dense grids.

Only the main document part is read (found through the package's relationships, parsed by
lxml with entities and network access off): the styles, numbering and settings parts that
a full python-docx ``Document`` loads say nothing the reading needs. Its body is walked
directly so that paragraphs, tables, content controls and text boxes come out in reading
order. Tables nested in a cell follow their outer table; two tables with nothing between
them are one table.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from jixiao.ingest.raw import Block, RawDocument, RawTable, ReadError
from jixiao.ingest.readers.grid import Grid, GridBuilder, join, numbered_table, paragraphs, width
from jixiao.ingest.readers.ziputil import check_zip, damaged, expect, file_bytes

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
P, TBL, TR, TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
SDT, SDT_CONTENT, CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
TXBX = f"{_W}txbxContent"
VAL = f"{_W}val"
_WRAPPERS = {SDT, CUSTOM_XML, f"{_W}smartTag"}
# Subtrees whose text is not part of the paragraph: properties (tab stops are w:tab too),
# deleted and moved-away revisions, text boxes (read on their own), alternate content.
_SKIP = {f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", TXBX, _MC_FALLBACK}
_CHARS = {f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


@dataclass(slots=True)
class _Para:
    text: str


@dataclass(slots=True)
class _Table:
    grid: Grid
    nested: list[_Table] = field(default_factory=list)


_Item = _Para | _Table


def read_docx(path: Path) -> RawDocument:
    """Read a .docx file; ``ReadError`` with a Chinese message when it cannot be read."""
    return read_docx_bytes(file_bytes(path), str(path))


def read_docx_bytes(data: bytes, name: str) -> RawDocument:
    """``read_docx`` of a file's bytes; sources call the file ``name``."""
    expect(data, "zip", " .docx（Word 文档）")
    check_zip(data, label="Word ")
    try:
        body = _body(data)
        items = _walk(body)
    except ReadError:
        raise
    except Exception as error:  # lxml and zipfile raise many kinds
        raise damaged("Word", ".docx", error) from error
    blocks: list[Block] = []
    for item in items:
        _emit(item, name, blocks)
    return RawDocument(name, tuple(blocks))


_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "/officeDocument"  # the end of the main part's relationship type (both namespaces)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)


def _body(data: bytes) -> Any:
    """The ``w:body`` of the package's main document part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        target = "word/document.xml"
        if "_rels/.rels" in package.namelist():
            rels = etree.fromstring(package.read("_rels/.rels"), _PARSER)
            target = next(
                (
                    r.get("Target", target).lstrip("/")
                    for r in rels.iter(_RELATIONSHIPS)
                    if r.get("Type", "").endswith(_MAIN)
                ),
                target,
            )
        root = etree.fromstring(package.read(target), _PARSER)
    body = root.find(f"{_W}body")
    if body is None:
        raise ReadError("Word 文件中没有正文（文件已损坏或不是 .docx 格式）")
    return body


def _emit(item: _Item, name: str, blocks: list[Block]) -> None:
    if isinstance(item, _Para):
        blocks.extend(paragraphs(item.text, name))
        return
    if item.grid:
        number = 1 + sum(1 for block in blocks if isinstance(block, RawTable))
        blocks.append(numbered_table(item.grid, name, number))
    for inner in item.nested:
        _emit(inner, name, blocks)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                yield from _children(content, tag)


def _walk(container: Any) -> list[_Item]:
    """Paragraphs and tables of a body, cell or text box, in order."""
    items: list[_Item] = []
    for child in container:
        if child.tag == P:
            items.append(_Para(_text(child)))
            for box in _textboxes(child):
                items.extend(_walk(box))
        elif child.tag == TBL:
            items.append(_table(child))
        elif child.tag in _WRAPPERS:
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                items.extend(_walk(content))
    return _merge_adjacent(items)


_T, _TAB = f"{_W}t", f"{_W}tab"
_TEXT_TAGS = (_T, *_CHARS)
_TABS = f"{_W}tabs"  # tab stops in the paragraph's properties, not tab characters
# what makes a paragraph's text more than its runs' text (or less): walked with care
_SPECIAL = (f"{_W}del", f"{_W}moveFrom", TXBX, _MC_FALLBACK)


def _text(element: Any) -> str:
    parts: list[str] = []
    if next(element.iter(_SPECIAL), None) is None:  # most paragraphs: lxml finds the text
        for node in element.iter(_TEXT_TAGS):
            tag = node.tag
            if tag == _T:
                parts.append(node.text or "")
            elif tag != _TAB or node.getparent().tag != _TABS:
                parts.append(_CHARS[tag])
        return "".join(parts)

    def visit(node: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in _CHARS:
                parts.append(_CHARS[tag])
            elif tag not in _SKIP:
                visit(child)

    visit(element)
    return "".join(parts)


def _textboxes(element: Any) -> list[Any]:
    """Text boxes anchored in a paragraph (the modern form, not its VML fallback copy)."""
    if next(element.iter(TXBX), None) is None:
        return []
    found: list[Any] = []
    for child in element:
        if child.tag == TXBX:
            found.append(child)
        elif child.tag != _MC_FALLBACK:
            found.extend(_textboxes(child))
    return found


def _int_property(properties: Any, tag: str, default: int) -> int:
    found = properties.find(tag) if properties is not None else None
    try:
        return int(found.get(VAL)) if found is not None else default
    except (TypeError, ValueError):
        return default


_TC_PR = f"{_W}tcPr"


def _plain_cell(tc: Any) -> list[str] | None:
    """The paragraphs' texts of a cell that holds paragraphs alone (most do), without
    walking it for tables and boxes; None for any other cell."""
    texts = []
    for child in tc:
        if child.tag == P and next(child.iter(TXBX), None) is None:
            texts.append(_text(child))
        elif child.tag != _TC_PR:
            return None
    return texts


def _table(tbl: Any) -> _Table:
    builder = GridBuilder()
    nested: list[_Table] = []
    rows = list(_children(tbl, TR))
    for r, tr in enumerate(rows):
        column = _int_property(tr.find(f"{_W}trPr"), f"{_W}gridBefore", 0)
        for tc in _children(tr, TC):
            properties = tc.find(f"{_W}tcPr")
            span = max(1, _int_property(properties, f"{_W}gridSpan", 1))
            anchor = _continued(properties, builder, r, column)
            if anchor is not None:
                for k in range(span):
                    builder.cover(r, column + k, anchor)
            elif (texts := _plain_cell(tc)) is not None:
                builder.put(r, column, "\n".join(texts).strip(), colspan=span)
            else:
                content = _walk(tc)
                text = "\n".join(item.text for item in content if isinstance(item, _Para))
                builder.put(r, column, text.strip(), colspan=span)
                nested.extend(item for item in content if isinstance(item, _Table))
            column += span
    return _Table(builder.grid(rows=len(rows)), nested)


def _continued(
    properties: Any, builder: GridBuilder, row: int, column: int
) -> tuple[int, int] | None:
    """The anchor a cell continues: vMerge from the cell above, hMerge from the left."""
    if properties is None:
        return None
    vertical = properties.find(f"{_W}vMerge")
    if vertical is not None and vertical.get(VAL, "continue") == "continue" and row > 0:
        return builder.anchor_of(row - 1, column)
    horizontal = properties.find(f"{_W}hMerge")
    if horizontal is not None and horizontal.get(VAL, "continue") == "continue" and column > 0:
        return builder.anchor_of(row, column - 1)
    return None


def _merge_adjacent(items: list[_Item]) -> list[_Item]:
    """Tables with no paragraph between them and the same width show as one table in Word."""
    out: list[_Item] = []
    for item in items:
        previous = out[-1] if out else None
        if (
            isinstance(item, _Table)
            and isinstance(previous, _Table)
            and item.grid
            and previous.grid
            and width(item.grid) == width(previous.grid)
        ):
            out[-1] = _Table(join(previous.grid, item.grid), previous.nested + item.nested)
        else:
            out.append(item)
    return out
