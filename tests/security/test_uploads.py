"""Uploads (issue 13.4, 13.5): every file of a batch, and every member of a zip, gets its own
result line whatever goes wrong with it, and the files after it are imported; what
LibreOffice says (English, naming temporary copies) stays in the log; the temporary
copies a killed server leaves are deleted when the next one starts."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from jixiao import libreoffice, scratch
from jixiao.service import store as service_store
from jixiao.store import Role, open_store
from tests.security.big_tables import SAMPLE
from tests.security.conftest import upload
from tests.web_client import PASSWORD, As, zipped

GOOD = (SAMPLE / "yueyang-2024-project.yaml").read_bytes()


@pytest.fixture
def admin(tmp_path: Path) -> Any:
    with open_store(str(tmp_path / "u.db")) as store:
        store.add_user("admin", Role.ADMIN, PASSWORD)
        yield As(store, "admin")


def test_a_file_that_breaks_a_reader_fails_alone(
    admin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault on one file (here a RecursionError, as deep nesting once raised) is that
    file's result; the batch goes on."""
    real = service_store.read_report

    def fragile(content: bytes, name: str) -> Any:
        if "坏" in name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(content, name)

    monkeypatch.setattr(service_store, "read_report", fragile)
    deep = b"[" * 100_000 + b"]" * 100_000
    results = upload(admin, [("深.json", deep), ("坏.yaml", GOOD + b"\n"), ("好.yaml", GOOD)])
    assert [r["status"] for r in results] == ["failed", "failed", "imported"]
    assert "深.json" in results[0]["message"]
    assert "程序出错" in results[1]["message"] and "Recursion" not in results[1]["message"]


def test_zip_members_outside_the_zip_and_broken_members_get_a_line(admin: Any) -> None:
    packed = bytearray(zipped({"损坏.yaml": GOOD * 20, "../出界.yaml": GOOD, "好.yaml": GOOD}))
    # the first member's deflated data garbled (its header and the directory intact)
    start = 30 + len("损坏.yaml".encode())
    packed[start + 10 : start + 60] = bytes(50)
    results = upload(admin, [("批量.zip", bytes(packed))])
    by_name = {r["file"]: r for r in results}
    assert by_name["批量.zip/损坏.yaml"]["status"] == "failed"
    assert "无法解压" in by_name["批量.zip/损坏.yaml"]["message"]
    assert by_name["批量.zip/../出界.yaml"]["status"] == "failed"
    assert "../" in by_name["批量.zip/../出界.yaml"]["message"]
    assert by_name["批量.zip/好.yaml"]["status"] == "imported"


@pytest.mark.skipif(libreoffice.find_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_failures_are_told_in_chinese_without_temporary_paths(admin: Any) -> None:
    (result,) = upload(admin, [("坏的报告.rtf", b"{\\rtf1 \\garbage" * 3)])
    assert result["status"] == "failed"
    message = result["message"]
    assert "坏的报告.rtf" in message and "LibreOffice 无法转换" in message
    assert tempfile.gettempdir() not in message and "jixiao-" not in message
    assert "Error" not in message and "source file" not in message


def test_stale_temporary_folders_are_swept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stale = scratch.folder("source")
    (stale / "上传的报告.doc").write_bytes(b"secret")
    fresh = scratch.folder("convert")
    other = tmp_path / "someone-else"
    other.mkdir()
    hour_ago = time.time() - scratch.STALE_AFTER - 60
    for path in (stale, other):
        os.utime(path, (hour_ago, hour_ago))
    assert scratch.sweep() == 1
    assert not stale.exists() and fresh.exists() and other.exists()
