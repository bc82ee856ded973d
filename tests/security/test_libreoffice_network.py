"""LibreOffice, run on files anyone can upload, reaches no network: a .doc that is really
HTML with a linked image and stylesheet, or a flat ODT with a linked picture, makes no
request to a listener on the loopback — with the run's own network namespace, and with
the profile's settings alone (where the system gives no namespace)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from jixiao import libreoffice
from jixiao.ingest.raw import ReadError
from jixiao.ingest.readers import read_document

pytestmark = pytest.mark.skipif(
    libreoffice.find_soffice() is None, reason="LibreOffice is not installed"
)


def _html_doc(folder: Path, port: int) -> Path:
    path = folder / "伪装的网页.doc"
    path.write_text(
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"></head>'
        f'<body><p>项目支出绩效自评表</p><img src="http://127.0.0.1:{port}/b.png"></body></html>',
        encoding="utf-8",
    )
    return path


def _flat_odt(folder: Path, port: int) -> Path:
    path = folder / "扁平文档.doc"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">'
        "<office:body><office:text><text:p>项目支出绩效自评表"
        '<draw:frame draw:name="p"><draw:image '
        f'xlink:href="http://127.0.0.1:{port}/c.png" xlink:type="simple"/></draw:frame>'
        "</text:p></office:text></office:body></office:document>",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("confined", [True, False], ids=["namespace", "settings-only"])
@pytest.mark.parametrize("make", [_html_doc, _flat_odt], ids=["html-doc", "flat-odt"])
def test_conversion_makes_no_request(
    listener: tuple[int, list[str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    confined: bool,
    make: object,
) -> None:
    port, heard = listener
    if not confined:
        monkeypatch.setattr(libreoffice, "confinement", lambda: ())
    path = make(tmp_path, port)  # type: ignore[operator]
    with contextlib.suppress(ReadError):  # not a report: what matters is what was fetched
        read_document(path)
    assert heard == []
