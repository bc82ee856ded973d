"""Which rules run, at which severity, with which options: plain data read by jixiao.config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.audit.finding import Severity


@dataclass(frozen=True, slots=True)
class RuleSettings:
    enabled: bool = True
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditSettings:
    rules: Mapping[str, RuleSettings] = field(default_factory=dict)
    only: frozenset[str] | None = None  # when set, just these codes run
    # Below this reading confidence a table's findings are 提示 to check against the
    # original, never errors of the unit (see ingest.forms.confidence).
    min_confidence: Decimal = Decimal("0.85")
    # Below this one (a table rebuilt from text), findings that something is missing are
    # 提示: a blank there may be a cell the reading lost.
    min_confidence_for_blanks: Decimal = Decimal("0.95")

    def for_rule(self, code: str) -> RuleSettings:
        settings = self.rules.get(code, RuleSettings())
        if self.only is not None and code not in self.only:
            return RuleSettings(enabled=False)
        return settings
