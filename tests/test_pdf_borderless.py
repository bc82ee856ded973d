"""Borderless PDF tables read from the positions of their words (``readers.layout``).

The layout families and the seed tables are printed from Word without any line (text
centred vertically in its cells) and with horizontal rules only; each must read back to
its gold. ``read_tables`` itself is tried on words placed by hand, in any unit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.ingest.readers.layout import read_tables
from jixiao.ingest.readers.pdf import read_pdf
from jixiao.ingest.readers.words import Word
from tests import layout_docs, office_docs
from tests.corpus.score import GoldDocument, by_group

GOAL = 0.98  # field F1 of every borderless format (README: accuracy goals)
PRINTED = ("pdf-borderless", "pdf-rules")

needs_libreoffice = pytest.mark.skipif(not office_docs.libreoffice(), reason="LibreOffice 未安装")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[GoldDocument]:
    folder = tmp_path_factory.mktemp("borderless")
    built = layout_docs.generated_corpus(folder, formats=PRINTED)
    built += layout_docs.seed_corpus(folder / "seeds", formats=PRINTED)
    return [
        GoldDocument(path, (name,), fmt, gold["evaluations"]) for path, name, fmt, gold in built
    ]


@needs_libreoffice
def test_every_borderless_format_reads_to_its_gold(printed: list[GoldDocument]) -> None:
    tallies = by_group(printed, lambda d: [d.fmt])
    assert set(tallies) == set(PRINTED)
    for fmt, tally in tallies.items():
        assert tally.f1 >= GOAL, (fmt, tally.misses[:10])


@needs_libreoffice
def test_every_printed_table_is_read(printed: list[GoldDocument]) -> None:
    """No family nor seed is lost: each reads nearly whole (a label one row off at most)."""
    for name, tally in by_group(printed, lambda d: [f"{d.family[0]} {d.fmt}"]).items():
        assert tally.f1 >= 0.95, (name, tally.misses[:10])


@needs_libreoffice
def test_text_outside_the_table_stays_paragraphs(printed: list[GoldDocument]) -> None:
    path = next(d.path for d in printed if d.family == ("standard",) and d.fmt == PRINTED[0])
    document = read_pdf(path)
    assert len(document.tables) == 1
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["附件2", "2024年度项目支出绩效自评表"]
    assert all("年度资金总额" not in text for text in texts)


# ---- read_tables on words placed by hand ----

# (row, column, text) of a small borderless form: columns 40 units apart, lines 14 apart,
# the 三级 cell of the first indicator wrapped over two lines, 一级 written once.
FORM = [
    (0, 0, "项目名称"),
    (0, 2, "科技专项"),
    (2, 0, "一级指标"),
    (2, 1, "二级指标"),
    (2, 2, "三级指标"),
    (2, 3, "分值"),
    (2, 4, "得分"),
    (4, 0, "产出指标"),
    (4, 1, "数量指标"),
    (4, 2, "新增创新"),
    (5, 2, "平台"),
    (4, 3, "10"),
    (4, 4, "9"),
    (7, 1, "质量指标"),
    (7, 2, "验收合格率"),
    (7, 3, "10"),
    (7, 4, "10"),
]


def placed(scale: float = 1.0, dx: float = 0.0) -> list[Word]:
    """FORM's words at their places, the whole page scaled (points or pixels) and moved."""
    return [
        Word(text, (50 + 80 * c) * scale + dx, (100 + 14 * r) * scale,
             (50 + 80 * c + 11 * len(text)) * scale + dx, (111 + 14 * r) * scale)
        for r, c, text in FORM
    ]  # fmt: skip


def texts(words: list[Word]) -> list[list[str]]:
    (table,) = read_tables(words)
    return [[cell.text.replace("\n", "") for cell in row] for row in table.table.grid]


def test_words_read_as_their_table() -> None:
    assert texts(placed()) == [
        ["项目名称", "", "科技专项", "", ""],
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["产出指标", "数量指标", "新增创新平台", "10", "9"],
        ["产出指标", "质量指标", "验收合格率", "10", "10"],
    ]


def test_merged_label_is_carried_down_as_a_merged_cell() -> None:
    (table,) = read_tables(placed())
    below = table.table.grid[3][0]
    assert below.anchor == (2, 0) and below.text == "产出指标"


@pytest.mark.parametrize(("scale", "dx"), [(1.0, 0.0), (4.17, 0.0), (0.5, 30.0)])
def test_the_same_table_in_any_unit(scale: float, dx: float) -> None:
    """Pixels of a scan at 300 dpi or half-size points: tolerances follow the words."""
    assert texts(placed(scale, dx)) == texts(placed())


def test_running_text_is_no_table() -> None:
    words = [
        Word("绩效自评工作开展情况良好，资金使用规范。", 50, 100 + 14 * i, 500, 111 + 14 * i)
        for i in range(5)
    ]
    assert read_tables(words) == []


_TEXTS = st.sampled_from(
    [
        "项目名称",
        "一级指标",
        "三级指标",
        "分值",
        "得分",
        "10",
        "（50分）",
        "分）",
        "填表人",
        " ",
        "≥95%",
    ]
)
_WORDS = st.builds(
    lambda text, x, y, w, h: Word(text, x, y, x + w, y + h),
    _TEXTS,
    st.floats(-1e4, 1e4, allow_nan=False),
    st.floats(-1e4, 1e4, allow_nan=False),
    st.floats(0, 500, allow_nan=False),
    st.floats(0, 50, allow_nan=False),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=40))
def test_any_words_never_raise(words: list[Word]) -> None:
    for table in read_tables(words):
        assert all(len(row) == len(table.table.xs) for row in table.table.grid)


def test_word_table_is_continued_in_its_columns() -> None:
    """Rows at the top of the next page in the table's columns continue it."""
    (first,) = read_tables(placed())
    following = [Word("时效指标", 130, 60, 174, 71), Word("按时完成", 210, 60, 254, 71),
                 Word("10", 290, 60, 301, 71), Word("10", 370, 60, 381, 71)]  # fmt: skip
    (rest,) = read_tables(following, continued=first)
    assert rest.table.xs == first.table.xs
    assert [c.text for c in rest.table.grid[0]] == ["", "时效指标", "按时完成", "10", "10"]


def test_paths_of_the_printed_formats(tmp_path: Path) -> None:
    assert layout_docs.file_name("standard", "pdf-borderless") == "standard.borderless.pdf"
    assert layout_docs.file_name("standard", "pdf") == "standard.pdf"
