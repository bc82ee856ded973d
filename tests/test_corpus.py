"""Real self-evaluation tables from all over China (tests/corpus/real), each against a gold
written by hand from the excerpt; and the pieces that rebuild a table from its cells.

Accuracy is held where it was last measured (tests/corpus/floors.yaml, per family): a change
that reads any family worse fails here; one that reads it better raises the floor by hand.
The figures and the goals are in the README (``python bench/accuracy.py``).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from jixiao.audit import AuditSettings, Finding, Severity, run_audit
from jixiao.ingest import parse_file
from jixiao.ingest.forms.evaluation import recognise_evaluation
from jixiao.ingest.forms.glued import segment, split_figures
from jixiao.ingest.forms.roles import indicator_role
from jixiao.ingest.forms.rows import RowReader
from jixiao.ingest.forms.stream import level1_like, level2_like, read_streamed, rebuild
from jixiao.ingest.forms.tokens import Token, rejoin, tokenise
from jixiao.ingest.forms.vocabulary import BROKEN_LABELS
from jixiao.ingest.raw import RawCell, RawDocument, RawTable
from jixiao.loading import Loaded, decode
from jixiao.model import Evaluation
from jixiao.service import Service, read_report
from jixiao.service.audit import _tables
from tests.corpus import validate
from tests.corpus.score import REAL, GoldDocument, Tally, by_group, real_corpus, seed_corpus

FLOORS = yaml.safe_load((REAL.parent / "floors.yaml").read_text(encoding="utf-8"))
CORPUS = real_corpus()
SERVICE = Service()


def test_every_excerpt_has_a_well_formed_gold() -> None:
    excerpts = {p.name.removesuffix(".txt") for p in REAL.glob("*.txt")}
    golds = {p.name.removesuffix(".gold.yaml") for p in REAL.glob("*.gold.yaml")}
    assert excerpts == golds
    assert [p for g in sorted(REAL.glob("*.gold.yaml")) for p in validate.problems(g)] == []


def test_corpus_breadth() -> None:
    tables = sum(len(d.evaluations) for d in CORPUS)
    provinces = {d.province for d in CORPUS} - {None}
    assert tables >= FLOORS["tables"] and len(provinces) >= FLOORS["provinces"]


@pytest.mark.parametrize("family", sorted(FLOORS["families"]))
def test_family_reads_no_worse_than_measured(family: str) -> None:
    tallies = by_group(CORPUS, lambda d: [*d.family, "all"])
    got = tallies.get(family, Tally())
    assert round(got.f1, 3) >= FLOORS["families"][family], got.misses[:20]


def test_seeds_read_as_transcribed() -> None:
    tallies = by_group(seed_corpus(), lambda d: [d.path.name[:3]])
    assert {k: round(t.f1, 3) for k, t in tallies.items()} == FLOORS["seeds"]


def audit_both(document: GoldDocument) -> tuple[list[Finding], list[Finding]]:
    """The audit of the tables as jixiao read them, and of the same tables as read by hand
    (the gold), in the same report (its text, its other tables)."""
    read = read_report(document.path)
    assert read.report is not None, read.errors
    gold = tuple(
        decode(Evaluation, Loaded(str(document.path), e, {})) for e in document.evaluations
    )
    settings = AuditSettings()
    got = run_audit(_tables(SERVICE, read.report.evaluations), read.report, settings)
    by_hand = dataclasses.replace(read.report, evaluations=gold)
    return got, run_audit(_tables(SERVICE, gold), by_hand, settings)


def _key(finding: Finding) -> tuple[str, str | None, str | None]:
    return (finding.code, finding.indicator, finding.field)


@pytest.mark.parametrize("document", CORPUS, ids=lambda d: d.path.stem)
def test_no_false_alarm_from_a_misread(document: GoldDocument) -> None:
    """Every error or warning on a table as read is one the table as written really has (the
    audit of the hand-read gold finds it too): a cell read wrong may only show as a 提示."""
    got, truth = audit_both(document)
    real = {_key(f) for f in truth}
    alarms = [f.message for f in got if f.severity is not Severity.INFO and _key(f) not in real]
    assert alarms == []


def cells(*texts: str) -> list[Token]:
    return [Token(t) for t in texts]


@pytest.mark.parametrize(
    ("lines", "how", "texts"),
    [
        (["项目名称 |", "购买服务 |", "|", "主管部门 | 财政局 |"], "pipe",
         ["项目名称", "购买服务", "", "主管部门", "财政局"]),
        (["年初", "", "预算数", "", " ", "", "得分", "", "10", ""], "spaced",
         ["年初", "预算数", "", "得分", "10"]),
        (["年度资金总额 287 287 171 10 60% 6"], "lines",
         ["年度资金总额", "287", "287", "171", "10", "60%", "6"]),
        # short rows run together inside one cell; a sentence naming a figure stays whole
        (["年度资金总额:40004000100%", "", "数量指标建设普通省道二级公路32.1公里2020", "",
          "落实64户特色种养业奖补政策,增加收入10.9304万元", ""], "spaced",
         ["年度资金总额:", "4000", "4000", "100%", "数量指标", "建设普通省道二级公路",
          "32.1公里", "20", "20", "落实64户特色种养业奖补政策,增加收入10.9304万元"]),
        # the page's title and a "label: value" line above the first barred line stand apart
        (["2022年度项目支出绩效自评表", "单位名称:保山市退役军人事务局", "项目名称", "|",
          "春节走访慰问经费", "|", "主管部门 | 民政局 |"], "pipe",
         ["2022年度项目支出绩效自评表", "单位名称:保山市退役军人事务局", "项目名称",
          "春节走访慰问经费", "主管部门", "民政局"]),
    ],
)  # fmt: skip
def test_cells_are_told_apart(lines: list[str], how: str, texts: list[str]) -> None:
    tokens, found = tokenise(lines, "t.txt")
    assert found == how and [t.text for t in tokens] == texts


def test_labels_broken_over_cells_are_joined() -> None:
    joined = rejoin(
        cells("年初", "预算数", "经济效益", "指标", "年度预", "算申请", "8"), BROKEN_LABELS
    )
    assert [t.text for t in joined] == ["年初预算数", "经济效益指标", "年度预算申请", "8"]


def test_a_name_cut_inside_an_enumeration_is_joined() -> None:
    """No cell ends with 、: in "5000吨 | 稻谷、 | 500吨 | 成品粮储备到位率" the piece that does
    is joined with the quantity before it and the piece after it (the row reader takes the
    rest of the name as its broken-off end); a letter's 、 ("A、") is left alone."""
    joined = rejoin(
        [
            Token("数量指标", first=True),
            Token("5000吨"),
            Token("稻谷、"),
            Token("500吨"),
            Token("成品粮储备到位率"),
            Token("100%"),
            Token("A、"),
            Token("全年执行数"),
        ],
        BROKEN_LABELS,
    )
    assert [t.text for t in joined] == [
        "数量指标", "5000吨稻谷、500吨", "成品粮储备到位率", "100%", "A、", "全年执行数",
    ]  # fmt: skip


def test_rows_with_merged_categories_and_a_dropped_cell() -> None:
    roles = ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]
    reader = RowReader(roles, level1_like, level2_like)
    rows = reader.read(
        cells(
            "产出指标",
            "数量指标",
            "项目数量",
            "≥50个",
            "50",
            "8",
            "8",
            "",
            "质量指标",
            "合格率",
            "100%",
            "100%",
            "8",
            "8",
            "",
            "报告及时性",
            "按时",
            "按时",
            "8",
            "8",  # the empty explanation was dropped
            "成本指标",
            "总成本",
            "≤90万元",
            "90",
            "8",
            "8",
            "",
        )
    )
    names = [(r.cells.get("level2", Token("")).text, r.cells["name"].text) for r in rows]
    assert names == [("数量指标", "项目数量"), ("质量指标", "合格率"), ("", "报告及时性"),
                     ("成本指标", "总成本")]  # fmt: skip
    assert [r.dropped for r in rows] == [0, 0, 1, 0]


def test_a_category_word_under_a_wider_one_is_a_name() -> None:
    """ "成本指标 | 成本 | 10万元": a 二级 names more than its 一级, so 成本 under 成本指标 is
    the indicator's name, not a 二级 under a 一级 成本指标; a 一级 and a 二级 of equal words
    (满意度指标 under 满意度指标(10分)) stay what they are."""
    reader = RowReader(["level1", "level2", "name", "target", "actual"], level1_like, level2_like)
    rows = reader.read(
        cells(
            "项目产出", "时效指标", "全年", "1-12月", "已完成100%",
            "成本指标", "成本", "10万元", "已完成100%",
            "满意度指标(10分)", "满意度指标", "群众满意度", "90%", "95%",
        )
    )  # fmt: skip
    found = [
        tuple(r.cells[k].text if k in r.cells else "" for k in ("level1", "level2", "name"))
        for r in rows
    ]
    assert found == [
        ("项目产出", "时效指标", "全年"),
        ("", "成本指标", "成本"),
        ("满意度指标(10分)", "满意度指标", "群众满意度"),
    ]


def test_a_row_cut_off_by_the_end_of_the_text_keeps_its_first_columns() -> None:
    """The excerpt ends inside the last row ("… 满意度 ≥ 95 % 95 10.00"): the cells it lacks
    are its last ones (得分, 偏差原因), so 95 is the result beside its equal target and
    10.00 the weight — not a weight of 95 and a score of 10."""
    roles = ["level1", "level2", "name", "nature", "target", "unit", "actual", "weight", "score",
             "deviation"]  # fmt: skip
    reader = RowReader(roles, level1_like, level2_like)
    [*_, last] = reader.read(
        cells(
            "效益指标", "社会效益指标", "违法行为责停率", "≥", "95", "%", "95", "30.00", "27.00",
            "", "满意度指标", "服务对象满意度指标", "满意度", "≥", "95", "%", "95", "10.00",
        )
    )  # fmt: skip
    placed = {role: cell.text for role, cell in last.cells.items()}
    assert placed["name"] == "满意度"
    assert (placed["actual"], placed["weight"]) == ("95", "10.00")
    assert "score" not in placed


def test_a_line_a_row_with_the_empty_cells_left_out() -> None:
    """Row-per-line text where a parent row shows only 分值 and 得分 and its sub-rows only
    their target and result: each line is its row, whatever it lacks was empty."""
    lines = [
        "一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分 未完成原因",
        "产出指标 数量指标 ★补助粮食作物种植面积 10 10",
        "红薯种植面积 5.5亩 5.5亩",
        "★补助瓜果蔬菜种植面积 10 10",
        "梨树种植面积 6亩 6亩",
        "桃种植面积 1亩 1亩",
        "四、农户施肥情况调查(户) ≧300户 300户",  # numbered like a heading, yet a row
        "质量指标 作物成活率 10 95% 96% 9",
        "效益指标(30分)",  # a 一级 on a line of its own, its first 二级 on the next
        "经济效益指标 增收户数 30 39户 39户 30",
    ]
    tokens, _ = tokenise(lines, "t.txt")
    rows = [r for r in rebuild(tokens).table.texts() if r[2] and r[2] != "三级指标"]
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in rows] == [
        ("★补助粮食作物种植面积", "", "", "10", "10"),
        ("红薯种植面积", "5.5亩", "5.5亩", "", ""),
        ("★补助瓜果蔬菜种植面积", "", "", "10", "10"),
        ("梨树种植面积", "6亩", "6亩", "", ""),
        ("桃种植面积", "1亩", "1亩", "", ""),
        ("四、农户施肥情况调查(户)", "≧300户", "300户", "", ""),
        ("作物成活率", "95%", "96%", "10", "9"),
        ("增收户数", "39户", "39户", "30", "30"),
    ]
    assert [r[0] for r in rebuild(tokens).table.texts() if r[0]][-2:] == [
        "产出指标",
        "效益指标(30分)",
    ]


def test_rows_whose_header_the_text_left_out_run_on_one_line() -> None:
    """The page starts inside the indicator block and a row's cells run on with single
    spaces; a row with no 二级 cell stays under the one above, and the empty 完成值 / 得分 /
    explanation cells it lost are put back."""
    line = (
        "产出指标数量指标足额保障率=100% 22.5 科目调整次数≤10次 22.5 时效指标按时发放率=100% "
        "22.5 效益指标经济效益指标结余率 ≤5% 22.5 合计100"
    )
    document = RawDocument(path="x.txt", blocks=(), lines=("https://example.org/a.html", line))
    [read] = read_streamed(document, None)
    rows = [(i.level2, i.name, i.target, i.weight) for i in read.evaluation.indicators]
    assert rows == [
        ("数量指标", "足额保障率", "=100%", Decimal("22.5")),
        ("数量指标", "科目调整次数", "≤10次", Decimal("22.5")),
        ("时效指标", "按时发放率", "=100%", Decimal("22.5")),
        ("经济效益指标", "结余率", "≤5%", Decimal("22.5")),
    ]


def test_header_words_read_out_of_order_and_explanation_columns() -> None:
    """OCR reads a vertical header cell's characters out of order ("考值参分" for 参考分值);
    a 指标解释 / 评分标准 column is known, so the header goes on past it."""
    assert indicator_role("考值参分") == "weight"
    assert indicator_role("指标值(八)") == "target"
    assert indicator_role("指标解释") == indicator_role("评分标准") == "explanation"
    assert indicator_role("值分考") is None  # too short to tell by its characters


def _indicator_rows(rows: list[list[str]], width: int = 7) -> list[list[str]]:
    """The rows of a rebuilt grid under its indicator header, as far as 得分 (``width``)."""
    start = next(n for n, r in enumerate(rows) if r[0] == "一级指标")
    return [r[:width] for r in rows[start + 1 :]]


def test_a_sheet_flowed_with_names_and_values_apart() -> None:
    """A sheet a sharing site flowed cell by cell: funds labels and a header word before the
    funds header, the indicator header's value columns among the first row, a 一级 printed
    in the middle of its block, the 实施单位's value among the rows, the vertical 绩效指标,
    names broken over cells, a 二级 broken across the cells beside it, and the last rows'
    values (and the 总分's) before their names. Each name takes its values in order."""
    tokens = rejoin(
        cells(
            "示范县项目支出绩效自评表", "项目名称", "示范项目", "主管部门", "示范县卫生健康局",
            "项目资金", "年初预算数", "(万元)", "年度资金总额", "其中:当年财政拨款", "实施单位",
            "全年预算数", "全年执行数", "分值", "执行率", "得分",
            "40", "36", "10", "90%", "9", "40", "36", "—", "90%", "—",
            "上年结转资金", "—", "—",
            "一级指标", "二级指标", "三级指标", "数量指标", "指标1:培训人数",
            "绩", "效", "指", "标", "示范县疾病预防控制中心", "产出指标", "(50分", ")",
            "实际", "指标值", "完成值", "300人", "分值", "得分", "偏差原因分析及改进措施",
            "280人", "20", "18", "部分人员外出", "务工,未能参训",
            "质量指标", "指标1:培训合格", "率", "95%", "96%", "15", "15",
            "20次", "20次", "15", "15", "90%", "92%", "30", "30",
            "90%", "95%", "10", "10", "100", "92",
            "时效指标", "指标1:培训按期完成次数", "效益指", "标(30", "分)",
            "社会效益", "指标1:群众健康知识知晓率",
            "满意度指标", "服务对象满", "指标1:受训人员满意度", "(10分", "意度指标", ")",
            "总分",
        ),
        BROKEN_LABELS,
    )  # fmt: skip
    rebuilt = rebuild(tokens)
    rows = rebuilt.table.texts()
    assert rows[2][:2] == ["实施单位", "示范县疾病预防控制中心"]
    funds = {r[0]: r[1:7] for r in rows if r[0] in ("年度资金总额", "其中:当年财政拨款")}
    assert funds == {
        "年度资金总额": ["", "40", "36", "10", "90%", "9"],
        "其中:当年财政拨款": ["", "40", "36", "—", "90%", "—"],
    }
    assert _indicator_rows(rows) == [
        ["产出指标(50分)", "数量指标", "指标1:培训人数", "300人", "280人", "20", "18"],
        ["", "质量指标", "指标1:培训合格率", "95%", "96%", "15", "15"],
        ["", "时效指标", "指标1:培训按期完成次数", "20次", "20次", "15", "15"],
        ["效益指标(30分)", "社会效益", "指标1:群众健康知识知晓率", "90%", "92%", "30", "30"],
        ["满意度指标(10分)", "服务对象满意度指标", "指标1:受训人员满意度", "90%", "95%",
         "10", "10"],
        ["总分", "", "", "", "", "100", "92"],
    ]  # fmt: skip
    assert _indicator_rows(rows, 8)[0][7] == "部分人员外出务工,未能参训"
    assert any("分处两处" in note for note, _ in rebuilt.notes)
    assert rebuilt.paired  # so its confidence stays under the audit's bar


def test_a_table_given_column_by_column() -> None:
    """PDF text that gives the categories in one run, the names in another and the values
    in a third (a 二级 read into the header's line, a name's last character after the
    values, a page number among them): each name takes its 二级 and its values in order, the
    一级 by its 二级's family, the last two figures the 总分's."""
    tokens = cells(
        "一级指标", "二级指标", "数量指标", "三级指标", "培训完成", "年度指标值", "实际完成值",
        "分值", "得分",
        "=100%", "100%", "20", "20", "≥95%", "97%", "30", "30", "及时", "及时", "20", "18",
        "≥80%", "85%", "10", "10", ">=90%", "92%", "10", "10", "100", "98",
        "率", "产出指标", "质量指标", "绩效指标", "时效指标", "效益指标", "社会效益指标",
        "合格率", "按期完成", "群众知晓率", "满意度指标", "服务对象满意度指标", "满意度", "总分",
        "-1-",
    )  # fmt: skip
    rebuilt = rebuild(tokens)
    assert _indicator_rows(rebuilt.table.texts()) == [
        ["产出指标", "数量指标", "培训完成率", "=100%", "100%", "20", "20"],
        ["产出指标", "质量指标", "合格率", "≥95%", "97%", "30", "30"],
        ["产出指标", "时效指标", "按期完成", "及时", "及时", "20", "18"],
        ["效益指标", "社会效益指标", "群众知晓率", "≥80%", "85%", "10", "10"],
        ["满意度指标", "服务对象满意度指标", "满意度", ">=90%", "92%", "10", "10"],
        ["总分", "", "", "", "", "100", "98"],
    ]
    assert any("按列排列" in note for note, _ in rebuilt.notes)
    assert rebuilt.paired


def test_names_and_values_apart_are_not_paired_when_their_counts_differ() -> None:
    """Two names and three runs of values: which goes with which is not known, so no name
    is given values that may not be its own."""
    tokens = cells(
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "偏差原因分析及改进措施",
        "产出指标", "数量指标", "户数", "10户", "10户", "30", "30",
        "20次", "20次", "15", "15", "90%", "92%", "30", "30", "95%", "95%", "15", "15",
        "质量指标", "合格率", "时效指标", "完成时间", "总分",
    )  # fmt: skip
    rows = [r for r in rebuild(tokens).table.texts() if r[2] and r[2] != "三级指标"]
    named = {r[2]: r[3:7] for r in rows}
    assert named["户数"] == ["10户", "10户", "30", "30"]
    assert named["合格率"] == named["完成时间"] == ["", "", "", ""]


def test_funds_figures_placed_by_their_arithmetic() -> None:
    """Five figures under six columns: the blank one is where 执行率 = 执行数 ÷ 预算数 holds."""
    tokens = cells(
        "项目名称", "示范项目",
        "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分",
        "年度资金总额", "65.66", "65.07", "10", "99%", "9",
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
        "产出指标", "数量指标", "户数", "10户", "10户", "90", "90",
        "总分", "100", "99",
    )  # fmt: skip
    rebuilt = rebuild(tokens)
    funds = next(r for r in rebuilt.table.texts() if r[0] == "年度资金总额")
    assert funds[1:7] == ["", "65.66", "65.07", "10", "99%", "9"]


def test_a_table_continued_on_a_new_page_is_one_table(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    header = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因",
    ]
    first = [
        ["项目名称", "示范项目", "", "", "", "", "", ""],
        [
            "项目资金（万元）",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
            "",
        ],
        ["年度资金总额", "100", "100", "100", "10", "100%", "10", ""],
        header,
        ["产出指标", "数量指标", "户数", "10户", "10户", "50", "50", ""],
    ]
    second = [header, ["效益指标", "社会效益指标", "满意度", "≥90%", "95%", "40", "40", ""],
              ["总分", "", "", "", "", "100", "100", ""]]  # fmt: skip
    for rows in (first, second):
        table = document.add_table(rows=len(rows), cols=8)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        if rows is first:
            document.add_paragraph("续表")
    path = tmp_path / "续表.docx"
    document.save(str(path))
    parsed = parse_file(path)
    assert parsed.report is not None
    (evaluation,) = parsed.report.evaluations
    assert [i.name for i in evaluation.indicators] == ["户数", "满意度"]
    assert (evaluation.total.weight, evaluation.total.score) == (Decimal(100), Decimal(100))
    assert any("续表" in n.message for n in parsed.notes)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> list[GoldDocument]:
    from tests import layout_docs

    folder = tmp_path_factory.mktemp("layouts")
    return [
        GoldDocument(path, (family,), fmt, gold["evaluations"])
        for path, family, fmt, gold in layout_docs.generated_corpus(folder)
    ]


def test_office_documents_in_every_layout_read_to_their_gold(
    office: list[GoldDocument],
) -> None:
    """docx, xlsx, html (and pdf, with LibreOffice) built in each layout family, continued
    tables included: goal F1 ≥ 0.98 for each family and format."""
    for groups in (lambda d: list(d.family), lambda d: [d.fmt]):
        for name, tally in by_group(office, groups).items():
            assert tally.f1 >= 0.98, (name, tally.misses[:10])


@pytest.mark.parametrize(
    ("run", "figures"),
    [
        ("194.9194.9100%", ("194.9", "194.9", "100%")),
        ("40004000100%", ("4000", "4000", "100%")),
        ("2020", ("2020",)),
        ("86%", ("86%",)),
        ("202010100.00%10", ("20", "20", "10", "100.00%", "10")),  # 分值 before 执行率
        ("20100%100%20", ("20", "100%", "100%", "20")),  # a nil rate proves nothing
        ("310.2154.741050%5", ("310.2", "154.74", "10", "50%", "5")),  # a weight is ≤ 100
        # too long to weigh every cut: the repeated amount peeled, then 分值 / 执行率 / 得分
        ("3555035550355501082.12%8.5", ("35550", "35550", "35550", "10", "82.12%", "8.5")),
    ],
)
def test_glued_figures_split_where_their_arithmetic_agrees(
    run: str, figures: tuple[str, ...]
) -> None:
    assert split_figures(run) == figures


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        (  # values keep their comparator and unit; a target and its equal result part
            "数量指标安装坡面水标尺10≥266米≥266米10群众生活改善状况10显著提升显著提升10",
            ["数量指标", "安装坡面水标尺", "10", "≥266米", "≥266米", "10", "群众生活改善状况",
             "10", "显著提升", "显著提升", "10"],
        ),
        (  # 分值 / 得分 run together; the template's empty rows stay cells of their own
            "服装质量等合格合格2020指标2:时效指标指标1:总分10098",
            ["服装质量等", "合格", "合格", "20", "20", "指标2:", "时效指标", "指标1:", "总分",
             "100", "98"],
        ),
        (  # spaces where the PDF wrapped a cell; 执行率 inside an indicator's name
            "质量 指标县级储备粮管理制 度严格执行率100%100%储备粮管理专户管 理率100%100%",
            ["质量指标", "县级储备粮管理制度严格执行率", "100%", "100%", "储备粮管理专户管理率",
             "100%", "100%"],
        ),
        (  # a block's weight stays with its 一级; a template's numbered name is no value;
            # 分值 before 指标值: the weight parted from its target
            "项目决策(10分)项目目标完整性4一级指标二级指标三级指标分值年度指标值全年实际值得分"
            "产出指标(40分)数量指标指标1免费发放原原种8550万粒550万粒8",
            ["项目决策(10分)", "项目目标完整性", "4", "一级指标", "二级指标", "三级指标",
             "分值", "年度指标值", "全年实际值", "得分", "产出指标(40分)", "数量指标",
             "指标1免费发放原原种", "8", "550万粒", "550万粒", "8"],
        ),
        (  # the title's year stays in the title; a formula stays with its label
            "2021年度财政项目绩效自评表单位名称:襄阳市中心医院填报日期:2022年3月18日"
            "得分(20分*执行率)年度财政资金总额10001000100%20安全性高高",
            ["2021年度财政项目绩效自评表", "单位名称:", "襄阳市中心医院", "填报日期:", "2022年",
             "3", "月", "18日", "得分(20分*执行率)", "年度财政资金总额", "1000", "1000", "100%",
             "20", "安全性", "高", "高"],
        ),
    ],
)  # fmt: skip
def test_glued_text_is_cut_into_its_cells(line: str, cells: list[str]) -> None:
    assert segment(line) == cells


def test_pages_of_a_sharing_site_are_joined_again() -> None:
    """A sharing site opens each page of the table with "1、", "2、", "3、", wherever it broke."""
    page = (
        "项目名称县级储备粮主管部门衡山县商务和粮食局实施单位粮食调控储备与产业发展股"
        "年度资金总额194.9194.9100%其中:中央、省、市补助县级资金194.9194.9"
    )
    lines = ["1、" + page, "2、100%质量 指标管理 率100%100%", "3、高高满意度指标"]
    tokens, _ = tokenise(lines, "x.txt")
    assert [t.text for t in tokens] == [
        "项目名称", "县级储备粮", "主管部门", "衡山县商务和粮食局", "实施单位",
        "粮食调控储备与产业发展股", "年度资金总额", "194.9", "194.9", "100%",
        "其中:中央、省、市补助县级资金", "194.9", "194.9", "100%", "质量指标", "管理率",
        "100%", "100%",
        "高", "高", "满意度指标",
    ]  # fmt: skip


@given(st.text(alphabet="0123456789.,%", min_size=1, max_size=20))
def test_glued_figures_never_fail_and_keep_every_character(run: str) -> None:
    assert "".join(split_figures(run)) == run


@given(
    st.lists(
        st.sampled_from(
            ["年度资金总额", "三级指标", "产出指标", "数量指标", "|", "10", "95%", "≥", "", " ",
             "总分", "项目名称", "一级指标", "二级指标", "得分", "分值", "年初预算数", "全年执行数",
             "覆盖率", "1.5亩", "——", "（万元）", "194.9194.9100%"]
        ),
        max_size=80,
    )
)  # fmt: skip
def test_any_cells_rebuild_without_failing(words: list[str]) -> None:
    """Whatever text comes, the rebuild gives a table or nothing, never an exception."""
    from jixiao.ingest.raw import Paragraph, RawDocument

    lines = tuple(" ".join(words[i : i + 7]) for i in range(0, len(words), 7))
    document = RawDocument("x.txt", tuple(Paragraph(line) for line in lines), lines=lines)
    for recognised in read_streamed(document, None):
        assert recognised.evaluation.confidence is not None


def test_a_rebuilt_reading_whose_sums_hold_is_trusted_more() -> None:
    """The same rebuilt table: its confidence rises when its rates and sums hold as read, never
    to the bar at which blanks count, and falls when a row came out named by a figure or a
    cell had to be left out or moved."""
    from jixiao.ingest.forms.confidence import REBUILT_CEILING, assess
    from jixiao.model import Evaluation, Funds, Indicator, Total

    rows = tuple(
        Indicator(name=f"指标{n}", weight=Decimal(30), score=Decimal(30)) for n in "甲乙丙"
    )
    funds = Funds(annual_budget=Decimal(50), executed=Decimal(40), rate=Decimal(80))
    held = Evaluation(
        "project", funds=funds, indicators=rows, total=Total(Decimal(90), Decimal(90))
    )
    unheld = dataclasses.replace(held, total=Total(Decimal(100), Decimal(95)))
    figure = dataclasses.replace(held, indicators=(*rows, Indicator(name="5000吨")))
    trust = [assess(e, rebuilt=True).confidence for e in (held, unheld, figure)]
    assert trust[0] is not None and trust[1] is not None and trust[2] is not None
    assert trust[1] < trust[0] <= REBUILT_CEILING and trust[2] < trust[0]
    left_out = assess(held, rebuilt=True, stray=1).confidence
    moved = assess(held, rebuilt=True, repairs=1).confidence
    assert left_out is not None and moved is not None
    assert left_out < trust[0] and moved < trust[0]


def test_goals_of_a_transfer_form_in_a_grid() -> None:
    """A transfer-payment form heads its goals 总体目标完成情况 | 总体目标 | 全年实际完成情况
    (not 年度总体目标 | 预期目标 | 实际完成情况): read as the expected and actual goals."""
    rows = [
        ["转移支付(项目)名称", "示范补助资金", "", ""],
        ["总体目标完成情况", "总体目标", "全年实际完成情况", ""],
        ["", "改善困难群众就医待遇。", "惠及11万人次。", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标"],
        ["", "产出指标", "数量指标", "救助人次"],
    ]
    table = RawTable(tuple(tuple(RawCell(t) for t in row) for row in rows))
    goals = recognise_evaluation(table, None, 2024).evaluation.goals
    assert (goals.expected, goals.actual) == ("改善困难群众就医待遇。", "惠及11万人次。")
