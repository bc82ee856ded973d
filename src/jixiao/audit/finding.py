"""A finding: what a rule found, where, and with which numbers. A value, never an exception."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jixiao.model import SourceRef
from jixiao.model.field_path import FieldPath, labels


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


class Decision(StrEnum):
    """What the reviewer decided about a finding: the unit must change it, it was checked
    and is right as written, or it does not matter here."""

    NEEDS_CHANGE = "needs_change"
    VERIFIED = "verified"
    IGNORED = "ignored"

    @property
    def label(self) -> str:
        return DECISION_LABELS[self]


DECISION_LABELS = {
    Decision.NEEDS_CHANGE: "需修改",
    Decision.VERIFIED: "已核实无误",
    Decision.IGNORED: "可忽略",
}


@dataclass(frozen=True, slots=True)
class TableRef:
    """The evaluation a finding concerns: its 1-based position in the document and title."""

    index: int
    title: str | None


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule found. ``field`` is the rule's own word for the field as JSON output has
    always given it (``score`` of the named indicator, ``funds.rows.executed``); ``paths`` is
    where the finding is, set by the rule when it makes the finding: from the table's top
    (``indicators[5].score``, ``funds.rows[0].executed``), several for a finding about
    several fields, none for the table as a whole."""

    code: str
    severity: Severity
    message: str
    rule: str
    table: TableRef | None = None
    indicator: str | None = None
    field: str | None = None
    expected: Decimal | str | None = None
    actual: Decimal | str | None = None
    source: SourceRef | None = None
    advice: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    paths: tuple[FieldPath, ...] = ()

    @property
    def field_label(self) -> str:
        """Where the finding is, as people say it: 第6个指标的“得分”, 名称、主管部门."""
        return labels(self.paths)
