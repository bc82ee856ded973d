"""A table read from a photo of the form: its page shows the photo beside the table, and
each cell's place on it; the image is the table's own, seen by whoever may see the table."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from tests import layout_docs, office_docs, scan_docs
from tests.web_client import PASSWORD, As

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("rapidocr_onnxruntime") is None
    or not (scan_docs.pdftoppm() and office_docs.libreoffice()),
    reason="the ocr extra, pdftoppm and LibreOffice make and read the photo",
)
UNIT, OTHER = "岳阳市科学技术局", "株洲市科学技术局"
SEED = Path(__file__).resolve().parents[1] / "src/jixiao/samples/reports/001_0939f1f6f00c3523.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("web-scans")
    ((pdf, _, _, _),) = layout_docs.generated_corpus(folder, ("standard",), ("pdf",))
    variant = scan_docs.VARIANTS["photo-150"]
    page = scan_docs.scanned(scan_docs.rasterise(pdf, variant.dpi, pages=1)[0], variant)
    photo = scan_docs.save_png(page, folder / "自评表照片.png", variant.dpi)
    with open_store(f"sqlite:///{folder / 'db.sqlite'}") as opened:
        service = Service()
        assert import_file(opened, service, photo, unit=UNIT).error is None
        assert import_file(opened, service, SEED, unit=UNIT).error is None
        opened.add_user("tianbao", Role.FILLER, PASSWORD, unit=UNIT)
        opened.add_user("other", Role.FILLER, PASSWORD, unit=OTHER)
        yield opened


def _ids(client: As) -> dict[str, int]:
    items = client.get("/api/evaluations", params={"size": 200}).json()["items"]
    return {i["document"]["name"]: i["id"] for i in items}


def test_the_photo_stands_beside_its_table(store: Store) -> None:
    client = As(store, "tianbao")
    scan = _ids(client)["自评表照片.png"]
    page = client.get(f"/evaluations/{scan}")
    assert page.status_code == 200 and 'id="scan-view"' in page.text
    assert "此表由扫描件识别" in page.text
    found = re.search(r'<script type="application/json" id="scan-boxes">(.*?)</script>', page.text)
    assert found is not None
    boxes = json.loads(found.group(1))
    image = client.get(f"/evaluations/{scan}/scan/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    width, height = int.from_bytes(image.content[16:20]), int.from_bytes(image.content[20:24])
    assert any(key.startswith("indicators[") for key in boxes)
    # each cell's own box: name, target and actual side by side on the row's band
    name, target, actual = (
        boxes[f"indicators[0].{f}"]["box"] for f in ("name", "target", "actual")
    )
    assert name[2] <= target[0] < target[2] <= actual[0]
    assert max(name[1], target[1], actual[1]) < min(name[3], target[3], actual[3])
    for place in boxes.values():  # every box on the page as shown
        x0, top, x1, bottom = place["box"]
        assert place["page"] == 1 and 0 <= x0 < x1 <= width and 0 <= top < bottom <= height
    assert client.get(f"/evaluations/{scan}/scan/2.png").status_code == 404


def test_a_text_report_has_no_scan_and_others_see_nothing(store: Store) -> None:
    client = As(store, "tianbao")
    ids = _ids(client)
    text = next(i for name, i in ids.items() if name.endswith(".txt"))
    assert 'id="scan-view"' not in client.get(f"/evaluations/{text}").text
    assert client.get(f"/evaluations/{text}/scan/1.png").status_code == 404
    outsider = As(store, "other")
    assert outsider.get(f"/evaluations/{ids['自评表照片.png']}/scan/1.png").status_code == 404
