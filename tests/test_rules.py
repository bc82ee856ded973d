"""Every rule against its data-driven cases (tests/rules/CODE.yaml), and the catalogue's own
promises: unique codes, documentation users can read, a passing and a failing case each.

A ``pass`` case must give no finding at all from its rule (never cry wolf); a ``fail``
case must give exactly the listed findings (code, and field / indicator / expected /
actual where given), nothing else.

A case holds an ``evaluation`` (optional for report-level rules), and may hold the rest of
a report: ``narrative`` (the report's running text, one paragraph a line, read by the same
code that reads real reports), ``basic_data`` (a list of 基础数据表) and ``allocations``
(a list of allocation tables), in the shapes ``jixiao parse`` prints; and ``previous``,
last year's table of the evaluation (the TG rules that compare the two years).
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import CATALOGUE, Checked, Finding, TableRef, run_audit
from jixiao.config import load_scheme
from jixiao.document import with_line_sources
from jixiao.ingest.narrative import read_narrative
from jixiao.ingest.raw import Paragraph
from jixiao.loading import Loaded, decode, load_data
from jixiao.model import AllocationTable, BasicData, Evaluation, Report, SourceRef
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


def tables_for(
    evaluation: Evaluation, scheme_name: str | None, previous: Evaluation | None = None
) -> list[Checked]:
    scheme = load_scheme(scheme_name or evaluation.scheme or "national-2020")
    out: list[Checked] = []

    def add(item: Evaluation, parent: Evaluation | None, last: Evaluation | None) -> None:
        out.append(
            Checked(
                item,
                score_evaluation(item, scheme),
                scheme,
                TableRef(len(out) + 1, item.name),
                parent,
                last,
            )
        )
        for child in item.children:
            add(child, item, None)

    add(evaluation, None, previous)
    return out


def report_for(
    case: dict[str, Any], loaded: Loaded, at: tuple[str, int], evaluation: Evaluation | None
) -> Report:
    """The report around a case: its narrative text, 基础数据表 and allocation tables."""
    lines = str(case.get("narrative") or "").splitlines()
    first = loaded.line((*at, "narrative")) or 0
    paragraphs = [
        Paragraph(text, SourceRef(file=loaded.file, line=first + 1 + i, excerpt=text[:60]))
        for i, text in enumerate(lines)
        if text.strip()
    ]
    narrative = read_narrative(paragraphs)
    basic = [
        located(decode(BasicData, loaded, (*at, "basic_data", i)), loaded, (*at, "basic_data", i))
        for i in range(len(case.get("basic_data") or []))
    ]
    allocations = [
        located(
            decode(AllocationTable, loaded, (*at, "allocations", i)),
            loaded,
            (*at, "allocations", i),
        )
        for i in range(len(case.get("allocations") or []))
    ]
    return Report(
        title=narrative.title,
        year=narrative.year,
        sections=narrative.sections,
        evaluations=(evaluation,) if evaluation is not None else (),
        basic_data=tuple(basic),
        allocations=tuple(allocations),
        # a table the reader saw in the text but could not read
        unread=(SourceRef(file=loaded.file, line=first + 1),) if case.get("unread") else (),
    )


def located(node: Any, loaded: Loaded, path: tuple[Any, ...]) -> Any:
    """``node`` with every part that has no source given the line it was written on."""
    if isinstance(node, tuple):
        return tuple(located(item, loaded, (*path, i)) for i, item in enumerate(node))
    if not dataclasses.is_dataclass(node) or isinstance(node, type):
        return node
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name == "source" and value is None:
            changes["source"] = SourceRef(file=loaded.file, line=loaded.line(path))
        elif dataclasses.is_dataclass(value) or isinstance(value, tuple):
            changes[f.name] = located(value, loaded, (*path, f.name))
    return dataclasses.replace(node, **changes)


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, int | float | Decimal) and not isinstance(expected, bool):
        return actual is not None and Decimal(str(expected)) == Decimal(str(actual))
    return bool(expected == actual)


@pytest.mark.parametrize(("code", "kind", "loaded", "index"), _cases())
def test_rule_case(code: str, kind: str, loaded: Loaded, index: int) -> None:
    case = loaded.data[kind][index]
    path = (kind, index, "evaluation")
    if "evaluation" in case:
        evaluation = with_line_sources(decode(Evaluation, loaded, path), loaded, path)
        last = (kind, index, "previous")
        previous = decode(Evaluation, loaded, last) if "previous" in case else None
        tables = tables_for(evaluation, case.get("scheme"), previous)
    else:
        evaluation, tables = None, []
    report = report_for(case, loaded, (kind, index), evaluation)
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
        _placed(got, evaluation)


def _placed(finding: Finding, evaluation: Evaluation | None) -> None:
    """The rule said where the finding is: a place people can name in Chinese, and an
    indicator's finding the very indicator it names."""
    if finding.field is None and finding.indicator is None:
        return
    assert finding.paths, (finding.code, finding.field)
    assert re.fullmatch(r"[^A-Za-z_]+", finding.field_label), (finding.code, finding.field_label)
    index = finding.paths[0].indicator
    if index is not None and evaluation is not None and finding.table and finding.table.index == 1:
        assert evaluation.indicators[index].name == finding.indicator, finding.code


def test_catalogue_promises() -> None:
    codes = list(CATALOGUE.rules)
    assert len(codes) == len(set(codes))
    names = [rule.name for rule in CATALOGUE.rules.values()]
    assert len(names) == len(set(names))
    for code, rule in CATALOGUE.rules.items():
        assert re.fullmatch(r"[A-Z]{2}\d{2}", code)
        doc = rule.doc()
        paragraphs = [p.strip() for p in doc.split("\n\n")]
        assert paragraphs[0] == f"{code} {rule.title}.", (code, paragraphs[0])
        sections = ("检查：", "原因：", "错误示例：", "正确示例：", "选项：")
        opened = [s for p in paragraphs[1:] for s in sections if p.startswith(s)]
        assert opened == list(sections), (code, opened)  # each once, in this order
        for p in paragraphs[1:]:
            heading = next((s for s in sections if p.startswith(s)), "")
            assert p[len(heading) :].strip(), (code, p)  # no empty section
        assert not re.search(r"^(What|Why|Bad|Good|Options):", doc, re.MULTILINE), code
        said = next(p for p in paragraphs if p.startswith("选项："))
        for option in rule.options:  # every option is named (in backticks) under 选项
            assert f"`{option.name}`" in said, (code, option.name)
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
