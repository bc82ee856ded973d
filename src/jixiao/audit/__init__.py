"""The audit: a catalogue of coded review rules that turn evaluations into findings."""

from jixiao.audit.finding import Decision, Finding, Severity, TableRef
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.audit.rules import CATALOGUE
from jixiao.audit.runner import run_audit
from jixiao.audit.settings import AuditSettings, RuleSettings

__all__ = [
    "CATALOGUE",
    "AuditSettings",
    "Checked",
    "Context",
    "Decision",
    "Finding",
    "Option",
    "Rule",
    "RuleSettings",
    "Severity",
    "TableRef",
    "run_audit",
]
