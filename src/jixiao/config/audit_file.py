"""Audit settings files: enable, disable and re-grade rules and set their options.

```yaml
rules:
  DV03: {enabled: false}            # a locality that does not ask for explanations
  TG01: {severity: warning, options: {threshold: 2}}
  FD01: {options: {tolerance: 0.01}}
min_confidence: 0.85                # below it, findings on a table are 提示 (reading doubtful)
min_confidence_for_blanks: 0.95     # below it, "missing" findings are 提示 (a rebuilt table)
```
Every code must be in the catalogue and every option declared by its rule; mistakes are
reported with the file, line and key like any other input.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from jixiao.audit import CATALOGUE, AuditSettings, RuleSettings, Severity
from jixiao.loading import Loaded, LoadError, Problem, decode, load_bytes, load_data


@dataclass(frozen=True, slots=True)
class RuleEntry:
    """一条规则的设置"""

    enabled: bool = True
    severity: Literal["error", "warning", "info"] | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditFile:
    """审核设置文件"""

    rules: Mapping[str, RuleEntry] = field(default_factory=dict)
    min_confidence: Decimal | None = None
    min_confidence_for_blanks: Decimal | None = None


def load_audit_settings(path: str | Path) -> AuditSettings:
    return _settings(load_data(path))


def audit_settings_from_bytes(content: bytes, file_name: str) -> AuditSettings:
    """An uploaded settings file, checked as ``load_audit_settings`` checks one on disk."""
    return _settings(load_bytes(content, file_name))


def _settings(loaded: Loaded) -> AuditSettings:
    spec = decode(AuditFile, loaded)
    problems: list[Problem] = []
    rules: dict[str, RuleSettings] = {}
    for code, entry in spec.rules.items():
        rule = CATALOGUE.rules.get(code)
        if rule is None:
            problems.append(
                Problem(
                    loaded.file,
                    f"没有编号为 {code} 的规则",
                    loaded.line(("rules", code)),
                    ("rules", code),
                )
            )
            continue
        declared = {o.name for o in rule.options}
        for name in entry.options:
            if name not in declared:
                where = ("rules", code, "options", name)
                known = "、".join(sorted(declared)) or "无"
                problems.append(
                    Problem(
                        loaded.file,
                        f"规则 {code} 没有设置项“{name}”（可用：{known}）",
                        loaded.line(where),
                        where,
                    )
                )
        severity = Severity(entry.severity) if entry.severity else None
        rules[code] = RuleSettings(entry.enabled, severity, dict(entry.options))
    if problems:
        raise LoadError(problems)
    settings = AuditSettings(rules=rules)
    if spec.min_confidence is not None:
        settings = dataclasses.replace(settings, min_confidence=spec.min_confidence)
    if spec.min_confidence_for_blanks is not None:
        blanks = spec.min_confidence_for_blanks
        settings = dataclasses.replace(settings, min_confidence_for_blanks=blanks)
    return settings
