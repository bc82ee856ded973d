"""Uploaded files (and the files inside uploaded zips) into the store, one result each.

Everything is read in memory and handed to the store as bytes: no upload is written to disk.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from jixiao.audit import AuditSettings
from jixiao.ingest.parse import MAX_BYTES
from jixiao.ingest.readers.ziputil import MAX_MEMBERS, ZIP_LIMIT
from jixiao.service import READABLE, Service
from jixiao.service.reading import unsupported
from jixiao.service.store import import_bytes
from jixiao.store import ImportStatus, Store, User
from jixiao.store.policy import can_see, scope_for

_CHUNK = 1024 * 1024


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


class TooLarge(Exception):
    pass


def _safe_name(name: str) -> str:
    """The last part of a client's file name, without anything that walks directories."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    return base[:200] or "未命名文件"


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without saying so (no UTF-8 flag)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _read(source: IO[bytes], limit: int) -> bytes:
    """The stream's bytes; ``TooLarge`` as soon as there are more than ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while chunk := source.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def _zip_members(archive_name: str, stream: IO[bytes]) -> Iterator[tuple[str, bytes | str]]:
    """(label, content) for every readable member, or (label, why it was refused)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        yield archive_name, "压缩包已损坏或不是 zip 文件"
        return
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in members)
        if len(members) > MAX_MEMBERS or total > ZIP_LIMIT:
            yield (
                archive_name,
                f"压缩包解压后有 {len(members)} 个文件、{total / 1024 / 1024:.0f} MB，超过上限"
                f"（{MAX_MEMBERS} 个、{ZIP_LIMIT // 1024 // 1024} MB；可能是压缩炸弹），已拒绝",
            )
            return
        for info in members:
            inner = _member_name(info)
            label = f"{archive_name}/{inner}"
            parts = PurePosixPath(inner.replace("\\", "/")).parts
            if ".." in parts or inner.startswith(("/", "\\")):
                yield label, "压缩包中此文件的路径指向压缩包之外（含 ../ 或以 / 开头），已拒绝"
                continue
            if any(p.startswith(".") or p == "__MACOSX" for p in parts):
                continue  # macOS resource forks, hidden files
            if PurePosixPath(inner).suffix.lower() not in READABLE:
                yield label, _unsupported(inner)
                continue
            try:
                with archive.open(info) as source:
                    content = _read(source, min(MAX_BYTES, info.file_size))
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                TooLarge,
                zlib.error,
                RuntimeError,  # encrypted
                NotImplementedError,  # a compression zipfile does not know
            ):
                yield (
                    label,
                    "无法解压此文件（压缩包损坏、已加密、使用不支持的压缩方式或大小与声明不符）",
                )
                continue
            yield label, content


def _unsupported(name: str) -> str:
    return unsupported(name, also=(".zip",))


def _import(
    store: Store,
    service: Service,
    label: str,
    content: bytes,
    user: User,
    unit: str | None,
    settings: AuditSettings | None,
) -> UploadResult:
    # messages name the upload as the user knows it (批量.zip/报告/001.txt); the store keeps
    # the file's own name. A unit's clerk files only its unit's reports; a reviewer files a
    # report for the unit it chose, else for the unit the report names.
    clerk = scope_for(user).restricted
    result = import_bytes(
        store,
        service,
        label,
        content,
        settings,
        unit,
        user.name,
        file_name=_safe_name(label),
        owner=user if clerk else None,
        unit_from_report=not clerk,
    )
    outcome = result.outcome
    if outcome is None:
        return UploadResult(label, "failed", result.error or "导入失败")
    tables = store.document_tables(outcome.document_id)
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


def import_uploads(
    store: Store,
    service: Service,
    files: Sequence[tuple[str, IO[bytes]]],
    user: User,
    unit: str | None,
    *,
    settings: AuditSettings | None = None,
) -> list[UploadResult]:
    """Each file (each zip member) imported on its own transaction, checked with
    ``settings`` (the instance's audit settings); one result each."""
    results: list[UploadResult] = []
    for name, stream in files:
        label = _safe_name(name)
        if label.lower().endswith(".zip"):
            for inner, got in _zip_members(label, stream):
                if isinstance(got, str):
                    results.append(UploadResult(inner, "failed", got))
                else:
                    results.append(_import(store, service, inner, got, user, unit, settings))
            continue
        if PurePosixPath(label).suffix.lower() not in READABLE:
            results.append(UploadResult(label, "failed", _unsupported(label)))
            continue
        try:
            content = _read(stream, MAX_BYTES)
        except TooLarge:
            limit = MAX_BYTES // 1024 // 1024
            results.append(UploadResult(label, "failed", f"文件过大（上限 {limit} MB）"))
            continue
        results.append(_import(store, service, label, content, user, unit, settings))
    return results
