"""Readers: one per file format, each giving a ``RawDocument`` from a file's bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from jixiao.ingest.raw import RawDocument, ReadError
from jixiao.ingest.readers.text import read_text_bytes
from jixiao.ingest.readers.ziputil import file_bytes

# (the file's bytes, the name messages and sources call it) → the document
Reader = Callable[[bytes, str], RawDocument]


def _lazy(module: str, function: str) -> Reader:
    """Import a reader's heavy library only when a file of its kind comes along."""

    def read(data: bytes, name: str) -> RawDocument:
        import importlib

        reader: Reader = getattr(importlib.import_module(module), function)
        return reader(data, name)

    return read


READERS: dict[str, Reader] = {
    ".txt": read_text_bytes,
    ".text": read_text_bytes,
    ".docx": _lazy("jixiao.ingest.readers.docx", "read_docx_bytes"),
    ".xlsx": _lazy("jixiao.ingest.readers.xlsx", "read_xlsx_bytes"),
    ".xlsm": _lazy("jixiao.ingest.readers.xlsx", "read_xlsx_bytes"),
    ".xls": _lazy("jixiao.ingest.readers.xls", "read_xls_bytes"),
    ".pdf": _lazy("jixiao.ingest.readers.pdf", "read_pdf_bytes"),
    ".html": _lazy("jixiao.ingest.readers.html", "read_html_bytes"),
    ".htm": _lazy("jixiao.ingest.readers.html", "read_html_bytes"),
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
        _lazy("jixiao.ingest.readers.images", "read_image_bytes"),
    ),  # by OCR (the ``ocr`` extra)
}
# Formats LibreOffice converts first (to the format named), with no Python reader of their own.
CONVERTED = {".doc": "docx", ".wps": "docx", ".et": "xlsx", ".rtf": "docx"}


def _unsupported(suffix: str) -> ReadError:
    known = "、".join(sorted({*READERS, *CONVERTED}))
    return ReadError(f"不支持的文件类型“{suffix or '（无扩展名）'}”（支持：{known}）")


def _on_disk(reader: Reader) -> Callable[[Path], RawDocument]:
    """``reader`` for a file on disk (what LibreOffice converted)."""
    return lambda path: reader(file_bytes(path), str(path))


def read_document(path: Path) -> RawDocument:
    """Read any supported file; ``ReadError`` with a Chinese message when it cannot be read."""
    if path.suffix.lower() not in (*READERS, *CONVERTED):
        raise _unsupported(path.suffix.lower())
    return read_document_bytes(file_bytes(path), str(path))


def read_document_bytes(data: bytes, name: str) -> RawDocument:
    """``read_document`` of a file's bytes; ``name`` (its suffix says the format) is what
    messages and sources call the file. Only LibreOffice's formats touch the disk."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix in CONVERTED:
        from jixiao.ingest.readers.office import read_converted_bytes

        target = CONVERTED[suffix]
        return read_converted_bytes(data, name, target, _on_disk(READERS["." + target]))
    reader = READERS.get(suffix)
    if reader is None:
        raise _unsupported(suffix)
    return reader(data, name)
