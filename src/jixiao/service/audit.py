"""Checking files: parse or load, score, run the rule catalogue, and say it as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit import AuditSettings, Checked, Finding, TableRef, run_audit
from jixiao.audit.previous import Previous, among, child_previous
from jixiao.loading import encode
from jixiao.model import Evaluation, SourceRef
from jixiao.service.reading import problem_text, read_report


@dataclass
class CheckedFile:
    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[tuple[str, SourceRef | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not checked, and why


def _tables(
    service: Any, evaluations: tuple[Evaluation, ...], previous: Previous | None = None
) -> list[Checked]:
    """Every evaluation, sub-directions included, numbered in document order; each with
    last year's table when ``previous`` finds it (a sub-direction's among its parent's)."""
    out: list[Checked] = []

    def add(evaluation: Evaluation, parent: Evaluation | None, last: Evaluation | None) -> None:
        scheme = service.scheme_for(evaluation)
        from jixiao.scoring import score_evaluation

        score = score_evaluation(evaluation, scheme)
        table = TableRef(len(out) + 1, evaluation.name or evaluation.title)
        out.append(Checked(evaluation, score, scheme, table, parent, last))
        for child in evaluation.children:
            add(child, evaluation, child_previous(child, last))

    for evaluation in evaluations:
        add(evaluation, None, previous(evaluation) if previous else None)
    return out


NO_PREVIOUS = (
    "“{name}”在上年自评表中没有对应的表（按类型、去掉年份后的名称和上一年度对应），未与上年对照"
)


def check_file(
    service: Any,
    path: str | Path,
    settings: AuditSettings,
    previous: tuple[Evaluation, ...] = (),
) -> CheckedFile:
    """Read and check one file; ``previous`` are last year's tables to compare with (each
    table with the one of its project or department, see ``audit.previous``)."""
    read = read_report(path)
    result = CheckedFile(read.name)
    result.errors = [(problem_text(p, read.name), p.source) for p in read.errors]
    report = read.report
    if report is None:
        return result
    tables = _tables(service, report.evaluations, among(previous) if previous else None)
    if previous:
        result.notes = [
            NO_PREVIOUS.format(name=c.evaluation.name or c.evaluation.title or "（未填名称）")
            for c in tables
            if c.parent is None and c.previous is None
        ]
    result.findings = run_audit(tables, report, settings)
    return result


def check_one(
    context: tuple[Any, AuditSettings, tuple[Evaluation, ...]], path: Path
) -> CheckedFile:
    """``check_file`` as a batch runs it (see ``service.batch``)."""
    service, settings, previous = context
    return check_file(service, path, settings, previous)


def check_failed(path: Path, reason: str) -> CheckedFile:
    """A file whose check crashed: one error naming the file, no findings."""
    message = f"检查 {path} 时{reason}，已跳过该文件"
    return CheckedFile(str(path), errors=[(message, SourceRef(file=str(path)))])


def finding_to_data(finding: Finding) -> dict[str, Any]:
    """A finding as JSON data, the one shape of ``check --format json`` and the web API:
    ``field`` the rule's word as always, ``path`` / ``paths`` where it is (canonical field
    paths), ``field_label`` how people say that place."""
    table = finding.table
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "table": {"index": table.index, "title": table.title} if table else None,
        "indicator": finding.indicator,
        "field": finding.field,
        "expected": finding.expected,
        "actual": finding.actual,
        "source": encode(finding.source),
        "rule": finding.rule,
        "advice": finding.advice,
        "path": str(finding.paths[0]) if finding.paths else None,
        "paths": [str(path) for path in finding.paths],
        "field_label": finding.field_label,
    }


def checked_to_data(checked: CheckedFile) -> dict[str, Any]:
    return {
        "source": checked.path,
        "findings": [finding_to_data(f) for f in checked.findings],
        "errors": [{"message": m, "source": encode(s)} for m, s in checked.errors],
        "notes": list(checked.notes),
    }
