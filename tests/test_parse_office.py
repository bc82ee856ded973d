"""Office formats parse to the same evaluation as the hand transcription of their source.

The generator in ``office_docs`` lays seed 004's 项目支出绩效自评表 out as the official form
(merged 一级 / header cells) in docx, xlsx and html, and converts them with LibreOffice to
pdf, doc and xls. Every one must read back as ``yueyang-2024-project.yaml`` says, with one
deliberate change: the generated table writes the 执行率 as "100%" where the seed says "10".
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.document import load_evaluation
from jixiao.ingest import parse_file
from tests import office_docs
from tests.conftest import SAMPLES
from tests.test_parse_evaluations import differences, plain


def expected() -> object:
    evaluation = load_evaluation(SAMPLES / "yueyang-2024-project.yaml")
    rows = list(evaluation.funds.rows)
    rows[0] = dataclasses.replace(rows[0], rate=Decimal(100))
    funds = dataclasses.replace(evaluation.funds, rate=Decimal(100), rows=tuple(rows))
    return plain(dataclasses.replace(evaluation, funds=funds))


def built(kind: str, folder: Path) -> Path:
    if kind == "docx":
        return office_docs.build_docx(folder / "表.docx")
    if kind == "xlsx":
        return office_docs.build_xlsx(folder / "表.xlsx")
    if kind == "html":
        return office_docs.build_html(folder / "表.html")
    if not office_docs.libreoffice():
        pytest.skip("LibreOffice is not installed")
    source = "xlsx" if kind == "xls" else "docx"
    (folder / "out").mkdir()
    return office_docs.convert(built(source, folder), kind, folder / "out")


@pytest.mark.parametrize("kind", ["docx", "xlsx", "html", "pdf", "doc", "xls"])
def test_office_formats_parse_to_the_transcription(kind: str, tmp_path: Path) -> None:
    parsed = parse_file(built(kind, tmp_path))
    assert parsed.errors == [], parsed.errors
    assert parsed.report is not None and len(parsed.report.evaluations) == 1
    got = plain(parsed.report.evaluations[0])
    want = expected()
    # The generated documents carry their own 填表人 line and no 联系电话 of the seed's.
    for key in ("filled_by", "filled_on", "extra"):
        got.pop(key), want.pop(key)  # type: ignore[attr-defined]
    assert differences(got, want) == []
