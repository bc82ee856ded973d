"""The API's bodies as plain data: a list line, an evaluation with its score and findings
(each with the ``path`` the rule gave it, which puts it on its cell), comments, history, a
record's versions and what changed between two of them."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from jixiao.audit import Severity, TableRef
from jixiao.model import Evaluation
from jixiao.scoring import EvaluationScore
from jixiao.service.audit import finding_to_data
from jixiao.store import (
    Comment,
    EvaluationSummary,
    HistoryEntry,
    StoredEvaluation,
    StoredFinding,
)
from jixiao.store.listing import Listed
from jixiao.store.versions import Change, Version


def number(value: Decimal | None) -> Decimal | None:
    """A database figure (``98.5800`` from a Numeric column) as written: ``98.58``, ``100``."""
    if value is None:
        return None
    shown = value.normalize()
    return shown.quantize(Decimal(1)) if shown.as_tuple().exponent > 0 else shown  # type: ignore[operator]


def when(value: datetime | None) -> str | None:
    """Database times are naive UTC: written as ISO 8601 with the zone."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def finding_data(
    evaluation: Evaluation | None, finding: StoredFinding, table_index: int | None
) -> dict[str, Any]:
    """Contract §3's finding (``service.finding_to_data``, as ``check --format json``), plus
    ``id`` and the severity's Chinese label; with no evaluation, a finding of the report
    itself (基础数据表, 正文): no table."""
    table = None
    if evaluation is not None and table_index is not None:
        table = TableRef(table_index, evaluation.name or evaluation.title)
    # the source as stored (what ``encode`` made of it at the import), not built into a
    # SourceRef to be encoded straight back
    data = finding_to_data(dataclasses.replace(finding, source=None).as_finding(table))
    data["source"] = finding.source
    return {"id": finding.id, "severity_label": Severity(finding.severity).label, **data}


def score_data(score: EvaluationScore) -> dict[str, Any]:
    return {
        "scheme": score.scheme_name,
        "scheme_title": score.scheme_title,
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
        "path": str(comment.path) if comment.path else None,
        "field_label": comment.path.label() if comment.path else "",
    }


def history_data(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "at": when(entry.at),
        "user": entry.user,
        "action": entry.action,
        "path": str(entry.path) if entry.path else None,
        "field_label": entry.path.label() if entry.path else "",
        "old": entry.old,
        "new": entry.new,
        "note": entry.note,
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
        "score": score_data(score),
        "findings": [finding_data(evaluation, f, summary.table_index) for f in stored.findings],
        "report_findings": [finding_data(None, f, None) for f in stored.report_findings],
        "comments": [comment_data(c) for c in stored.comments],
    }


def summary_data(s: EvaluationSummary) -> dict[str, Any]:
    """What a line of a list says of a table: its name and place, state, score and grade
    (recomputed; as written beside)."""
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
        # 填报 ≠ 复核: the unit claimed another total or grade than the scheme gives
        "gap": declared_gap(s.total, s.grade, s.score, s.score_grade),
    }


def declared_gap(
    written: Decimal | None, grade: str | None, score: Decimal | None, score_grade: str | None
) -> bool:
    """Whether the written total or grade (填报) differs from the recomputed one (复核);
    nothing to compare is no gap."""
    totals = written is not None and score is not None and written != score
    grades = bool(grade) and bool(score_grade) and grade != score_grade
    return totals or grades


def list_item(listed: Listed) -> dict[str, Any]:
    s = listed.summary
    return {
        **summary_data(s),
        "errors": listed.errors,
        "warnings": listed.warnings,
        "infos": listed.infos,
        "report_findings": {severity: count for severity, count in listed.report_counts},
        "parent_id": s.parent_id,
        "updated_at": when(s.updated_at),
        "document": {"id": s.document_id, "name": listed.document_name},
    }


CHANGE_KINDS = {"changed": "修改", "added": "新增", "removed": "删除"}


def said(value: Any) -> str:
    """A compared value as people read it: （空） for none, a row (an indicator, a funds
    row) by its name."""
    if value is None:
        return "（空）"
    if isinstance(value, dict):
        return str(value.get("name") or value.get("label") or "（未填名称）")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def version_data(version: Version) -> dict[str, Any]:
    """One version of a record: 第N版, its file, who uploaded it and when, when it was
    replaced (none for the current one)."""
    return {
        "revision": version.revision,
        "label": f"第{version.revision}版",
        "file": version.file_name,
        "uploaded_by": version.uploaded_by,
        "uploaded_at": when(version.uploaded_at),
        "replaced_at": when(version.replaced_at),
        "current": version.current,
    }


def change_data(change: Change) -> dict[str, Any]:
    """A field changed between two versions, named as the form names it (第6个指标的“得分”),
    its values as people read them; a row added or removed says so."""
    return {
        "path": str(change.path),
        "label": change.path.label() or "其他内容",
        "kind": change.kind,
        "kind_label": CHANGE_KINDS[change.kind],
        "old": "（无）" if change.kind == "added" else said(change.old),
        "new": "（无）" if change.kind == "removed" else said(change.new),
    }
