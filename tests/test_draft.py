"""``jixiao new`` and ``jixiao draft``: a table to fill, and a report drafted from a table.

Every seed table (the hand-written samples and the seed reports that hold a table) is drafted
twice (the same bytes as Markdown, the same text as Word), and the draft read back by jixiao
raises no text-against-table cross-check (XC03, XC04, XC07): the only XC findings left are
the tables' own (XC02, XC05, XC10), the same as on the source.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from docx import Document

from jixiao.cli.main import main
from jixiao.document import load_evaluation
from jixiao.render.outline import PLACEHOLDER, standard_outline
from jixiao.service import Service, read_report
from jixiao.service.draft import draft_report
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"
TABLES = sorted(SAMPLES.glob("*.yaml")) + [
    path for path in sorted(REPORTS.glob("*.txt")) if not path.name.startswith("002_")
]
TEXT_CHECKS = {"XC03", "XC04", "XC07"}  # the cross-checks that read the report's text


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _cross_checks(path: Path) -> Counter[str]:
    findings = Service().check(path).findings
    return Counter(f.code for f in findings if f.code.startswith("XC"))


@pytest.mark.parametrize("source", TABLES, ids=lambda p: p.name)
def test_draft_is_deterministic_and_agrees_with_its_tables(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {}
    for run_number in (1, 2):
        for suffix in (".md", ".docx"):
            target = tmp_path / f"{run_number}{suffix}"
            code, _, err = run(capsys, "draft", str(source), "-o", str(target))
            assert code == 0, err
            outputs[run_number, suffix] = target
    assert outputs[1, ".md"].read_bytes() == outputs[2, ".md"].read_bytes()
    assert _docx_text(outputs[1, ".docx"]) == _docx_text(outputs[2, ".docx"])
    drafted = _cross_checks(outputs[1, ".docx"])
    assert not TEXT_CHECKS & set(drafted), drafted
    original = _cross_checks(source)
    assert drafted == Counter({k: v for k, v in original.items() if k not in TEXT_CHECKS})


def test_draft_reads_back_as_the_outline_with_its_tables(tmp_path: Path) -> None:
    source = SAMPLES / "lusong-2023-department.yaml"
    target = tmp_path / "报告.docx"
    assert main(["draft", str(source), "-o", str(target)]) == 0
    report = read_report(target).report
    assert report is not None
    headings = [s.heading for s in report.sections]
    assert headings == [s.heading for s in standard_outline("department")]
    assert report.evaluations[0].name == load_evaluation(source).name


def test_draft_states_the_figures_of_the_table() -> None:
    evaluation = load_evaluation(SAMPLES / "lusong-2023-department.yaml")
    draft = draft_report(evaluation)
    markdown = draft.markdown()
    assert "全年预算数1452.61万元，全年执行数1451.29万元" in markdown
    assert "预算执行率为99.91%（全年执行数 ÷ 全年预算数）" in markdown
    assert "总分为96.74分" in markdown and "自评表填写的总分为95分" in markdown
    assert "等级为“优”" in markdown
    assert "“规模工业总产值同比增长”年度指标值为8%，实际完成值为6%" in markdown
    assert "经济下行压力依旧严峻" in markdown  # its deviation explanation, and as improvement
    assert "（FD02）" in markdown  # a finding of the audit among the problems
    assert markdown.count(PLACEHOLDER) >= 5  # the sections only the unit can write
    assert "（提示：说明自评结果如何用于预算安排" in markdown


def test_draft_of_a_file_without_table_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    source = REPORTS / "002_b5e9b779f8464a4e.txt"
    code, _, err = run(capsys, "draft", str(source), "-o", "x.docx")
    assert code == 2
    assert str(source) in err and "没有找到绩效自评表" in err


def test_draft_refuses_other_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    code, _, err = run(
        capsys, "draft", str(SAMPLES / "yueyang-2024-project.yaml"), "-o", str(target)
    )
    assert code == 2 and str(target) in err and ".docx 或 .md" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("kind", "scheme"), [("project", "national-2020"), ("department", "zhuzhou-lusong")]
)
def test_new_blank_form_loads_with_the_scheme_weights(
    kind: str, scheme: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "表.yaml"
    code, _, err = run(
        capsys, "new", "--kind", kind, "--scheme", scheme, "--year", "2025", "-o", str(target)
    )
    assert code == 0, err
    evaluation = load_evaluation(target)
    chosen = Service().scheme(scheme)
    assert evaluation.kind == kind and evaluation.year == 2025 and evaluation.scheme == scheme
    assert dict(evaluation.level1_weights) == {s.name: s.weight for s in chosen.level1}
    assert evaluation.funds.weight == chosen.funds_weight
    assert evaluation.total.weight == chosen.total_weight
    assert {i.level1 for i in evaluation.indicators} == {s.name for s in chosen.level1}
    assert all(i.actual is None and i.score is None for i in evaluation.indicators)


@pytest.mark.parametrize("source", TABLES, ids=lambda p: p.name)
def test_new_from_last_year_keeps_targets_and_clears_actuals(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "表.yaml"
    code, _, err = run(capsys, "new", "--from", str(source), "-o", str(target))
    assert code == 0, err
    last = Service().evaluations_in(source)[0]
    this = load_evaluation(target)
    assert (this.kind, this.department) == (last.kind, last.department)
    assert this.year == (last.year + 1 if last.year else None)
    for old, new in zip(last.walk(), this.walk(), strict=True):
        assert [(i.name, i.target, i.weight) for i in old.indicators] == [
            (i.name, i.target, i.weight) for i in new.indicators
        ]
        assert all(i.actual is None and i.score is None for i in new.indicators)
        assert new.funds.executed is None and new.total.score is None
        assert new.goals == type(new.goals)(expected=old.goals.expected)


def test_new_moves_the_year_of_the_name_on(tmp_path: Path) -> None:
    target = tmp_path / "表.yaml"
    assert (
        main(
            ["new", "--from", str(SAMPLES / "zhuzhou-2022-keji-zhuanxiang.yaml"), "-o", str(target)]
        )
        == 0
    )
    evaluation = load_evaluation(target)
    assert evaluation.name == "株洲市2023年度科技发展专项" and evaluation.year == 2023


def test_new_from_a_file_that_cannot_be_read_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "上年.yaml"
    code, _, err = run(capsys, "new", "--from", str(missing))
    assert code == 2 and str(missing) in err
    code, _, err = run(capsys, "new", "--from", str(TABLES[0]), "--table", "3")
    assert code == 2 and "没有第 3 张" in err
