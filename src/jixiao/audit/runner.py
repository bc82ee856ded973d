"""Run every enabled rule; a rule that crashes becomes one finding and the audit goes on."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Rule
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
                for checked in tables:
                    findings.extend(rule.check(Context(options, checked, tuple(tables), report)))
            else:
                findings.extend(rule.check(Context(options, None, tuple(tables), report)))
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
    return sorted(findings, key=_order)
