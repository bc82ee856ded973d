"""Uploaded files (and the files inside uploaded zips) into the store, one result each, or
into an import job's items (``job_items``) for the background.

Everything is read in memory and handed to the store as bytes: no upload is written to disk.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import IO

from jixiao.audit import AuditSettings
from jixiao.ingest.parse import MAX_BYTES
from jixiao.ingest.readers.ziputil import MAX_MEMBERS, ZIP_LIMIT
from jixiao.service import READABLE, Service
from jixiao.service.reading import unsupported
from jixiao.service.uploads import UploadResult, import_upload, safe_name
from jixiao.store import Store, User
from jixiao.store.jobs import ItemState, NewItem

_CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


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


def _expanded(files: Sequence[tuple[str, IO[bytes]]]) -> Iterator[tuple[str, bytes | str]]:
    """(label, content) for every uploaded file and zip member, or (label, why it is
    refused) for one that cannot be imported."""
    for name, stream in files:
        label = safe_name(name)
        if label.lower().endswith(".zip"):
            yield from _zip_members(label, stream)
            continue
        if PurePosixPath(label).suffix.lower() not in READABLE:
            yield label, _unsupported(label)
            continue
        try:
            yield label, _read(stream, MAX_BYTES)
        except TooLarge:
            yield label, f"文件过大（上限 {MAX_BYTES // 1024 // 1024} MB）"


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
    return [
        UploadResult(label, "failed", got)
        if isinstance(got, str)
        else import_upload(store, service, label, got, user, unit, settings)
        for label, got in _expanded(files)
    ]


def job_items(files: Sequence[tuple[str, IO[bytes]]]) -> list[NewItem]:
    """Each uploaded file (each zip member) as an item of an import job: its bytes to be
    imported in the background, or failed already with the reason it is refused."""
    return [
        NewItem(label, state=ItemState.FAILED, message=got)
        if isinstance(got, str)
        else NewItem(label, got)
        for label, got in _expanded(files)
    ]
