"""The parser reads the seed reports as a person does: hand-written goldens in tests/golden/.

The golden files were transcribed by hand from the seed text (the notes at the top of each
say which lines, and every judgement call on an ambiguous cell or odd heading). They are
never regenerated from the parser: when a test here fails, the parser is what to fix,
unless a reading of the seed shows the golden itself to be wrong.

- ``001_basic_data.yaml`` / ``004_basic_data.yaml``: the 基础数据表 (``Report.basic_data``),
  compared through ``encode`` with every ``source`` left out.
- ``002_allocation.yaml``: the allocation table (``Report.allocations``).
- ``narrative.yaml``: title, unit, year, date and the two-level section outline of each seed.

Numbers are compared as ``Decimal`` (``Decimal(str(x))`` for the YAML side), so ``25.30``
and ``25.3`` are equal but ``9`` and ``90`` are not.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.ingest import ParsedFile, parse_file
from jixiao.loading import encode
from jixiao.model import Report, Section
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"
GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = ("000", "001", "002", "003", "004")
BASIC_DATA_SEEDS = ("001", "004")
ALLOCATION_SEEDS = ("002",)


def seed_path(seed: str) -> Path:
    (path,) = REPORTS.glob(f"{seed}_*.txt")
    return path


@cache
def parsed(seed: str) -> ParsedFile:
    return parse_file(seed_path(seed))


def report(seed: str) -> Report:
    result = parsed(seed)
    assert result.report is not None, f"{seed}: no report; errors: {result.errors}"
    return result.report


def golden(name: str) -> Any:
    return yaml.safe_load((GOLDEN / name).read_text(encoding="utf-8"))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def without_source(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: without_source(v) for k, v in data.items() if k != "source"}
    if isinstance(data, list):
        return [without_source(item) for item in data]
    return data


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Every place where ``got`` differs from the golden ``want``, as ``path: got … want …``.

    Only the keys the golden names are compared (the contract lets keys be added).
    """
    where = path or "<root>"
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{where}: got {got!r}, want a mapping"]
        out: list[str] = []
        for key, value in want.items():
            if key not in got:
                out.append(f"{path}.{key}: missing, want {value!r}")
            else:
                out.extend(differences(got[key], value, f"{path}.{key}"))
        return out
    if isinstance(want, list):
        if not isinstance(got, list):
            return [f"{where}: got {got!r}, want a list"]
        out = [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=False))
            for d in differences(g, w, f"{path}[{i}]")
        ]
        if len(got) != len(want):
            extra = got[len(want) :] or want[len(got) :]
            side = "got extra" if len(got) > len(want) else "missing"
            out.append(f"{where}: {len(got)} items, want {len(want)}; {side}: {extra!r}")
        return out
    if _is_number(want):
        if _is_number(got) and Decimal(str(got)) == Decimal(str(want)):
            return []
        return [f"{where}: got {got!r}, want {want!r}"]
    if want is None or isinstance(want, str | bool):
        if got == want and type(got) is type(want):
            return []
        return [f"{where}: got {got!r}, want {want!r}"]
    raise TypeError(f"{where}: unexpected golden value {want!r}")


def assert_same(got: Any, want: Any, what: str) -> None:
    found = differences(got, want)
    assert not found, f"{what}: {len(found)} difference(s)\n" + "\n".join(found)


def outline(sections: tuple[Section, ...]) -> list[dict[str, Any]]:
    return [
        {
            "number": s.number,
            "heading": s.heading,
            "children": [{"number": c.number, "heading": c.heading} for c in s.children],
        }
        for s in sections
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_parses_without_errors(seed: str) -> None:
    result = parsed(seed)
    assert result.report is not None, f"{seed}: no report"
    assert not result.errors, f"{seed}: parse errors:\n" + "\n".join(
        f"{e.message} @ {e.source}" for e in result.errors
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_table_counts(seed: str) -> None:
    """Basic data only in 001 and 004, an allocation table only in 002, one each."""
    got = report(seed)
    want_basic = 1 if seed in BASIC_DATA_SEEDS else 0
    want_alloc = 1 if seed in ALLOCATION_SEEDS else 0
    assert len(got.basic_data) == want_basic, (
        f"{seed}.basic_data: {len(got.basic_data)} tables, want {want_basic}"
    )
    assert len(got.allocations) == want_alloc, (
        f"{seed}.allocations: {len(got.allocations)} tables, want {want_alloc}"
    )


@pytest.mark.parametrize("seed", BASIC_DATA_SEEDS)
def test_basic_data(seed: str) -> None:
    tables = report(seed).basic_data
    assert tables, f"{seed}.basic_data: no 基础数据表 found"
    got = without_source(encode(tables[0]))
    assert_same(got, golden(f"{seed}_basic_data.yaml"), f"{seed}.basic_data[0]")


@pytest.mark.parametrize("seed", ALLOCATION_SEEDS)
def test_allocation(seed: str) -> None:
    tables = report(seed).allocations
    assert tables, f"{seed}.allocations: no allocation table found"
    got = without_source(encode(tables[0]))
    assert_same(got, golden(f"{seed}_allocation.yaml"), f"{seed}.allocations[0]")


@pytest.mark.parametrize("seed", SEEDS)
def test_narrative_fields(seed: str) -> None:
    want = golden("narrative.yaml")[seed]
    got = report(seed)
    fields = {"title": got.title, "unit": got.unit, "year": got.year, "date": got.date}
    assert_same(fields, {k: want[k] for k in fields}, f"{seed}.report")


@pytest.mark.parametrize("seed", SEEDS)
def test_section_outline(seed: str) -> None:
    want = golden("narrative.yaml")[seed]["sections"]
    assert_same(outline(report(seed).sections), want, f"{seed}.sections")
