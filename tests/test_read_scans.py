"""Scanned PDFs and images read by OCR (the ``ocr`` extra), scored against the same gold as
the PDFs they were printed from; and the message when the extra is missing.

OCR is slow (seconds a page): the suite reads few pages, one family at each resolution.
``bench/accuracy.py`` scores every family.
"""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.audit import AuditSettings, run_audit
from jixiao.ingest import parse_file, readers
from jixiao.ingest.raw import ReadError
from jixiao.ingest.readers import READERS, read_document
from jixiao.ingest.readers.images import MISSING, NO_TEXT
from jixiao.service import Service
from jixiao.service.audit import _tables
from tests import layout_docs, scan_docs
from tests.corpus.score import GoldDocument, measure

needs_ocr = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr_onnxruntime") is None, reason="the ocr extra is missing"
)
needs_tools = pytest.mark.skipif(
    not (scan_docs.pdftoppm() and layout_docs.office_docs.libreoffice()),
    reason="pdftoppm and LibreOffice make the scans",
)
GOALS = {"scan-300": 0.95, "photo-150": 0.90}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The standard form as a PDF with a text layer, and its gold."""
    folder = tmp_path_factory.mktemp("scans")
    ((path, _, _, gold),) = layout_docs.generated_corpus(folder, ("standard",), ("pdf",))
    return path, gold


@needs_ocr
@needs_tools
@pytest.mark.parametrize("variant", sorted(GOALS))
def test_scanned_pdf_read_at_goal(
    printed: tuple[Path, dict[str, Any]], variant: str, tmp_path: Path
) -> None:
    path, gold = printed
    scan = scan_docs.scanned_pdf(path, variant, tmp_path / f"扫描件-{variant}.pdf")
    tally = measure(GoldDocument(scan, ("standard",), variant, gold["evaluations"]))
    assert tally.f1 >= GOALS[variant], tally.misses


# A scanned table without ruling is read from its words' positions (``readers.layout``);
# the goal is 0.90 (issue 11), not met yet: the standard form reads at 0.76 at 300 dpi.
BORDERLESS_FLOOR = 0.72


@needs_ocr
@needs_tools
def test_borderless_scan_read_from_word_positions(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    folder = tmp_path_factory.mktemp("borderless")
    built = layout_docs.generated_corpus(folder, ("standard",), ("pdf-borderless",))
    ((path, _, _, gold),) = built
    scan = scan_docs.scanned_pdf(path, "scan-300", tmp_path / "无框线扫描件.pdf")
    tally = measure(GoldDocument(scan, ("standard",), "scan-300", gold["evaluations"]))
    assert tally.f1 >= BORDERLESS_FLOOR, tally.misses
    parsed = parse_file(scan)
    assert parsed.report is not None
    (evaluation,) = parsed.report.evaluations
    assert evaluation.read_notes[0].startswith("由扫描件识别")
    source = evaluation.funds.rows[0].source
    assert source is not None and source.box is not None and source.confidence is not None


@needs_ocr
@needs_tools
def test_photo_png_keeps_page_box_and_confidence(
    printed: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, _ = printed
    variant = scan_docs.VARIANTS["photo-150"]
    page = scan_docs.scanned(scan_docs.rasterise(path, variant.dpi, pages=1)[0], variant)
    png = scan_docs.save_png(page, tmp_path / "照片.png", variant.dpi)
    parsed = parse_file(png)
    assert not parsed.errors and parsed.report is not None
    (evaluation,) = parsed.report.evaluations
    assert evaluation.name == "市级专项资金" and evaluation.funds.annual_budget == 85
    source = evaluation.funds.rows[0].source
    assert source is not None and source.page == 1 and source.box is not None
    x0, top, x1, bottom = source.box
    assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
    assert source.confidence is not None and Decimal("0.5") <= source.confidence <= 1
    # the table says it was read from an image, and is trusted no more than its OCR
    assert evaluation.read_notes[0].startswith("由扫描件识别")
    assert evaluation.confidence is not None and evaluation.confidence <= Decimal("0.94")
    # and a blank on it is said to be perhaps the scan's, in the scan's words
    found = run_audit(_tables(Service(), parsed.report.evaluations), parsed.report, AuditSettings())
    blanks = [f for f in found if "空缺或合计不符可能来自读取遗漏" in f.message]
    assert blanks and all("此表由扫描件识别" in f.message for f in blanks)


def test_registered_for_images() -> None:
    for suffix in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
        assert suffix in READERS


@needs_ocr
def test_blank_image_and_damaged_image(tmp_path: Path) -> None:
    from PIL import Image

    blank = tmp_path / "空白.png"
    Image.new("RGB", (800, 1100), "white").save(blank)
    with pytest.raises(ReadError) as caught:
        read_document(blank)
    assert caught.value.message == NO_TEXT
    damaged = tmp_path / "坏.jpg"
    damaged.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    parsed = parse_file(damaged)
    assert parsed.errors and "图片" in parsed.errors[0].message
    assert parsed.errors[0].source is not None and parsed.errors[0].source.file == str(damaged)


def test_missing_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 1100), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 700, 400), outline="black", width=3)
    path = tmp_path / "扫描.png"
    image.save(path)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    monkeypatch.delitem(sys.modules, "jixiao.ingest.readers.ocr", raising=False)
    monkeypatch.delattr(readers, "ocr", raising=False)
    parsed = parse_file(path)
    assert [p.message for p in parsed.errors] == [MISSING]
    assert "pip install 'jixiao[ocr]'" in MISSING
