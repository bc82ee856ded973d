"""Exports of a stored evaluation: the forms (xlsx, docx, pdf) and the review opinion."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jixiao.audit import Finding, TableRef
from jixiao.render.review import SignedReview
from jixiao.service import Service, exports
from jixiao.store import Store, StoredEvaluation


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    suffix: str
    media_type: str
    label: str  # in the file name


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORTS = {
    f.name: f
    for f in (
        ExportFormat("xlsx", ".xlsx", XLSX, "自评表"),
        ExportFormat("docx", ".docx", DOCX, "自评报告"),
        ExportFormat("pdf", ".pdf", "application/pdf", "自评报告"),
        ExportFormat("review-docx", ".docx", DOCX, "审核意见"),
        ExportFormat("review-xlsx", ".xlsx", XLSX, "审核意见"),
    )
}


def stored_findings(stored: StoredEvaluation) -> list[Finding]:
    """The stored findings as the audit's own values, for the review renderers: the report's
    own (基础数据表, 正文) first, then the table's."""
    table = TableRef(stored.summary.table_index, stored.evaluation.name)
    return [
        f.as_finding(table if f.evaluation_id is not None else None)
        for f in (*stored.report_findings, *stored.findings)
    ]


def render(
    store: Store,
    service: Service,
    stored: StoredEvaluation,
    document_name: str,
    fmt: ExportFormat,
    folder: Path,
    signed: SignedReview | None = None,
) -> Path:
    """Write the export into ``folder``; its path. The review opinion of a table reviewed in
    the web app is ``signed`` (its decisions, notes and conclusion), else its findings alone."""
    target = folder / f"export{fmt.suffix}"
    if fmt.name.startswith("review-"):
        from jixiao.render.review import review_docx, review_xlsx

        write = review_docx if fmt.name == "review-docx" else review_xlsx
        write([signed or (document_name, stored_findings(stored))], target)
        return target
    return exports.render_stored(store, service, stored, fmt.name, target)


def file_name(stored: StoredEvaluation, fmt: ExportFormat) -> str:
    return exports.file_name(stored, fmt.label, fmt.suffix)


def disposition(name: str, fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII name for old clients, the Chinese one as ``filename*``."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
