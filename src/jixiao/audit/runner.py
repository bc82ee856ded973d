"""Run every enabled rule; a rule that crashes becomes one finding and the audit goes on."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Rule, Shared
from jixiao.audit.rules import CATALOGUE
from jixiao.audit.settings import AuditSettings
from jixiao.model import Report


def _order(finding: Finding) -> tuple[int, int, int, str]:
    table = finding.table.index if finding.table else 0
    source = finding.source
    position = (source.row or source.line or 0) if source else 0
    return (table, -finding.severity.rank, position, finding.code)


def run_audit(
    tables: Sequence[Checked],
    report: Report | None = None,
    settings: AuditSettings | None = None,
    rules: dict[str, type[Rule]] | None = None,
) -> list[Finding]:
    settings = settings or AuditSettings()
    findings: list[Finding] = []
    every = tuple(tables)
    shared = Shared(every, report)  # the sentences of the narrative etc., worked out once
    for code, cls in (rules or CATALOGUE.rules).items():
        chosen = settings.for_rule(code)
        if not chosen.enabled:
            continue
        options = {o.name: o.default for o in cls.options}
        options.update(chosen.options)
        options["severity"] = chosen.severity or cls.severity
        rule = cls()
        try:
            if cls.scope == "evaluation":
                for checked in every:
                    findings.extend(rule.check(Context(options, checked, every, report, shared)))
            else:
                findings.extend(rule.check(Context(options, None, every, report, shared)))
        except Exception as error:  # the audit goes on without this rule
            findings.append(
                Finding(
                    code=code,
                    severity=Severity.ERROR,
                    rule=cls.name,
                    message=f"规则 {code} 运行出错（{type(error).__name__}: {error}），"
                    f"本规则的结果缺失，其余规则照常检查",
                )
            )
    return sorted(_doubtful(findings, tables, settings), key=_order)


DOUBT = "（此表{how}，识别可信度 {confidence}，请先与原件核对）"
BLANK_DOUBT = "（此表{how}，空缺或合计不符可能来自读取遗漏，请先与原件核对）"
REBUILT = "由失去表格结构的文字重建"
SCANNED = "由扫描件识别"


def _how(checked: Checked) -> str:
    """How the table was read, as the doubt says it: from a scan, or rebuilt from text."""
    notes = checked.evaluation.read_notes
    return SCANNED if any(n.startswith(SCANNED) for n in notes) else REBUILT


def _doubtful(
    findings: list[Finding], tables: Sequence[Checked], settings: AuditSettings
) -> list[Finding]:
    """Findings on a table read with little confidence become 提示: what looks like the
    unit's mistake may be a cell read into the wrong column; so do findings of something
    missing on a table rebuilt from text (below ``min_confidence_for_blanks``)."""
    confidence = {
        checked.table.index: (checked.evaluation.confidence, _how(checked))
        for checked in tables
        if checked.evaluation.confidence is not None
        and checked.evaluation.confidence < settings.min_confidence_for_blanks
    }
    if not confidence:
        return findings
    absent = {code for code, rule in CATALOGUE.rules.items() if rule.absence}
    out: list[Finding] = []
    for finding in findings:
        found = confidence.get(finding.table.index) if finding.table else None
        if found is None or finding.severity is Severity.INFO:
            out.append(finding)
        elif found[0] < settings.min_confidence:
            out.append(_as_hint(finding, DOUBT.format(how=found[1], confidence=found[0])))
        elif finding.code in absent:
            out.append(_as_hint(finding, BLANK_DOUBT.format(how=found[1])))
        else:
            out.append(finding)
    return out


def _as_hint(finding: Finding, why: str) -> Finding:
    return dataclasses.replace(
        finding,
        severity=Severity.INFO,
        message=finding.message + why,
        details={**finding.details, "read_severity": finding.severity.value},
    )
