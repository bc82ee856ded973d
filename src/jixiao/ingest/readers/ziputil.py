"""Checks before an office file is opened: what its bytes really are, and a zip-bomb guard."""

from __future__ import annotations

import io
from pathlib import Path

from jixiao.ingest.raw import ReadError

ZIP_LIMIT = 200 * 1024 * 1024  # declared uncompressed size of all members
MAX_MEMBERS = 20_000

_KINDS = {
    "zip": "Office 2007 及以后的文件（.docx/.xlsx）",
    "ole": "旧版 Office 文件（.doc/.xls/.wps/.et）",
    "pdf": "PDF 文件",
    "html": "网页（HTML）文件",
    "text": "纯文本文件",
    "binary": "无法识别的二进制文件",
}


def file_bytes(path: Path) -> bytes:
    """A file's content for a reader that is given a path."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReadError(f"无法打开文件：{error.strerror or error}") from error


def sniff(data: bytes) -> str:
    """What a file is by its first bytes: zip, ole, pdf, html, text, binary or empty."""
    head = data[:4096]
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta")):
        return "html"
    if b"<html" in lowered or b"<table" in lowered:
        return "html"
    if b"\x00" in head:
        return "binary"
    return "text"


def describe(kind: str) -> str:
    """A Chinese name for what ``sniff`` found, for messages."""
    return _KINDS.get(kind, "无法识别的文件")


def expect(data: bytes, wanted: str, label: str) -> None:
    """Refuse a file that is empty or not of the ``wanted`` kind, saying what it really is."""
    kind = sniff(data)
    if kind == "empty":
        raise ReadError("文件是空的")
    if kind == "ole" and wanted == "zip" and _encrypted_package(data):
        raise ReadError("文件有密码保护（已加密），无法读取；请去掉密码后再提交")
    if kind != wanted:
        raise ReadError(
            f"文件扩展名是{label}，但内容其实是{describe(kind)}；请确认文件类型或用正确的扩展名"
        )


def _encrypted_package(data: bytes) -> bool:
    """A password-protected .docx/.xlsx: an OLE container holding an "EncryptedPackage"."""
    marker = "EncryptedPackage".encode("utf-16-le")
    return data.find(marker, 0, 16 * 1024 * 1024) >= 0


def check_zip(source: Path | bytes, limit_bytes: int = ZIP_LIMIT, label: str = "Office") -> None:
    """Refuse a damaged zip, or one whose members would unpack to more than ``limit_bytes``.

    Only the central directory is read, so a zip bomb is refused before anything is
    extracted; zipfile then enforces each member's declared size when it is read.
    """
    import zipfile  # here: a text file is read without it (jixiao check starts faster)

    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(opened) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ReadError(f"{label}文件已损坏或不完整（无法解压：{error}）") from error
    if len(members) > MAX_MEMBERS:
        raise ReadError(f"{label}文件包含 {len(members)} 个部件，数量异常，已拒绝读取")
    total = sum(info.file_size for info in members)
    if total > limit_bytes:
        raise ReadError(
            f"{label}文件解压后有 {total / 1024 / 1024:.0f} MB，超过 "
            f"{limit_bytes / 1024 / 1024:.0f} MB 的上限（可能是压缩炸弹），已拒绝读取"
        )


# What a library says when a file's XML declares entities: a "billion laughs" bomb or an
# entity that points at another file (XXE). The reader refuses such a file.
_ENTITY_WORDS = ("entity", "amplification", "doctype")
ENTITIES = "文件的 XML 中声明了实体（可能是“XML 炸弹”或引用外部文件），为安全起见拒绝读取"


def damaged(kind: str, suffix: str, error: BaseException) -> ReadError:
    """The error for an Office file its library could not open, said in Chinese alone (the
    library's own words, in English, go to the log): entities named as such, else damage."""
    import logging  # here, as zipfile above

    log = logging.getLogger("jixiao.ingest")
    log.info("%s file not read: %s: %s", kind, type(error).__name__, error)
    if any(word in str(error).lower() for word in _ENTITY_WORDS):
        return ReadError(ENTITIES)
    return ReadError(f"无法读取 {kind} 文件（文件已损坏或不是 {suffix} 格式）")
