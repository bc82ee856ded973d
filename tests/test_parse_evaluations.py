"""Seed reports parsed into evaluations equal the hand transcriptions in samples/.

The sample YAML files were written by hand from the seed text and checked by eye (notes at
the top of each). The parser must read the same thing, with two deliberate differences:
it does not know the scoring scheme (``scheme`` is left out of the comparison), and where
the extraction pushed a score into the deviation column it reads it as the score and says
so in a note (seed 000, 重点科技工作补助, 基础研究占全社会研发投入比重).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jixiao.document import dump_json, evaluation_to_data, load_evaluation
from jixiao.ingest import parse_file
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"


def plain(evaluation: Any) -> Any:
    data = json.loads(dump_json(evaluation_to_data(evaluation, sources=False)))
    return _drop_scheme(data)


def _drop_scheme(data: Any) -> Any:
    data.pop("scheme", None)
    data.pop("confidence", None)  # how sure the reading is: not in a hand transcription
    data.pop("read_notes", None)
    for child in data.get("children", []):
        _drop_scheme(child)
    return data


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    if isinstance(got, dict) and isinstance(want, dict):
        return [
            d
            for k in sorted(set(got) | set(want))
            for d in differences(got.get(k), want.get(k), f"{path}.{k}")
        ]
    if isinstance(got, list) and isinstance(want, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items, expected {len(want)}"]
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in differences(g, w, f"{path}[{i}]")
        ]
    return [] if got == want else [f"{path}: parsed {got!r}, expected {want!r}"]


def seed(number: str) -> Path:
    return next(REPORTS.glob(f"{number}_*.txt"))


@pytest.mark.parametrize(
    ("number", "index", "sample"),
    [
        ("001", 0, "lusong-2023-department"),
        ("004", 0, "yueyang-2024-department"),
        ("004", 1, "yueyang-2024-project"),
    ],
)
def test_parsed_equals_transcription(number: str, index: int, sample: str) -> None:
    parsed = parse_file(seed(number))
    assert parsed.errors == []
    got = plain(parsed.report.evaluations[index])  # type: ignore[union-attr]
    want = plain(load_evaluation(SAMPLES / f"{sample}.yaml"))
    assert differences(got, want) == []


def test_seed_000_fund_and_sub_directions() -> None:
    parsed = parse_file(seed("000"))
    assert parsed.report is not None and len(parsed.report.evaluations) == 1
    got = plain(parsed.report.evaluations[0])
    want = plain(load_evaluation(SAMPLES / "zhuzhou-2022-keji-zhuanxiang.yaml"))
    pushed = want["children"][1]["indicators"][4]
    assert (pushed["score"], pushed["deviation"]) == (None, "5")  # as written in the source
    pushed["score"], pushed["deviation"] = 5, None  # as the parser reads it
    assert differences(got, want) == []
    messages = [n.message for n in parsed.notes]
    assert any("基础研究占全社会研发投入比重" in m and "按得分读取" in m for m in messages)
    assert sum("错位一栏" in m for m in messages) == 3  # 时效 and 成本 rows, 质量 row of child 2


def test_sources_point_into_the_file() -> None:
    parsed = parse_file(seed("004"))
    evaluation = parsed.report.evaluations[0]  # type: ignore[union-attr]
    lines = seed("004").read_text(encoding="utf-8").splitlines()
    for indicator in evaluation.indicators:
        source = indicator.source
        assert source is not None and source.line is not None
        assert (indicator.name or "")[:6] in lines[source.line - 1].replace("\t", "")
    row = evaluation.funds.rows[0]
    assert row.source is not None and "年度资金总额" in lines[row.source.line - 1]  # type: ignore[operator]


def test_parsed_seeds_score_like_their_transcriptions() -> None:
    from jixiao.service import Service

    service = Service()
    (scored,) = service.score_file(seed("004"))[:1]
    assert scored.score.total == scored.score.total.__class__("98.58")
    lusong = service.score_file(seed("001"))[0]
    assert lusong.scheme.name == "zhuzhou-lusong"  # chosen from its declared 40/20/10/20


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.txt", "文件是空的"),
        (b"\x00\x01\x02binary", "bin.txt", "不是文本文件"),
        ("一份会议纪要，与预算无关。\n".encode(), "memo.txt", "没有找到预算绩效自评表"),
        (b"hello", "report.xyz", "不支持的文件类型"),
        ("报告".encode("gbk") + b"\xff\xfe\xfa", "odd.txt", "无法识别文字编码"),
    ],
)
def test_bad_input_gets_a_clear_error(
    tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    parsed = parse_file(path)
    assert parsed.errors and message in parsed.errors[0].message
    assert parsed.errors[0].source is not None and parsed.errors[0].source.file == str(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "不存在" in parse_file(tmp_path / "none.txt").errors[0].message
    assert "目录" in parse_file(tmp_path).errors[0].message


def test_gbk_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("2023年度某局整体支出绩效自评报告\n一、部门基本情况\n".encode("gbk"))
    parsed = parse_file(path)
    assert parsed.errors == [] and parsed.report is not None
    assert parsed.report.title == "2023年度某局整体支出绩效自评报告"


def test_total_row_without_label(tmp_path: Path) -> None:
    rows = [
        "\t".join(["项目支出名称", "某项目", "", "", "", "", "", "", ""]),
        "\t".join(
            [
                "绩效指标",
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ]
        ),
        "\t".join(["", "产出指标", "数量指标", "奖励企业", "10家", "8家", "90", "72", "疫情"]),
        "\t".join(["", "", "", "", "", "", "100", "82", "等级：良"]),
    ]
    path = tmp_path / "t.txt"
    path.write_text("项目支出绩效自评表\n" + "\n".join(rows) + "\n", encoding="utf-8")
    evaluation = parse_file(path).report.evaluations[0]  # type: ignore[union-attr]
    assert len(evaluation.indicators) == 1
    assert (evaluation.total.weight, evaluation.total.score) == (100, 82)
    assert evaluation.grade == "良"


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.ingest import parse as parse_module

    monkeypatch.setattr(parse_module, "MAX_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("绩效" * 1000, encoding="utf-8")
    assert "文件过大" in parse_file(path).errors[0].message


def test_seed_003_table_rebuilt_from_flowed_text() -> None:
    """Seed 003's table lost its grid in the PDF extraction; the indicators, goals, declared
    weights, total, grade and header fields (专项名称, 支出方向名称… in ``extra``; 部门名称 and
    项目支出名称 are blank) are rebuilt exactly as transcribed; so is the funds block, whose
    全年执行数 80, 分值 10, 执行率 100% and 得分 10 stand on lines of their own far from their
    row: the one choice of the lone figures for which 80 ÷ 80 = 100% and 100% × 10 = 10."""
    parsed = parse_file(seed("003"))
    assert parsed.errors == []
    assert any("已按内容重建" in n.message for n in parsed.notes)
    got = plain(parsed.report.evaluations[0])  # type: ignore[union-attr]
    want = plain(load_evaluation(SAMPLES / "zhuzhou-2020-tech-center.yaml"))
    for field in (
        "indicators",
        "goals",
        "level1_weights",
        "total",
        "grade",
        "title",
        "year",
        "kind",
        "name",
        "department",
        "implementer",
        "extra",
        "funds",
    ):
        assert differences(got[field], want[field], field) == []
    assert any("配回年度资金总额行" in n.message for n in parsed.notes)


def test_seed_003_header_is_not_a_false_alarm() -> None:
    """The 2020 专项 form has no 实施单位 field: only its blank 部门名称 and 项目支出名称
    are reported."""
    from jixiao.service import Service

    findings = [f for f in Service().check(seed("003")).findings if f.code == "CP02"]
    assert [f.field for f in findings] == ["name,department"]


def test_total_source_is_the_total_row() -> None:
    """Flowed seed 003: the line "100 97 等级：优"; seed 004 (one cell per line): the first
    line of its 总分 row."""
    for number, words in (("003", ("100 97", "等级")), ("004", ("总分",))):
        evaluation = parse_file(seed(number)).report.evaluations[0]  # type: ignore[union-attr]
        lines = seed(number).read_text(encoding="utf-8").splitlines()
        source = evaluation.total.source
        assert source is not None and source.line is not None
        assert all(word in lines[source.line - 1] for word in words)


def _total_findings(path: Path) -> dict[str, int | None]:
    from jixiao.service import Service

    found = Service().check(path).findings
    return {f.code: f.source.line if f.source else None for f in found if f.code in TOTAL_RULES}


TOTAL_RULES = ("SC02", "SC03", "WT01")


def test_total_rules_point_at_the_total_row(tmp_path: Path) -> None:
    """A wrong 总分 row (weight 90 of 100, score 96 of 97, grade 良 for 96) is reported by
    SC02, SC03 and WT01 on that row, in a parsed report and in a hand-written file."""
    text = seed("003").read_text(encoding="utf-8")
    assert text.count("100 97 等级：优") == 1
    report = tmp_path / "003.txt"
    report.write_text(text.replace("100 97 等级：优", "90 96 等级：良"), encoding="utf-8")
    row = report.read_text(encoding="utf-8").splitlines().index("90 96 等级：良") + 1
    assert _total_findings(report) == dict.fromkeys(TOTAL_RULES, row)

    sample = (SAMPLES / "zhuzhou-2020-tech-center.yaml").read_text(encoding="utf-8")
    assert sample.count("total: {weight: 100, score: 97}") == 1
    written = sample.replace("total: {weight: 100, score: 97}", "total: {weight: 90, score: 96}")
    written = written.replace("\ngrade: 优", "\ngrade: 良")
    hand = tmp_path / "003.yaml"
    hand.write_text(written, encoding="utf-8")
    row = written.splitlines().index("total: {weight: 90, score: 96}") + 1
    assert load_evaluation(hand).total.source.line == row  # type: ignore[union-attr]
    assert _total_findings(hand) == dict.fromkeys(TOTAL_RULES, row)


def test_zhuanxiang_header_in_a_grid(tmp_path: Path) -> None:
    """The 2020 专项 form as a real table: its header fields go to ``extra``, the 部门名称 is
    not mistaken for a value, and a 合计 last row is read as the total, with its source."""
    rows = [
        ["专项名称", "市经济信息产业发展专项", "", "项目总投资（万元）", "80", "", "", "", ""],
        ["支出方向名称（子项目）", "制造强市专项－市级企业技术创新中心奖励", *[""] * 7],
        ["部门名称", "", "", "项目总实施期：2020年", "", "", "", "", ""],
        ["项目支出名称", "技术创新中心奖励", "", "", "", "", "", "", ""],
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ],
        ["", "产出指标", "数量指标", "奖励企业", "10家", "8家", "90", "72", "疫情"],
        ["合计", "", "", "", "", "", "100", "82", ""],
    ]
    path = tmp_path / "t.txt"
    text = "项目支出绩效自评表\n" + "\n".join("\t".join(row) for row in rows) + "\n"
    path.write_text(text, encoding="utf-8")
    evaluation = parse_file(path).report.evaluations[0]  # type: ignore[union-attr]
    assert dict(evaluation.extra) == {
        "专项名称": "市经济信息产业发展专项",
        "项目总投资（万元）": "80",
        "支出方向名称（子项目）": "制造强市专项－市级企业技术创新中心奖励",
        "项目总实施期": "2020年",
    }
    assert (evaluation.name, evaluation.department) == ("技术创新中心奖励", None)
    assert (evaluation.total.weight, evaluation.total.score) == (100, 82)
    source = evaluation.total.source
    assert source is not None and source.line is not None
    assert text.splitlines()[source.line - 1].startswith("合计")
