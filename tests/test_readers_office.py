"""The office readers: every format gives the same grid for seed 004's self-evaluation table."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from jixiao.ingest.raw import Paragraph, RawCell, RawDocument, RawTable, ReadError
from jixiao.ingest.readers import office as office_module
from jixiao.ingest.readers import read_document
from jixiao.ingest.readers.docx import read_docx
from jixiao.ingest.readers.html import read_html
from jixiao.ingest.readers.office import (
    MISSING,
    convert_with_libreoffice,
    libreoffice_available,
    read_converted,
)
from jixiao.ingest.readers.pdf import SCANNED, read_pdf
from jixiao.ingest.readers.xls import read_xls
from jixiao.ingest.readers.xlsx import cell_text, read_xlsx
from jixiao.ingest.readers.ziputil import check_zip
from jixiao.model import SourceRef
from tests import office_docs as od

TEXTS, ANCHORS = od.expected_grid()
needs_libreoffice = pytest.mark.skipif(not od.libreoffice(), reason="LibreOffice 未安装")


def squashed(grid: list[list[str]]) -> list[list[str]]:
    return [["".join(text.split()) for text in row] for row in grid]


def anchors(table: RawTable, top: int = 0) -> dict[tuple[int, int], tuple[int, int]]:
    """Covered positions of the table rows from ``top``, relative to that row."""
    return {
        (r - top, c): (cell.anchor[0] - top, cell.anchor[1])
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
        if cell.anchor is not None and r >= top
    }


def assert_template(table: RawTable, top: int = 0) -> None:
    """The table (from row ``top``) is seed 004's table, texts and merges alike."""
    assert squashed(table.texts()[top : top + od.HEIGHT]) == squashed(TEXTS)
    assert {k: v for k, v in anchors(table, top).items() if k[0] < od.HEIGHT} == ANCHORS


def where(item: RawCell | RawTable | Paragraph) -> SourceRef:
    assert item.source is not None
    return item.source


def texts_of(document: RawDocument) -> list[str]:
    return [block.text if isinstance(block, Paragraph) else "<table>" for block in document.blocks]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    od.build_docx(folder / "自评表.docx")
    od.build_xlsx(folder / "自评表.xlsx")
    od.build_html(folder / "自评表.html")
    return folder


@pytest.fixture(scope="module")
def converted(made: Path) -> Path:
    if not od.libreoffice():
        pytest.skip("LibreOffice 未安装")
    folder = made / "converted"
    folder.mkdir()
    od.convert(made / "自评表.docx", "pdf", folder)
    od.convert(made / "自评表.docx", "doc", folder)
    od.convert(made / "自评表.xlsx", "xls", folder)
    return folder


# --- the same table in every format -------------------------------------------------------


def test_docx_table_paragraphs_and_sources(made: Path) -> None:
    path = made / "自评表.docx"
    document = read_docx(path)
    assert texts_of(document) == ["附件3", od.TITLE, "<table>", od.FILLER]
    table = document.tables[0]
    assert_template(table)
    cell = table.rows[10][4]  # the first indicator's 年度指标值
    assert cell.text == "省级平台2个以上，市级平台25个以上"
    source = where(cell)
    assert (source.file, source.table, source.row, source.column) == (str(path), 1, 11, 5)
    assert table.rows[11][1].text == "产出指标\n（50分）"  # paragraphs of a cell
    assert where(document.paragraphs[1]).excerpt == od.TITLE


def test_xlsx_table_under_its_title(made: Path) -> None:
    path = made / "自评表.xlsx"
    table = read_xlsx(path).tables[0]
    assert table.texts()[0] == [od.TITLE] * od.WIDTH  # the merged title row is kept
    assert all(cell.anchor == (0, 0) for cell in table.rows[0][1:])
    assert table.texts()[-1][0] == od.FILLER
    assert_template(table, top=2)
    executed = table.rows[5][6]  # 全年执行数 stored as text
    assert executed.text == "85"
    assert (where(executed).sheet, where(executed).row, where(executed).column) == ("附件3", 6, 7)
    assert table.rows[5][8].text == "100%"
    covered = table.rows[10][3]  # inside the merged 预期目标 text
    assert covered.anchor == (10, 2) and where(covered).row == 11 and where(covered).column == 4


@pytest.mark.parametrize(
    ("encoding", "declared"), [("utf-8", "utf-8"), ("gb18030", "gb2312"), ("gb18030", None)]
)
def test_html_table_and_text(tmp_path: Path, encoding: str, declared: str | None) -> None:
    path = od.build_html(tmp_path / "page.html", encoding=encoding, declare=declared)
    document = read_html(path)
    assert texts_of(document) == ["附件3", od.TITLE, "<table>", od.FILLER, "审核人：李四"]
    table = document.tables[0]
    assert_template(table)
    assert where(table.rows[19][3]).row == 20 and where(table.rows[19][3]).column == 4


def test_number_texts_as_shown(made: Path) -> None:
    table = read_xlsx(od.build_number_xlsx(made / "数值.xlsx")).tables[0]
    assert table.texts() == [od.NUMBER_TEXTS]
    assert (where(table.rows[0][0]).row, where(table.rows[0][0]).column) == (2, 2)
    assert cell_text(5500.0) == "5500"
    assert cell_text(4465.5) == "4465.5"
    assert cell_text(0.9258, '0.00%;[Red]"-"0.00%') == "92.58%"
    assert cell_text(0.5, '0.00"%"') == "0.5"  # a quoted % sign is text, not a percent
    assert cell_text(True) == "TRUE"
    assert cell_text(" 85 ") == "85"


@needs_libreoffice
def test_pdf_made_from_docx(converted: Path) -> None:
    path = converted / "自评表.pdf"
    document = read_pdf(path)
    assert document.pages is not None and document.pages >= 1
    assert squashed([texts_of(document)]) == squashed([["附件3", od.TITLE, "<table>", od.FILLER]])
    table = document.tables[0]
    assert_template(table)  # the table runs over two pages in LibreOffice's layout
    first = where(table.rows[0][0])
    assert (first.file, first.page, first.table, first.row, first.column) == (str(path), 1, 1, 1, 1)
    assert where(table.rows[-1][-1]).page == document.pages


@needs_libreoffice
def test_doc_read_through_libreoffice(converted: Path) -> None:
    path = converted / "自评表.doc"
    document = read_converted(path, "docx", read_docx)  # cleans up the converted copy
    assert texts_of(document) == ["附件3", od.TITLE, "<table>", od.FILLER]
    assert_template(document.tables[0])
    assert document.path == str(path)
    assert {where(block).file for block in document.blocks} == {str(path)}
    assert {where(cell).file for row in document.tables[0].rows for cell in row} == {str(path)}
    assert (
        where(document.tables[0].rows[10][4]).row,
        where(document.tables[0].rows[10][4]).column,
    ) == (11, 5)


@needs_libreoffice
def test_xls_made_from_xlsx(converted: Path, made: Path) -> None:
    table = read_xls(converted / "自评表.xls").tables[0]
    assert_template(table, top=2)
    assert where(table.rows[5][6]).sheet == "附件3"
    assert (where(table.rows[5][6]).row, where(table.rows[5][6]).column) == (6, 7)
    numbers = od.convert(od.build_number_xlsx(made / "数值.xlsx"), "xls", converted)
    assert read_xls(numbers).tables[0].texts() == [od.NUMBER_TEXTS]


@needs_libreoffice
def test_xlsx_formula_cached_value(tmp_path: Path) -> None:
    written = od.build_xlsx(tmp_path / "公式.xlsx", formula=True)
    assert read_xlsx(written).tables[0].rows[21][7].text == ""  # openpyxl computes nothing
    (tmp_path / "saved").mkdir()
    saved = od.convert(written, "xlsx", tmp_path / "saved")  # Calc stores the value
    table = read_xlsx(saved).tables[0]
    assert table.rows[21][7].text == "100"
    assert_template(table, top=2)


# --- structure: adjacent, nested, text boxes, pages ---------------------------------------


def test_docx_adjacent_nested_and_textbox_tables(tmp_path: Path) -> None:
    document = read_docx(od.build_docx_parts(tmp_path / "parts.docx"))
    assert texts_of(document) == [
        "<table>", "中间的段落", "<table>", "<table>", "嵌套表格", "<table>", "<table>",
        "正文带文本框", "文本框里的说明", "<table>", "结尾",
    ]  # fmt: skip
    joined, separate, other, outer, inner, boxed = document.tables
    assert joined.texts()[0] == ["一级指标", "二级指标", "三级指标"]
    assert [row[2] for row in joined.texts()[1:]] == ["新增平台", "保运转", "科技氛围"]
    assert where(joined.rows[3][2]).row == 4 and where(joined.rows[3][2]).table == 1
    assert len(separate.rows) == 2 and other.texts() == [["总分", "100"]]
    assert outer.texts() == [["外层单元格", "外层文字"]]
    assert inner.texts() == [["内层甲", "内层乙"]] and where(inner).table == 5
    assert boxed.texts() == [["框内表头", "框内数值"]]


def test_docx_cell_with_a_text_box_a_deletion_and_tab_stops(tmp_path: Path) -> None:
    """A cell's paragraph may hold a text box (its text and its table are the cell's), a
    deleted revision (not read) and tab stops in its properties (not tab characters)."""
    import docx
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "指标"
    boxed = table.cell(0, 1).paragraphs[0]
    boxed.add_run("说明")
    boxed._p.append(od._textbox_run())
    deleted = table.cell(0, 0).add_paragraph()._p
    deleted.append(
        etree.fromstring(
            f'<w:pPr xmlns:w="{w}"><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        )
    )
    deleted.append(etree.fromstring(f'<w:r xmlns:w="{w}"><w:t>保</w:t><w:tab/><w:t>留</w:t></w:r>'))
    gone = "<w:r><w:delText>删掉的</w:delText></w:r>"
    deleted.append(etree.fromstring(f'<w:del xmlns:w="{w}" w:id="1" w:author="a">{gone}</w:del>'))
    path = tmp_path / "cell.docx"
    document.save(str(path))
    read = read_docx(path)
    outer, box = read.tables
    assert outer.texts() == [["指标\n保\t留", "说明\n文本框里的说明"]]
    assert box.texts() == [["框内表头", "框内数值"]]


@needs_libreoffice
def test_pdf_table_over_pages_is_one_table(tmp_path: Path) -> None:
    pdf = od.convert(od.build_long_docx(tmp_path / "long.docx"), "pdf", tmp_path)
    document = read_pdf(pdf)
    assert document.pages is not None and document.pages >= 2
    (table,) = document.tables
    assert len(table.rows) == 81
    assert [row[0] for row in table.texts()].count("序号") == 1  # repeated header dropped
    assert table.texts()[-1] == ["80", "项目80", "120"]
    assert where(table.rows[-1][0]).page == document.pages
    assert texts_of(document) == ["长表格", "<table>", "表后文字"]


def test_html_nested_and_layout_tables(tmp_path: Path) -> None:
    page = """<html><body><form id="form1">
    <table><tr><td><p>版面表格里的正文</p><p>第二段</p></td></tr></table>
    <table><tr><td>外层<table><tr><td>内层</td><td>数值</td></tr></table></td>
    <td rowspan="0" colspan="x">右</td></tr><tr><td>下</td></tr></table></form></body></html>"""
    path = tmp_path / "nested.htm"
    path.write_text(page, encoding="utf-8")
    document = read_html(path)
    assert texts_of(document) == ["版面表格里的正文", "第二段", "<table>", "<table>"]
    outer, inner = document.tables
    assert outer.texts() == [["外层", "右"], ["下", ""]]
    assert inner.texts() == [["内层", "数值"]] and where(inner).table == 2


def test_xls_that_is_really_html(made: Path, tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    shutil.copy(made / "自评表.html", path)
    assert_template(read_xls(path).tables[0])


# --- bad input: always a ReadError with a Chinese message ---------------------------------

READERS: dict[str, Callable[[Path], RawDocument]] = {
    ".docx": read_docx,
    ".xlsx": read_xlsx,
    ".xls": read_xls,
    ".pdf": read_pdf,
    ".html": read_html,
}


def refuses(reader: Callable[[Path], RawDocument], path: Path, *words: str) -> str:
    with pytest.raises(ReadError) as caught:
        reader(path)
    message = caught.value.message
    assert any("\u4e00" <= char <= "\u9fff" for char in message)
    for word in words:
        assert word in message
    return message


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"空{suffix}"
    path.write_bytes(b"")
    refuses(READERS[suffix], path, "空")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".xls", ".pdf"])
def test_text_file_with_an_office_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"假的{suffix}"
    path.write_text("这其实是一个文本文件\n第二行\n", encoding="utf-8")
    refuses(READERS[suffix], path, "纯文本")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_truncated_zip(made: Path, tmp_path: Path, suffix: str) -> None:
    data = (made / f"自评表{suffix}").read_bytes()
    path = tmp_path / f"截断{suffix}"
    path.write_bytes(data[: len(data) // 2])
    refuses(READERS[suffix], path, "损坏")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_that_is_no_office_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"压缩包{suffix}"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "不是 Office 文件")
    refuses(READERS[suffix], path)


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_password_protected_office_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"加密{suffix}"  # what Office writes: an OLE file, not a zip
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    path.write_bytes(ole + "EncryptedPackage".encode("utf-16-le") + bytes(1000))
    refuses(READERS[suffix], path, "密码")


def test_old_format_with_new_extension(tmp_path: Path) -> None:
    path = tmp_path / "旧格式.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    refuses(read_docx, path, "旧版")


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "坏.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    refuses(read_pdf, path, "PDF")


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_zip_bomb_refused_before_extraction(tmp_path: Path, suffix: str) -> None:
    path = od.zip_bomb(tmp_path / f"炸弹{suffix}", kind=suffix[1:])
    assert path.stat().st_size < 2 * 1024 * 1024
    refuses(READERS[suffix], path, "200 MB", "压缩炸弹")


def test_check_zip_limit(made: Path) -> None:
    check_zip(made / "自评表.docx", 200 * 1024 * 1024)
    with pytest.raises(ReadError, match="上限"):
        check_zip(made / "自评表.docx", 1024)


def test_scanned_pdf(tmp_path: Path) -> None:
    assert refuses(read_pdf, od.minimal_pdf(tmp_path / "扫描.pdf", text=None)) == SCANNED
    text = read_pdf(od.minimal_pdf(tmp_path / "文字.pdf", text="Hello"))
    assert texts_of(text) == ["Hello"] and where(text.paragraphs[0]).page == 1


def test_encrypted_pdf(tmp_path: Path) -> None:
    plain = od.minimal_pdf(tmp_path / "原件.pdf")
    locked = od.encrypt_pdf(plain, tmp_path / "加密.pdf")
    if locked is None:
        pytest.skip("qpdf 未安装，无法生成加密 PDF")
    refuses(read_pdf, locked, "加密")


def test_libreoffice_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(office_module, "find_soffice", lambda: None)
    assert libreoffice_available() is False
    path = tmp_path / "旧.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    with pytest.raises(ReadError) as caught:
        convert_with_libreoffice(path, "docx")
    assert caught.value.message == MISSING
    with pytest.raises(ReadError):
        read_document(path)


@needs_libreoffice
def test_libreoffice_conversion_failure(tmp_path: Path) -> None:
    path = tmp_path / "说明.txt"
    path.write_text("一段文字\n", encoding="utf-8")
    with pytest.raises(ReadError, match="LibreOffice"):
        convert_with_libreoffice(path, "xlsx")  # a text document has no spreadsheet export
