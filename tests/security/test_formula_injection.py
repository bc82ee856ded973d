"""Whatever a unit types into its table comes out of every spreadsheet jixiao writes as the
words it typed: an indicator named ``=cmd|' /C calc'!A0`` is never a live formula, in the
review opinion (审核意见书) nor in the official form."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from jixiao.cli.main import main
from tests.conftest import SAMPLES

HOSTILE = ("=cmd|' /C calc'!A0", "=1+1", "+SUM(A1:A2)", "@SUM(1)", "-2+3")


def _hostile_table(tmp_path: Path) -> Path:
    data = yaml.safe_load((SAMPLES / "yueyang-2024-project.yaml").read_text(encoding="utf-8"))
    for indicator, text in zip(data["indicators"], HOSTILE, strict=False):
        indicator["name"] = text
        indicator["actual"] = text
        indicator["deviation"] = text
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _formulas_and_texts(book: Path) -> tuple[list[str], str]:
    with zipfile.ZipFile(book) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        )
    return re.findall(r"<f>(.*?)</f>", xml), xml


@pytest.mark.parametrize("output", ["review", "form"])
def test_typed_text_is_never_a_formula(tmp_path: Path, output: str) -> None:
    table = _hostile_table(tmp_path)
    book = tmp_path / f"{output}.xlsx"
    if output == "review":
        main(["check", str(table), "--report", "xlsx", "-o", str(book)])
    else:
        assert main(["render", str(table), "--to", "xlsx", "-o", str(book)]) == 0
    formulas, xml = _formulas_and_texts(book)
    assert not any(text.lstrip("=") in f for f in formulas for text in HOSTILE), formulas
    assert "<t>=1+1</t>" in xml  # kept as the words typed (a finding names it in both)
