"""Map a header row's columns to fields, whatever their order and spelling."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.ingest.cells import key


def map_columns(
    header: Sequence[str], fields: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, int]:
    """{field: column} for the first column whose header contains one of the field's words."""
    found: dict[str, int] = {}
    for column, text in enumerate(header):
        word = key(text)
        if not word:
            continue
        for field, spellings in fields:
            if field not in found and any(s in word for s in spellings):
                found[field] = column
                break
    return found


def find_row(rows: Sequence[Sequence[str]], *words: str, start: int = 0) -> int | None:
    """The first row at or after ``start`` with a cell whose key contains every word."""
    for index in range(start, len(rows)):
        for text in rows[index]:
            k = key(text)
            if k and all(w in k for w in words):
                return index
    return None
