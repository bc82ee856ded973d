"""Map a header row's columns to fields, whatever their order and spelling."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.ingest.cells import amount, key


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


COMPARATORS = frozenset({"≥", "≤", ">", "<", "＞", "＜", "≧", "≦"})


def joined_target(nature: str, value: str, unit: str, actual: str) -> tuple[str, str]:
    """年度指标值 and 实际完成值 of a row whose target is split into 指标性质 / 指标值 /
    度量单位: the comparator (not "=" nor words like 定性) + value + unit; the unit added to
    a bare number in the actual ("≥" "95" "%" / "98" → "≥95%" / "98%")."""
    comparator = key(nature) if key(nature) in COMPARATORS else ""  # as written: ≧ stays ≧
    unit = key(unit) if key(unit) not in ("", "/", "-", "—") else ""
    target = f"{comparator}{value.strip()}{unit}" if value.strip() else ""
    actual = actual.strip()
    if unit and amount(actual) is not None and not actual.endswith(unit):
        actual = f"{actual}{unit}"
    return target, actual
