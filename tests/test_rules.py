"""Every rule against its data-driven cases (tests/rules/CODE.yaml), and the catalogue's own
promises: unique codes, documentation users can read, a passing and a failing case each.

A ``pass`` case must give no finding at all from its rule (never cry wolf); a ``fail``
case must give exactly the listed findings (code, and field / indicator / expected /
actual where given), nothing else.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import CATALOGUE, Checked, TableRef, run_audit
from jixiao.config import load_scheme
from jixiao.document import with_line_sources
from jixiao.loading import Loaded, decode, load_data
from jixiao.model import Evaluation, Report
from jixiao.scoring import score_evaluation

CASES = Path(__file__).parent / "rules"


def _cases() -> list[Any]:
    """(code, kind, loaded file, position) for every case; numbers read as Decimal."""
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        loaded = load_data(path)
        for kind in ("pass", "fail"):
            for i, case in enumerate(loaded.data.get(kind) or []):
                name = f"{path.stem}-{kind}-{case['name']}"
                out.append(pytest.param(path.stem, kind, loaded, i, id=name))
    return out


def tables_for(evaluation: Evaluation, scheme_name: str | None) -> list[Checked]:
    scheme = load_scheme(scheme_name or evaluation.scheme or "national-2020")
    out: list[Checked] = []

    def add(item: Evaluation, parent: Evaluation | None) -> None:
        out.append(
            Checked(
                item,
                score_evaluation(item, scheme),
                scheme,
                TableRef(len(out) + 1, item.name),
                parent,
            )
        )
        for child in item.children:
            add(child, item)

    add(evaluation, None)
    return out


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, int | float | Decimal) and not isinstance(expected, bool):
        return actual is not None and Decimal(str(expected)) == Decimal(str(actual))
    return bool(expected == actual)


@pytest.mark.parametrize(("code", "kind", "loaded", "index"), _cases())
def test_rule_case(code: str, kind: str, loaded: Loaded, index: int) -> None:
    case = loaded.data[kind][index]
    path = (kind, index, "evaluation")
    evaluation = with_line_sources(decode(Evaluation, loaded, path), loaded, path)
    tables = tables_for(evaluation, case.get("scheme"))
    report = Report(evaluations=(evaluation,))
    findings = run_audit(tables, report, rules={code: CATALOGUE.rules[code]})
    if kind == "pass":
        assert findings == [], [f.message for f in findings]
        return
    expected = case["findings"]
    assert len(findings) == len(expected), [f.message for f in findings]
    for want, got in zip(expected, findings, strict=True):
        for key, value in want.items():
            assert _same(value, getattr(got, key)), (key, value, getattr(got, key), got.message)
        assert got.message and got.source is not None


def test_catalogue_promises() -> None:
    codes = list(CATALOGUE.rules)
    assert len(codes) == len(set(codes))
    names = [rule.name for rule in CATALOGUE.rules.values()]
    assert len(names) == len(set(names))
    for code, rule in CATALOGUE.rules.items():
        assert re.fullmatch(r"[A-Z]{2}\d{2}", code)
        doc = rule.doc()
        for part in ("What:", "Why:", "Bad:", "Good:", "Options:"):
            assert part in doc, (code, part)
        case_file = CASES / f"{code}.yaml"
        assert case_file.exists(), code
        data = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        assert data.get("pass") and data.get("fail"), code


def test_a_crashing_rule_becomes_a_finding() -> None:
    from jixiao.audit import Rule, Severity

    class Broken(Rule):
        code, name, title, severity, message = "ZZ99", "broken", "坏规则", Severity.INFO, "x"

        def check(self, context: Any) -> Any:
            raise ZeroDivisionError("boom")

    evaluation = Evaluation(kind="project")
    findings = run_audit(tables_for(evaluation, None), rules={"ZZ99": Broken})
    assert [(f.code, f.severity.value) for f in findings] == [("ZZ99", "error")]
    assert "运行出错" in findings[0].message
