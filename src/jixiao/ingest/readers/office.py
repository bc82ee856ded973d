"""LibreOffice conversion of formats with no Python reader (.doc, .wps, .et, .rtf).

Each call runs ``soffice --headless --convert-to`` through ``jixiao.libreoffice`` (the
runner PDF output shares), with its own throw-away user profile, so conversions can run
in parallel. ``convert_with_libreoffice`` leaves the converted file in a fresh temporary
directory (the caller deletes it); ``read_converted`` reads it, deletes it and points the
sources back at the original file.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath

from jixiao import scratch
from jixiao.ingest.raw import Block, RawDocument, RawTable, ReadError
from jixiao.libreoffice import convert, find_soffice
from jixiao.model import SourceRef

log = logging.getLogger("jixiao.libreoffice")
TIMEOUT = 120  # seconds
MISSING = (
    "读取 .doc 文件需要 LibreOffice，但本机没有安装"
    "（Debian/Ubuntu：apt-get install libreoffice-writer）"
)


def read_converted(path: Path, to: str, reader: Callable[[Path], RawDocument]) -> RawDocument:
    """Convert, read, delete the converted copy; sources name the original file."""
    converted = convert_with_libreoffice(path, to)
    try:
        document = reader(converted)
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)
    return with_file(document, str(path))


def read_converted_bytes(
    data: bytes, name: str, to: str, reader: Callable[[Path], RawDocument]
) -> RawDocument:
    """``read_converted`` of a file's bytes. LibreOffice reads only files: the bytes go to a
    private temporary copy under the file's own name (for its messages), deleted after."""
    base = PurePosixPath(name.replace("\\", "/")).name
    folder = scratch.folder("source")
    try:
        copy = folder / (base if base not in ("", ".", "..") else "document")
        try:
            copy.write_bytes(data)
        except OSError as error:
            raise ReadError(f"无法写入转换用的临时文件：{error.strerror or error}") from error
        return with_file(read_converted(copy, to, reader), name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def with_file(document: RawDocument, file: str) -> RawDocument:
    """The same document with every source pointing at ``file``."""

    def moved(source: SourceRef | None) -> SourceRef | None:
        return None if source is None else replace(source, file=file)

    blocks: list[Block] = []
    for block in document.blocks:
        if isinstance(block, RawTable):
            rows = tuple(
                tuple(replace(cell, source=moved(cell.source)) for cell in row)
                for row in block.rows
            )
            blocks.append(RawTable(rows, moved(block.source)))
        else:
            blocks.append(replace(block, source=moved(block.source)))
    return RawDocument(file, tuple(blocks), document.pages)


def libreoffice_available() -> bool:
    return find_soffice() is not None


def convert_with_libreoffice(path: Path, to: str) -> Path:
    """Convert ``path`` to the format ``to`` ("docx", "xlsx", "pdf", …); the new file's path."""
    soffice = find_soffice()
    if soffice is None:
        raise ReadError(MISSING)
    if not to.isalnum():
        raise ReadError(f"不支持转换为“{to}”格式")
    if not path.is_file():
        raise ReadError(f"找不到文件：{path}")
    if path.stat().st_size == 0:
        raise ReadError("文件是空的")
    out_dir = scratch.folder("convert")
    try:
        returncode, detail = convert(soffice, [path], to, out_dir, TIMEOUT)
    except subprocess.TimeoutExpired as error:
        shutil.rmtree(out_dir, ignore_errors=True)
        message = f"LibreOffice 转换“{path.name}”超过 {TIMEOUT} 秒仍未完成，已放弃"
        raise ReadError(message) from error
    except OSError as error:
        shutil.rmtree(out_dir, ignore_errors=True)
        log.warning("LibreOffice did not start for %s: %s", path, error)
        raise ReadError(f"无法启动 LibreOffice 转换“{path.name}”，请联系管理员检查安装") from error
    produced = sorted(out_dir.glob(f"*.{to}"))
    if returncode != 0 or not produced:
        shutil.rmtree(out_dir, ignore_errors=True)
        # what LibreOffice said is English and names the temporary copy: for the log only
        log.warning("LibreOffice could not convert %s (exit %s): %s", path, returncode, detail)
        raise ReadError(
            f"LibreOffice 无法转换“{path.name}”：文件可能已损坏、加密或格式与扩展名不符"
        )
    return produced[0]
