"""The layout builders write what each family looks like (not how well the parser reads it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.loading import Loaded, decode
from jixiao.model import Evaluation
from tests import layout_docs as ld
from tests import office_docs

Corpus = list[tuple[Path, str, str, dict[str, Any]]]
# The README's names for the families generated (standard and continued have none).
README_FAMILIES = {"split", "no-level1", "process", "transfer", "yuan", "department"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """Without pdf (LibreOffice is slow); test_pdf_… converts one family."""
    return ld.generated_corpus(tmp_path_factory.mktemp("layouts"), formats=("docx", "xlsx", "html"))


def laid(family: str) -> ld.Form:
    return ld.form(ld.family_evaluation(family), ld.FAMILIES[family])


def built(corpus: Corpus, family: str, fmt: str) -> Path:
    return next(path for path, f, kind, _ in corpus if (f, kind) == (family, fmt))


def gold(corpus: Corpus, family: str) -> dict[str, Any]:
    evaluations: list[dict[str, Any]] = next(g for _, f, _, g in corpus if f == family)[
        "evaluations"
    ]
    return evaluations[0]


def spans(table: ld.Table) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left → bottom-right of every merged region."""
    return {(r0, c0): (r1, c1) for r0, c0, r1, c1, _ in table.regions if (r0, c0) != (r1, c1)}


# ---- the grid ----


@pytest.mark.parametrize(
    ("target", "parts"),
    [
        ("≥95%", ("≥", "95", "%")),
        ("8家", ("=", "8", "家")),
        ("19000人年", ("=", "19000", "人年")),
        ("3.20%", ("=", "3.20", "%")),
        ("2024.12.31前", ("定性", "2024.12.31前", "")),
        ("满意度达90%", ("定性", "满意度达90%", "")),
        (None, ("", "", "")),
    ],
)
def test_split_target(target: str | None, parts: tuple[str, str, str]) -> None:
    assert ld.split_target(target) == parts


@pytest.mark.parametrize("family", ld.FAMILIES)
def test_regions_cover_the_grid_once(family: str) -> None:
    for table in laid(family).tables:
        seen: dict[tuple[int, int], int] = {}
        for r0, c0, r1, c1, _ in table.regions:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    seen[(r, c)] = seen.get((r, c), 0) + 1
        grid = {(r, c) for r in range(table.height) for c in range(table.width)}
        assert set(seen) == grid and set(seen.values()) == {1}


def test_standard_is_the_official_template() -> None:
    """Seed 004's table on the template, as office_docs lays it out by hand; only the 执行率
    differs (office_docs writes 100%, the transcription says 10)."""
    (table,) = laid("standard").tables
    template, _ = office_docs.expected_grid()
    differ = [
        (r, c)
        for r, row in enumerate(table.texts())
        for c, text in enumerate(row)
        if text != template[r][c]
    ]
    assert differ == [(3, 8)]
    official = ld.Table(office_docs.WIDTH, office_docs.regions(), height=office_docs.HEIGHT)
    assert spans(table) == spans(official)


def test_merged_cells_where_real_forms_have_them() -> None:
    (table,) = laid("yuan").tables
    texts, merged = table.texts(), spans(table)
    assert merged[(2, 0)] == (6, 1) and texts[2][0] == "项目资金\n（元）"  # over the funds block
    assert merged[(8, 2)] == (8, 5) and merged[(8, 6)] == (8, 9)  # goals across
    first = 10
    assert texts[first][1] == "产出指标\n（50分）" and merged[(first, 1)] == (first + 9, 1)
    assert merged[(first, 2)] == (first + 5, 2)  # six 数量指标 under one 二级 cell


def test_department_and_kind_go_together() -> None:
    with pytest.raises(ValueError, match="department"):
        ld.form(ld.sample("lusong-2023-department"), ld.Layout())
    with pytest.raises(ValueError, match="department"):
        ld.expected(ld.sample("yueyang-2024-project"), ld.Layout(department=True))


# ---- the families ----


def test_split_columns_hold_the_parts(corpus: Corpus) -> None:
    (table,) = laid("split").tables
    texts = table.texts()
    header = next(row for row in texts if "指标性质" in row)
    at = {head: header.index(head) for head in ("指标性质", "指标值", "度量单位", "完成值")}
    row = next(row for row in texts if "企业满意度" in row)
    assert [row[at[h]] for h in at] == ["=", "95", "%", "100"]
    row = next(row for row in texts if "研发人员总量" in row)
    assert [row[at[h]] for h in at] == ["=", "19000", "人年", "19146"]
    indicator = next(i for i in gold(corpus, "split")["indicators"] if i["name"] == "企业满意度")
    assert (indicator["target"], indicator["actual"]) == ("95%", "100%")


def test_split_gold_appends_the_unit_to_a_bare_actual() -> None:
    evaluation = ld.sample("yueyang-2024-project")  # 满意度: target ≥95%, actual 99
    indicator = ld.expected(evaluation, ld.Layout(split_target=True))["indicators"][-1]
    assert (indicator["target"], indicator["actual"]) == ("≥95%", "99%")
    quality = ld.expected(evaluation, ld.Layout(split_target=True))["indicators"][2]
    assert (quality["target"], quality["actual"]) == ("2024.12.31前", "2024.12.31前")


def test_yuan_amounts_are_ten_thousand_times(corpus: Corpus) -> None:
    import openpyxl

    (table,) = laid("yuan").tables
    texts = table.texts()
    assert texts[3][4:7] == ["55,000,000.00", "44,655,000.00", "44,655,000.00"]
    assert texts[3][7] == "10"  # 分值 is not an amount
    sheet = openpyxl.load_workbook(built(corpus, "yuan", "xlsx")).active
    cell = sheet.cell(ld.XLSX_TOP + 3, 6)
    assert (cell.value, cell.number_format) == (44655000, "#,##0.00")
    funds = gold(corpus, "yuan")["funds"]
    assert (funds["initial_budget"], funds["annual_budget"]) == (5500, 4465.5)  # gold in 万元


def test_no_level1_column(corpus: Corpus) -> None:
    for table in laid("no-level1").tables:
        assert not any("一级指标" in text for row in table.texts() for text in row)
    want = gold(corpus, "no-level1")
    assert {i["level1"] for i in want["indicators"]} == {None}
    assert want["level1_weights"] == {}


def test_process_levels() -> None:
    (table,) = laid("process").tables
    level1 = [row[1] for row in table.texts() if row[0] == "绩效指标"][1:]
    assert list(dict.fromkeys(level1)) == [
        "项目决策\n（10分）",
        "项目管理\n（20分）",
        "产出指标\n（30分）",
        "效益指标\n（30分）",
    ]
    evaluation = ld.family_evaluation("process")
    assert sum(i["weight"] for i in evaluation["indicators"]) == 90  # + the funds' 10


def test_transfer_form_has_no_scores(corpus: Corpus) -> None:
    (table,) = laid("transfer").tables
    texts = {text for row in table.texts() for text in row}
    assert {"分值", "得分", "权重", "总分", "年初预算数"}.isdisjoint(texts)
    assert {
        "全年预算数（A）",
        "全年执行数（B）",
        "执行率（B/A）",
        "资金投入情况\n（万元）",
    } <= texts
    want = gold(corpus, "transfer")
    assert {(i["weight"], i["score"]) for i in want["indicators"]} == {(None, None)}
    assert want["total"] == {"weight": None, "score": None} and want["level1_weights"] == {}
    assert [(r["label"], r["initial_budget"], r["annual_budget"], r["rate"])
            for r in want["funds"]["rows"]] == [
        ("年度资金总额", None, 690, 100), ("其中：中央补助", None, 414, 100),
        ("地方资金", None, 276, 100),
    ]  # fmt: skip


def test_department_breakdown(corpus: Corpus) -> None:
    (table,) = laid("department").tables
    texts = table.texts()
    assert texts[0][:3] == ["预算单位名称", "预算单位名称", "株洲市芦淞区科技和工业信息化局"]
    assert texts[1][0] == "年度预算申请\n（万元）"
    assert [row[2] for row in texts[3:8]] == [
        "按收入性质分：1452.61",
        "其中：一般公共预算：1452.61",
        "政府性基金拨款：",
        "纳入专户管理的非税收入拨款：",
        "其他资金：",
    ]
    assert [row[6] for row in texts[3:8]] == [
        "按支出性质分：1452.61",
        "其中：基本支出：257.08",
        "项目支出：1195.53",
        "",
        "",
    ]
    want = gold(corpus, "department")
    assert want["funds"]["rows"] == ld.sample("lusong-2023-department")["funds"]["rows"]
    assert (want["department"], want["implementer"]) == (None, None)


def test_continued_tables_repeat_the_header() -> None:
    first, second = laid("continued").tables
    header = next(row for row in first.texts() if "三级指标" in row)
    assert second.texts()[0] == header
    names = [row[3] for row in first.texts() + second.texts()[1:] if row[0] == "绩效指标"]
    assert [n for n in names if n != "三级指标"] == [
        i["name"] for i in ld.family_evaluation("continued")["indicators"]
    ]
    # 产出指标 runs over the break: its merged cell is cut, each part keeping the text
    assert first.texts()[-1][1] == second.texts()[1][1] == "产出指标\n（50分）"
    assert second.texts()[-1][0] == "总分"


# ---- the formats ----


def test_corpus_lists_every_family_and_format(corpus: Corpus) -> None:
    assert [(f, kind) for _, f, kind, _ in corpus] == [
        (family, fmt) for family in ld.FAMILIES for fmt in ("docx", "xlsx", "html")
    ]
    for path, _, _, document in corpus:
        assert path.is_file() and path.stat().st_size > 0
        assert set(document) == {"province", "year", "families", "evaluations"}
        assert set(document["families"]) <= README_FAMILIES
        for evaluation in document["evaluations"]:
            decode(Evaluation, Loaded(str(path), evaluation, {}))  # the contract's shape


@pytest.mark.parametrize("family", ld.FAMILIES)
def test_docx_tables(corpus: Corpus, family: str) -> None:
    import docx

    document = docx.Document(str(built(corpus, family, "docx")))
    tables = laid(family).tables
    assert len(document.tables) == len(tables)
    for written, table in zip(document.tables, tables, strict=True):
        cells = [list(row.cells) for row in written.rows]  # merged cells repeat
        assert [[cell.text for cell in row] for row in cells] == table.texts()
        for r0, c0, r1, c1, _ in table.regions:  # a merged region is one cell
            assert {id(cells[r][c]._tc) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} \
                == {id(cells[r0][c0]._tc)}  # fmt: skip
    breaks = document.element.body.xpath(".//w:br[@w:type='page']")
    assert len(breaks) == len(tables) - 1


@pytest.mark.parametrize("family", ld.FAMILIES)
def test_xlsx_blocks(corpus: Corpus, family: str) -> None:
    import openpyxl

    sheet = openpyxl.load_workbook(built(corpus, family, "xlsx")).active
    tables = laid(family).tables
    merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in sheet.merged_cells.ranges}
    want = {(1, 1, 1, max(t.width for t in tables))}  # the title row
    top = ld.XLSX_TOP
    for i, table in enumerate(tables):
        if i:
            assert sheet.cell(top + 1, 1).value == ld.CONTINUED
            top += 2
        for r0, c0, r1, c1, text in table.regions:
            if (r0, c0) != (r1, c1):
                want.add((r0 + top, c0 + 1, r1 + top, c1 + 1))
            cell = sheet.cell(r0 + top, c0 + 1)
            typed = table.values.get((r0, c0))
            if typed is None:
                assert cell.value == (text or None)
            else:
                assert (cell.value, cell.number_format) == (typed[0], typed[1] or "General")
        top += table.height
    assert merged == want
    found = [c.value for row in sheet.iter_rows() for c in row if c.value == "三级指标"]
    assert len(found) == len(tables)  # the header repeated under 续表


def test_xlsx_numbers_are_numbers(corpus: Corpus) -> None:
    import openpyxl

    sheet = openpyxl.load_workbook(built(corpus, "department", "xlsx")).active
    row = [sheet.cell(ld.XLSX_TOP + 2, c).value for c in range(5, 11)]
    assert row == [192.31, 1452.61, 1451.29, 10, pytest.approx(0.9991), 9]
    assert sheet.cell(ld.XLSX_TOP + 2, 9).number_format == "0.00%"


@pytest.mark.parametrize("family", ld.FAMILIES)
def test_html_tables(corpus: Corpus, family: str) -> None:
    from lxml import html

    page = html.fromstring(built(corpus, family, "html").read_bytes())
    tables = laid(family).tables
    written = page.xpath("//table")
    assert len(written) == len(tables)
    assert page.xpath("//p/text()").count(ld.CONTINUED) == len(tables) - 1
    for element, table in zip(written, tables, strict=True):
        assert html_regions(element) == sorted(
            (r0, c0, r1, c1, text.replace("\n", "")) for r0, c0, r1, c1, text in table.regions
        )


def html_regions(table: Any) -> list[tuple[int, int, int, int, str]]:
    """The regions of an HTML table, each cell placed at the first free column of its row."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(table.xpath(".//tr")):
        c = 0
        for cell in row.xpath("./td"):
            while (r, c) in taken:
                c += 1
            rows, columns = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            taken |= {(r + i, c + j) for i in range(rows) for j in range(columns)}
            out.append((r, c, r + rows - 1, c + columns - 1, cell.text_content()))
            c += columns
    return sorted(out)


@pytest.mark.skipif(not office_docs.libreoffice(), reason="LibreOffice 未安装")
def test_pdf_is_the_docx_converted_once(tmp_path: Path) -> None:
    import pdfplumber

    built = ld.generated_corpus(tmp_path, families=("continued",), formats=("pdf",))
    assert [(family, fmt) for _, family, fmt, _ in built] == [("continued", "pdf")]
    path = built[0][0]
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 2  # the 续表 starts on a new page
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "株洲市2022年度科技发展专项" in text.replace("\n", "")
    made = path.stat().st_mtime_ns
    again = ld.generated_corpus(tmp_path, families=("continued",))
    assert [fmt for _, _, fmt, _ in again] == list(ld.FORMATS)
    assert path.stat().st_mtime_ns == made  # kept, not converted again


def test_build_writes_any_format(tmp_path: Path) -> None:
    evaluation, layout = ld.sample("yueyang-2024-department"), ld.Layout(department=True)
    for fmt in ("docx", "xlsx", "html"):
        path = ld.build(evaluation, layout, fmt, tmp_path / f"表.{fmt}")
        assert path.is_file() and path.stat().st_size > 0
    with pytest.raises(ValueError, match="format"):
        ld.build(evaluation, layout, "odt", tmp_path / "表.odt")
    want = ld.expected(evaluation, layout)
    assert want["funds"]["rows"][1] == {"label": "按收入性质分", "amount": None}
    assert want["level1_weights"] == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
