"""One export (issue 12.5): the web app's Word and Excel export of a stored table is what
``jixiao render`` makes of the same file (its full text, the 基础数据表 sheet), an edit
included; the Word report's tables repeat their header row on each page; no scheme id
reaches a document; batch exports; the 公开 page lists only published tables."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from jixiao.service import Service
from jixiao.service.render import render_file
from jixiao.service.store import import_file
from jixiao.store import EvaluationFilter, Role, Store, open_store
from jixiao.store import users as store_users
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
ZHUZHOU, LUSONG = REPORTS[0], REPORTS[1]  # a fund of six directions; a department's report
UNIT = "株洲市芦淞区科技和工业信息化局"
SCHEME_IDS = re.compile(r"national-2020|national-cost|zhuzhou-lusong")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    saved, store_users._hasher = store_users._hasher, hasher
    try:
        folder = tmp_path_factory.mktemp("one-export")
        with open_store(str(folder / "jixiao.db")) as opened:
            service = Service()
            for path in (ZHUZHOU, LUSONG):
                assert import_file(opened, service, path, unit=UNIT).error is None
            opened.add_user("filler", Role.FILLER, PASSWORD, unit=UNIT)
            opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
            yield opened
    finally:
        store_users._hasher = saved


def _table(store: Store, year: int) -> int:
    items = store.listed(EvaluationFilter(year=year, top_level=True)).items
    return items[0].summary.id


def _docx_text(content: bytes) -> tuple[list[str], list[list[str]]]:
    import docx

    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[c.text for row in t.rows for c in row.cells] for t in document.tables]
    return paragraphs, tables


def _xlsx_cells(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def _cli(source: Path, fmt: str, folder: Path) -> bytes:
    target = folder / f"cli.{fmt}"
    render_file(Service(), source, fmt, str(target))
    return target.read_bytes()


def _web(user: As, table: int, fmt: str) -> bytes:
    response = user.get(f"/api/evaluations/{table}/export", params={"format": fmt})
    assert response.status_code == 200, response.text[:300]
    return bytes(response.content)


@pytest.mark.parametrize(("source", "year"), [(ZHUZHOU, 2022), (LUSONG, 2023)])
def test_web_export_is_the_cli_render(
    store: Store, tmp_path: Path, source: Path, year: int
) -> None:
    user = As(store, "filler")
    table = _table(store, year)
    paragraphs, tables = _docx_text(_web(user, table, "docx"))
    assert (paragraphs, tables) == _docx_text(_cli(source, "docx", tmp_path))
    assert not any("【待填写】" in p for p in paragraphs)
    assert any("基本情况" in p for p in paragraphs)  # the report's own text
    sheets = _xlsx_cells(_web(user, table, "xlsx"))
    assert sheets == _xlsx_cells(_cli(source, "xlsx", tmp_path))
    if source == LUSONG:
        assert "基础数据表" in sheets, list(sheets)


def test_an_edit_is_in_the_export(store: Store, tmp_path: Path) -> None:
    user = As(store, "filler")
    table = _table(store, 2023)
    url = f"/api/evaluations/{table}"
    change = {"changes": [{"path": "indicators[0].actual", "value": "核对后的实际完成值"}]}
    response = user.send("PATCH", url, json=change)
    assert response.status_code == 200, response.text
    web = _xlsx_cells(_web(user, table, "xlsx"))
    cli = _xlsx_cells(_cli(LUSONG, "xlsx", tmp_path))
    assert "基础数据表" in web and web["基础数据表"] == cli["基础数据表"]
    cells = [str(c) for rows in web.values() for row in rows for c in row]
    assert "核对后的实际完成值" in cells
    paragraphs, tables = _docx_text(_web(user, table, "docx"))
    assert any("核对后的实际完成值" in c for t in tables for c in t)
    assert paragraphs == _docx_text(_cli(LUSONG, "docx", tmp_path))[0]


def test_word_tables_repeat_their_header_and_the_title_stays_whole(store: Store) -> None:
    import docx
    from docx.oxml.ns import qn

    user = As(store, "filler")
    document = docx.Document(io.BytesIO(_web(user, _table(store, 2023), "docx")))
    assert document.tables
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert table.rows[1]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is None
    # the title in two lines broken between words: the unit's name whole, then the kind
    titles = [p.text for p in document.paragraphs if p.style.name == "报告标题"]
    assert titles[0].split("\n") == [
        "2023年度株洲市芦淞区科技和工业信息化局",
        "整体支出绩效自评报告",
    ]


def test_title_lines_break_between_words() -> None:
    from jixiao.render.outline import title_lines

    assert title_lines("2024年度岳阳市科学技术局部门整体支出绩效自评报告") == [
        "2024年度岳阳市科学技术局",
        "部门整体支出绩效自评报告",
    ]
    assert title_lines("2022年度株洲市财政科技发展专项资金使用绩效自评报告") == [
        "2022年度株洲市财政科技发展专项资金",
        "使用绩效自评报告",
    ]
    assert title_lines("某单位绩效自评报告") == ["某单位绩效自评报告"]


def test_no_scheme_id_in_any_export(store: Store) -> None:
    import zipfile

    user = As(store, "reviewer")
    for year in (2022, 2023):
        table = _table(store, year)
        for fmt in ("xlsx", "docx", "review-docx", "review-xlsx"):
            with zipfile.ZipFile(io.BytesIO(_web(user, table, fmt))) as archive:
                for name in archive.namelist():
                    text = archive.read(name).decode("utf-8", "replace")
                    assert not SCHEME_IDS.search(text), (year, fmt, name)
