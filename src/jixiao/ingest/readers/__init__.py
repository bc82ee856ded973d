"""Readers: one per file format, each giving a ``RawDocument``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jixiao.ingest.raw import RawDocument, ReadError
from jixiao.ingest.readers.text import read_text

Reader = Callable[[Path], RawDocument]


def _lazy(module: str, function: str) -> Reader:
    """Import a reader's heavy library only when a file of its kind comes along."""

    def read(path: Path) -> RawDocument:
        import importlib

        reader: Reader = getattr(importlib.import_module(module), function)
        return reader(path)

    return read


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".docx": _lazy("jixiao.ingest.readers.docx", "read_docx"),
    ".xlsx": _lazy("jixiao.ingest.readers.xlsx", "read_xlsx"),
    ".xlsm": _lazy("jixiao.ingest.readers.xlsx", "read_xlsx"),
    ".xls": _lazy("jixiao.ingest.readers.xls", "read_xls"),
    ".pdf": _lazy("jixiao.ingest.readers.pdf", "read_pdf"),
    ".html": _lazy("jixiao.ingest.readers.html", "read_html"),
    ".htm": _lazy("jixiao.ingest.readers.html", "read_html"),
}
CONVERTED = {".doc": "docx", ".wps": "docx", ".et": "xlsx", ".rtf": "docx"}


def read_document(path: Path) -> RawDocument:
    """Read any supported file; ``ReadError`` with a Chinese message when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in CONVERTED:
        from jixiao.ingest.readers.office import read_converted

        target = CONVERTED[suffix]
        return read_converted(path, target, READERS["." + target])
    reader = READERS.get(suffix)
    if reader is None:
        known = "、".join(sorted({*READERS, *CONVERTED}))
        raise ReadError(f"不支持的文件类型“{suffix or '（无扩展名）'}”（支持：{known}）")
    return reader(path)
