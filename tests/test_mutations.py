"""Mutation tests: a clean evaluation, one mistake injected, exactly the right finding out.

The two clean evaluations (tests/mutations/clean_*.yaml) must give no finding from any rule;
each mutation in tests/mutations/mutations.yaml must give exactly its listed findings (code
plus field or indicator), pointing at the line of the changed node, and nothing else.
"""

from __future__ import annotations

import copy
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import run_audit
from jixiao.document import with_line_sources
from jixiao.loading import Loaded, decode, load_data
from jixiao.model import Evaluation, Report
from tests.test_rules import tables_for

HERE = Path(__file__).parent / "mutations"
BASES = {"project": HERE / "clean_project.yaml", "department": HERE / "clean_department.yaml"}
MUTATIONS = yaml.safe_load((HERE / "mutations.yaml").read_text(encoding="utf-8"))


def _key(part: str) -> str | int:
    return int(part) if part.isdigit() else part


def _decimals(value: Any) -> Any:
    """Numbers as load_data gives them (Decimal), whatever YAML made of them."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def _apply(data: Any, changes: dict[str, Any], drops: list[str]) -> None:
    for dotted, value in changes.items():
        *head, last = (_key(p) for p in dotted.split("."))
        node = data
        for part in head:
            node = node[part]
        node[last] = _decimals(copy.deepcopy(value))
    for dotted in drops:
        *head, last = (_key(p) for p in dotted.split("."))
        node = data
        for part in head:
            node = node[part]
        del node[last]


def _audit(loaded: Loaded) -> list[Any]:
    evaluation = with_line_sources(decode(Evaluation, loaded, ()), loaded, ())
    tables = tables_for(evaluation, None)
    return run_audit(tables, Report(evaluations=(evaluation,)))


@pytest.mark.parametrize("base", sorted(BASES))
def test_clean_evaluation_is_clean(base: str) -> None:
    findings = _audit(load_data(BASES[base]))
    assert findings == [], [f"{f.code} {f.message}" for f in findings]


def _shape(finding: Any) -> tuple[str, str | None, str | None]:
    return (finding.code, finding.field, finding.indicator)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_mutation(mutation: dict[str, Any]) -> None:
    loaded = load_data(BASES[mutation["base"]])
    original = copy.deepcopy(loaded.data)
    _apply(loaded.data, mutation.get("set") or {}, mutation.get("drop") or [])
    assert loaded.data != original
    findings = _audit(loaded)
    got = Counter(_shape(f) for f in findings)
    want = Counter(_wanted(w) for w in mutation["findings"])
    messages = [f"{f.code} {f.field} {f.indicator}: {f.message}" for f in findings]
    assert got == want, messages
    lines = sorted((*_shape(f), f.source.line if f.source else None) for f in findings)
    for expected in mutation["findings"]:
        if "line" in expected:
            assert (*_wanted(expected), expected["line"]) in lines, (expected, lines)


def _wanted(want: dict[str, Any]) -> tuple[str, str | None, str | None]:
    return (want["code"], want.get("field"), want.get("indicator"))
