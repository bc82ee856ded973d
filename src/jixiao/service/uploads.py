"""One uploaded file into the store with its uploader's rights, and its outcome as the
upload page shows it: the same for a file imported in the request and for one imported by
a background job (``jixiao.service.jobs``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from jixiao.audit import AuditSettings
from jixiao.service.facade import Service
from jixiao.service.store import import_bytes
from jixiao.store import ImportOutcome, ImportStatus, Store, User
from jixiao.store.listing import Scope
from jixiao.store.policy import can_see, scope_for


@dataclass(frozen=True, slots=True)
class UploadResult:
    file: str
    status: str  # imported | exists | failed
    message: str
    evaluations: list[int] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "message": self.message,
            "evaluations": self.evaluations,
        }


def safe_name(name: str) -> str:
    """The last part of a client's file name, without anything that walks directories."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    return base[:200] or "未命名文件"


def described(
    label: str, outcome: ImportOutcome, tables: Sequence[Scope], user: User
) -> UploadResult:
    """What the upload page says of a stored file: the tables ``user`` may open, and how
    many tables and findings came (or that the file was there before)."""
    ids = [t.id for t in tables if can_see(user, t.unit_id)]
    if outcome.status is ImportStatus.EXISTS:
        return UploadResult(label, "exists", "该文件此前已导入，未重复导入", ids)
    none = "；文件中没有找到绩效自评表" if outcome.evaluations == 0 else ""
    replaced = ""
    if outcome.replaced:
        replaced = f"（其中 {outcome.replaced} 张为已有自评表的新版本，原版本保留在版本记录中）"
    return UploadResult(
        label,
        "imported",
        f"已导入 {outcome.evaluations} 张自评表{replaced}，{outcome.findings} 条审核发现{none}",
        ids,
    )


def import_upload(
    store: Store,
    service: Service,
    label: str,
    content: bytes,
    user: User,
    unit: str | None,
    settings: AuditSettings | None,
) -> UploadResult:
    """One file of an upload: messages name it as the user knows it (批量.zip/报告/001.txt);
    the store keeps the file's own name. A unit's clerk files only its unit's reports; a
    reviewer files a report for the unit it chose, else for the unit the report names."""
    clerk = scope_for(user).restricted
    result = import_bytes(
        store,
        service,
        label,
        content,
        settings,
        unit,
        user.name,
        file_name=safe_name(label),
        owner=user if clerk else None,
        unit_from_report=not clerk,
    )
    outcome = result.outcome
    if outcome is None:
        return UploadResult(label, "failed", result.error or "导入失败")
    return described(label, outcome, store.document_tables(outcome.document_id), user)
