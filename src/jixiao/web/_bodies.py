"""The API's bodies as plain data: a list line, an evaluation with its score and findings,
and the ``path`` that puts each finding on its cell."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from jixiao.loading import encode
from jixiao.model import Evaluation
from jixiao.scoring import EvaluationScore
from jixiao.store import Comment, HistoryEntry, StoredEvaluation, StoredFinding
from jixiao.store.listing import Listed

INDICATOR_FIELDS = frozenset(
    {"level1", "level2", "name", "target", "actual", "weight", "score", "deviation"}
)
HEADER_FIELDS = frozenset(
    {"kind", "title", "name", "department", "implementer", "year", "scheme", "grade"}
)
FUNDS_FIELDS = frozenset(
    {"initial_budget", "annual_budget", "executed", "weight", "rate", "score", "amount"}
)
_ROWS = re.compile(r"^funds\.rows\.(\w+)$")
_GROUPS = re.compile(r"^funds\.groups\.(.+)$")


def number(value: Decimal | None) -> Decimal | None:
    """A database figure (``98.5800`` from a Numeric column) as written: ``98.58``, ``100``."""
    if value is None:
        return None
    shown = value.normalize()
    return shown.quantize(Decimal(1)) if shown.as_tuple().exponent > 0 else shown  # type: ignore[operator]


def when(value: datetime | None) -> str | None:
    """Database times are naive UTC: written as ISO 8601 with the zone."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def _indicator_index(
    evaluation: Evaluation, name: str | None, source: Mapping[str, Any] | None
) -> int | None:
    """The indicator a finding names: by name, by source where names repeat or are missing."""
    named = [n for n, i in enumerate(evaluation.indicators) if name and i.name == name]
    if len(named) == 1:
        return named[0]
    candidates = named or range(len(evaluation.indicators))
    indicators = evaluation.indicators
    by_source = [
        n
        for n in candidates
        if source and indicators[n].source and encode(indicators[n].source) == source
    ]
    if by_source:
        return by_source[0]
    return named[0] if named else None


def _funds_row(evaluation: Evaluation, source: Mapping[str, Any] | None, label: str) -> int | None:
    rows = evaluation.funds.rows
    for n, row in enumerate(rows):
        if source and row.source and encode(row.source) == source:
            return n
    return next((n for n, row in enumerate(rows) if label in row.label), None)


def _one_path(evaluation: Evaluation, finding: StoredFinding, field: str | None) -> str | None:
    if finding.indicator is not None or (field in INDICATOR_FIELDS and finding.source):
        index = _indicator_index(evaluation, finding.indicator, finding.source)
        if index is None:
            return None
        return (
            f"indicators[{index}].{field}" if field in INDICATOR_FIELDS else f"indicators[{index}]"
        )
    if not field:
        return None
    head, _, rest = field.partition(".")
    if head == "funds":
        if rest in FUNDS_FIELDS:
            return field
        if match := _ROWS.match(field):
            row = _funds_row(evaluation, finding.source, "总额")
            return None if row is None else f"funds.rows[{row}].{match.group(1)}"
        if match := _GROUPS.match(field):
            group = match.group(1)
            row = next(
                (n for n, r in enumerate(evaluation.funds.rows) if group in (r.group or r.label)),
                None,
            )
            return None if row is None else f"funds.rows[{row}]"
        return "funds" if not rest else None
    if head == "total" and rest in ("score", "weight"):
        return field
    if head == "goals" and rest in ("", "expected", "actual"):
        return field
    if head == "level1_weights" and rest:
        return field
    if field in HEADER_FIELDS:
        return field
    return None  # the whole table (weights, categories) or another table (basic data)


def finding_path(evaluation: Evaluation, finding: StoredFinding) -> str | None:
    """Where in the table a finding is: ``indicators[3].score``, ``funds.rate``, ``grade``…;
    None when it concerns the table as a whole. Several fields: the first that has a cell."""
    fields = (finding.field or "").split(",") if finding.field else [None]
    for field in fields:
        path = _one_path(evaluation, finding, field.strip() if field else None)
        if path is not None:
            return path
    return None


def finding_data(
    evaluation: Evaluation | None, finding: StoredFinding, table_index: int | None
) -> dict[str, Any]:
    """Contract §3's finding, plus ``id``, ``path`` and the severity's Chinese label; with no
    evaluation, a finding of the report itself (基础数据表, 正文): no table, no path."""
    from jixiao.audit import Severity

    if evaluation is None or table_index is None:
        table, path = None, None
    else:
        table = {"index": table_index, "title": evaluation.name or evaluation.title}
        path = finding_path(evaluation, finding)
    return {
        "id": finding.id,
        "code": finding.code,
        "severity": finding.severity,
        "severity_label": Severity(finding.severity).label,
        "message": finding.message,
        "table": table,
        "indicator": finding.indicator,
        "field": finding.field,
        "expected": finding.expected,
        "actual": finding.actual,
        "source": finding.source,
        "rule": finding.rule,
        "advice": finding.advice,
        "path": path,
    }


def score_data(score: EvaluationScore) -> dict[str, Any]:
    return {
        "scheme": score.scheme_name,
        "execution_rate": score.funds.rate,
        "execution_score": score.funds.score,
        "execution_explanation": score.funds.explanation,
        "total": score.total,
        "grade": score.grade,
        "indicators": [
            {
                "index": index,
                "score": item.expected(),
                "rule": item.rule.value,
                "explanation": item.explanation,
            }
            for index, item in enumerate(score.indicators)
        ],
    }


def comment_data(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "user": comment.user,
        "step": comment.step.value,
        "step_label": comment.step.label,
        "text": comment.text,
        "at": when(comment.at),
    }


def history_data(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": when(entry.at),
        "user": entry.user,
        "action": entry.action,
        "path": entry.field,
        "old": entry.old,
        "new": entry.new,
    }


def evaluation_data(
    stored: StoredEvaluation, score: EvaluationScore, document: tuple[str, str]
) -> dict[str, Any]:
    summary, evaluation = stored.summary, stored.evaluation
    return {
        "id": summary.id,
        "state": summary.state.value,
        "state_label": summary.state.label,
        "unit": summary.unit,
        "version": summary.version,
        "parent_id": summary.parent_id,
        "table_index": summary.table_index,
        "updated_at": when(summary.updated_at),
        "document": {"id": summary.document_id, "name": document[0], "sha256": document[1]},
        "evaluation": encode(evaluation),
        "score": score_data(score),
        "findings": [finding_data(evaluation, f, summary.table_index) for f in stored.findings],
        "report_findings": [finding_data(None, f, None) for f in stored.report_findings],
        "comments": [comment_data(c) for c in stored.comments],
    }


def list_item(listed: Listed) -> dict[str, Any]:
    s = listed.summary
    return {
        "id": s.id,
        "name": s.name,
        "department": s.department,
        "unit": s.unit,
        "kind": s.kind,
        "year": s.year,
        "state": s.state.value,
        "state_label": s.state.label,
        "total": number(s.score),
        "grade": s.score_grade,
        "written_total": number(s.total),
        "written_grade": s.grade,
        "errors": listed.errors,
        "warnings": listed.warnings,
        "infos": listed.infos,
        "report_findings": {severity: count for severity, count in listed.report_counts},
        "parent_id": s.parent_id,
        "updated_at": when(s.updated_at),
        "document": {"id": s.document_id, "name": listed.document_name},
    }
