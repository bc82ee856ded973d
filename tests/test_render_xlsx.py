"""``jixiao render``: the official forms in Excel (live formulas) and Markdown.

Round trip: a rendered workbook read back by jixiao's own reader gives the evaluation that
was rendered, for every bundled sample and for generated evaluations. Three fields are left
out of that comparison, as in test_parse_office: the 填表人 / 填报日期 / 联系电话 footer,
which the spreadsheet reader keeps inside the sheet's grid and does not read (the footer
text is checked on the sheet instead). LibreOffice, set to recalculate on load, computes
the formulas: 执行率 and its score must equal jixiao's scorer, 总分 the scorer's funds
score plus the indicator scores as written, 等级 the scheme's band for that total.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.cli.main import main
from jixiao.document import load_evaluation
from jixiao.ingest import parse_file
from jixiao.ingest.readers.office import find_soffice
from jixiao.model import Evaluation, Funds, FundsRow, Goals, Indicator, Report, Total
from jixiao.render.markdown import render_markdown
from jixiao.render.xlsx import render_xlsx
from jixiao.service import Service, sample_files
from jixiao.service import render as render_service
from tests.test_parse_evaluations import differences, plain

SAMPLE_FILES = sample_files()
SAMPLES_DIR = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples"
SERVICE = Service()


def render(evaluation: Evaluation, path: Path) -> Path:
    render_xlsx(Report(evaluations=(evaluation,)), path, scheme_for=SERVICE.scheme_for)
    return path


def comparable(evaluation: Evaluation) -> Any:
    data = plain(evaluation)
    for one in [data, *_descendants(data)]:
        one.pop("filled_by"), one.pop("filled_on")
        one["extra"].pop("联系电话", None)
    return data


def _descendants(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for child in data.get("children", []):
        out += [child, *_descendants(child)]
    return out


def read_back(path: Path) -> Evaluation:
    parsed = parse_file(path)
    assert parsed.errors == [], parsed.errors
    assert parsed.report is not None and len(parsed.report.evaluations) == 1
    return parsed.report.evaluations[0]


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_sample_round_trip(sample: Path, tmp_path: Path) -> None:
    evaluation = load_evaluation(sample)
    got = comparable(read_back(render(evaluation, tmp_path / "form.xlsx")))
    want = comparable(evaluation)
    if sample.stem == "zhuzhou-2022-keji-zhuanxiang":
        # A bare "5" in the deviation column with a blank score is read as the score, as
        # from the seed itself (see test_parse_evaluations).
        pushed = want["children"][1]["indicators"][4]
        assert (pushed["score"], pushed["deviation"]) == (None, "5")
        pushed["score"], pushed["deviation"] = 5, None
    assert differences(got, want) == []


def _texts(sheet: Any) -> list[str]:
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_sheets_per_table_footer_and_layout(tmp_path: Path) -> None:
    evaluation = load_evaluation(SAMPLES_DIR / "zhuzhou-2022-keji-zhuanxiang.yaml")
    book = openpyxl.load_workbook(render(evaluation, tmp_path / "f.xlsx"))
    assert len(book.worksheets) == 1 + len(evaluation.children)  # one sheet per table
    names = book.sheetnames
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)
    assert names[1].startswith("1.1 ")
    sheet = book.worksheets[0]
    texts = _texts(sheet)
    assert "填表人：李婉" in texts and "填报日期：2023年4月" in texts
    assert "联系电话：28687607" in texts
    assert "产出指标（50分）" in texts  # the declared 一级 weight
    merged = [str(r) for r in sheet.merged_cells.ranges]
    first = next(r for r in merged if sheet[r.split(":")[0]].value == "产出指标（50分）")
    assert first.startswith("B") and first.split(":")[1].startswith("B")  # merged down B
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    assert sheet["A1"].font.name == "宋体"


def test_formulas_are_live(tmp_path: Path) -> None:
    evaluation = load_evaluation(SAMPLES_DIR / "lusong-2023-department.yaml")
    sheet = openpyxl.load_workbook(render(evaluation, tmp_path / "f.xlsx")).worksheets[0]
    cells = {c.coordinate: c.value for row in sheet.iter_rows() for c in row}
    funds_row = next(c[1:] for c, v in cells.items() if v == "年度资金总额")
    total_row = next(c[1:] for c, v in cells.items() if v == "总分")
    rate, score = cells[f"I{funds_row}"], cells[f"J{funds_row}"]
    assert str(rate).startswith("=") and f"G{funds_row}/F{funds_row}*100" in str(rate)
    assert str(score).startswith("=") and "MIN(" in str(score)
    assert "SUM(H" in str(cells[f"H{total_row}"]) and "SUM(G" in str(cells[f"G{total_row}"])
    assert str(cells[f"I{total_row}"]).startswith('="等级："')
    assert any(str(v).startswith("=SUM(H") for c, v in cells.items() if c.startswith("K"))
    for number in ("1451.29", "1452.61"):  # budgets are plain values
        assert any(str(v) == number for v in cells.values())
    # the written score 9 disagrees with the formula's 9.99: the cell says so
    assert sheet[f"J{funds_row}"].comment is not None
    assert "9.99" in sheet[f"J{funds_row}"].comment.text


# --- generated evaluations ------------------------------------------------------------

ALPHABET = "科技创新平台企业项目资金服务覆盖率完成培训人数量质效益"
LEVELS = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
words = st.text(ALPHABET, min_size=2, max_size=12)
values = st.one_of(
    st.none(),
    words,
    st.builds(lambda n, u: f"{n}{u}", st.integers(0, 2000), st.sampled_from(["家", "%", "人", ""])),
    st.builds(lambda n: f"≥{n}%", st.integers(50, 100)),
)
money = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
points = st.decimals(min_value=0, max_value=30, places=2, allow_nan=False)


@st.composite
def funds(draw: st.DrawFn, kind: str) -> Funds:
    total = FundsRow(
        label="年度资金总额",
        initial_budget=draw(money),
        annual_budget=draw(money),
        executed=draw(money),
        weight=Decimal(10),
        rate=draw(st.none() | st.decimals(0, 120, places=2)),
        score=draw(st.none() | st.decimals(0, 10, places=2)),
    )
    labels = draw(
        st.lists(
            st.sampled_from(["其中：当年财政拨款", "上年结转资金", "其他资金"]),
            max_size=2,
            unique=True,
        )
    )
    rows = [total] + [
        FundsRow(
            label=label, annual_budget=draw(st.none() | money), executed=draw(st.none() | money)
        )
        for label in labels
    ]
    if kind == "department" and draw(st.booleans()):
        for heading, items in (
            ("按收入性质分", ("一般公共预算", "其他资金")),
            ("按支出性质分", ("基本支出",)),
        ):
            rows.append(FundsRow(label=heading, amount=draw(st.none() | money)))
            rows += [
                FundsRow(label=i, group=heading, amount=draw(st.none() | money)) for i in items
            ]
    return Funds(
        initial_budget=total.initial_budget,
        annual_budget=total.annual_budget,
        executed=total.executed,
        weight=total.weight,
        rate=total.rate,
        score=total.score,
        rows=tuple(rows),
    )


@st.composite
def evaluations(draw: st.DrawFn) -> Evaluation:
    kind = draw(st.sampled_from(["project", "department"]))
    year = draw(st.integers(2019, 2025))
    count = draw(st.integers(3, 20))
    items = []
    for level1 in sorted(
        draw(st.lists(st.sampled_from(list(LEVELS)), min_size=count, max_size=count)),
        key=list(LEVELS).index,
    ):
        items.append(
            Indicator(
                level1=level1,
                level2=draw(st.sampled_from(LEVELS[level1])),
                name=draw(words),
                target=draw(values),
                actual=draw(values),
                weight=draw(st.none() | points),
                score=draw(st.none() | points),
                deviation=draw(st.none() | words),
            )
        )
    items.sort(key=lambda i: (list(LEVELS).index(i.level1 or ""), i.level2 or ""))
    declared = {
        level1: draw(st.decimals(5, 60, places=0))
        for level1 in dict.fromkeys(i.level1 for i in items)
        if level1 and draw(st.booleans())
    }
    word = "项目支出" if kind == "project" else "部门整体支出"
    return Evaluation(
        kind=kind,  # type: ignore[arg-type]
        title=f"{year}年度{word}绩效自评表",
        name=draw(words),
        department=draw(st.none() | words),
        implementer=draw(st.none() | words),
        year=year,
        funds=draw(funds(kind)),
        goals=Goals(draw(st.none() | words), draw(st.none() | words)),
        level1_weights=declared,
        indicators=tuple(items),
        # a 总分 row with a weight but no score reads as a score (one number): not generated
        total=draw(
            st.just(Total()) | st.builds(Total, st.none() | points, st.decimals(0, 100, places=2))
        ),
        grade=draw(st.sampled_from([None, "优", "良", "中", "差"])),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_generated_round_trip(evaluation: Evaluation) -> None:
    with tempfile.TemporaryDirectory() as folder:
        got = comparable(read_back(render(evaluation, Path(folder) / "g.xlsx")))
    assert differences(got, comparable(evaluation)) == []


# --- LibreOffice: the files open, print and recalculate --------------------------------

RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _convert(files: list[Path], to: str, folder: Path) -> list[Path]:
    """One LibreOffice run over all files, with a profile that recalculates on load
    (LibreOffice's default for .xlsx is to show the cached values)."""
    soffice = find_soffice()
    assert soffice is not None
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE, encoding="utf-8")
    out = folder / to
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += ["--convert-to", to, "--outdir", str(out), *map(str, files)]
    done = subprocess.run(command, capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return [out / f"{f.stem}.{to}" for f in files]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Evaluation, Path]]:
    if find_soffice() is None:
        pytest.skip("LibreOffice（soffice）未安装：scripts/install-system-packages 可安装")
    folder = tmp_path_factory.mktemp("lo")
    return [
        (load_evaluation(p), render(load_evaluation(p), folder / f"{p.stem}.xlsx"))
        for p in SAMPLE_FILES
    ]


def test_libreoffice_prints_every_form(
    rendered: list[tuple[Evaluation, Path]], tmp_path: Path
) -> None:
    for pdf in _convert([path for _, path in rendered], "pdf", tmp_path):
        assert pdf.read_bytes()[:5] == b"%PDF-", pdf


def _row_of(sheet: Any, label: str) -> int:
    return next(c.row for row in sheet.iter_rows() for c in row if c.value == label)


def test_libreoffice_recalculates_like_the_scorer(
    rendered: list[tuple[Evaluation, Path]], tmp_path: Path
) -> None:
    from jixiao.scoring import score_evaluation

    recalculated = _convert([path for _, path in rendered], "xlsx", tmp_path)
    checked = 0
    for (top, _), path in zip(rendered, recalculated, strict=True):
        book = openpyxl.load_workbook(path, data_only=True)
        for evaluation, sheet in zip(top.walk(), book.worksheets, strict=True):
            scheme = SERVICE.scheme_for(evaluation)
            score = score_evaluation(evaluation, scheme)
            assert score.funds.rate is not None and score.funds.score is not None
            funds = _row_of(sheet, "年度资金总额")
            assert Decimal(str(sheet[f"I{funds}"].value)) == score.funds.rate, path
            assert Decimal(str(sheet[f"J{funds}"].value)) == score.funds.score, path
            written = [i.score for i in evaluation.indicators if i.score is not None]
            total = scheme.round_score(score.funds.score + sum(written, Decimal(0)))
            row = _row_of(sheet, "总分")
            assert Decimal(str(sheet[f"H{row}"].value)) == total, (path, sheet.title)
            assert sheet[f"I{row}"].value == f"等级：{scheme.grade_for(total)}"
            checked += 1
    assert checked == sum(len(e.walk()) for e, _ in rendered)


# --- Markdown and the command ----------------------------------------------------------


def test_markdown_holds_the_form() -> None:
    evaluation = load_evaluation(SAMPLES_DIR / "yueyang-2024-department.yaml")
    text = render_markdown(Report(evaluations=(evaluation,)))
    assert text.startswith("## 2024年度部门整体支出绩效自评表")
    assert "| 年度资金总额 | 682.85 | 1863.29 | 1725.06 | 10 | 92.58% | 9.26 |" in text
    assert "| 效益指标（30分） | 经济效益指标 | 全社会研发占GDP比重投入 |" in text
    assert "| **总分** |  |  |  |  | 100 | 94.26 |  |" in text
    assert "- 一般公共预算：1838.58" in text


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_beside_the_input_and_replaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "岳阳.yaml"
    source.write_bytes((SAMPLES_DIR / "yueyang-2024-project.yaml").read_bytes())
    target = tmp_path / "岳阳.xlsx"
    target.write_bytes(b"old")
    code, _, err = run(capsys, "render", str(source), "--to", "xlsx")
    assert code == 0 and "已写入" in err
    assert read_back(target).name == load_evaluation(source).name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["岳阳.xlsx", "岳阳.yaml"]  # no temp left
    code, out, _ = run(capsys, "render", str(source), "--to", "md", "-o", "-")
    assert code == 0 and out.startswith("## 2024年度项目支出绩效自评表")


def test_cli_renders_a_report_with_its_basic_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = next((SAMPLES_DIR / "reports").glob("004_*.txt"))
    code, _, _ = run(capsys, "render", str(seed), "--to", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert code == 0
    parsed = parse_file(tmp_path / "r.xlsx")
    original = parse_file(seed)
    assert parsed.report is not None and original.report is not None
    assert [e.name for e in parsed.report.evaluations] == [
        e.name for e in original.report.evaluations
    ]
    (basic,) = parsed.report.basic_data
    want = original.report.basic_data[0].staffing
    assert basic.staffing == dataclasses.replace(want, source=basic.staffing.source)
    assert [(x.label, x.final) for x in basic.expenses] == [
        (x.label, x.final) for x in original.report.basic_data[0].expenses
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml", "--to", "xlsx"], "文件不存在"),
        (["memo.txt", "--to", "xlsx"], "没有找到预算绩效自评表"),
        (["good.yaml", "--to", "xlsx", "-o", "nowhere/x.xlsx"], "无法写入输出文件（目录不存在）"),
        (["good.yaml", "--to", "xlsx", "-o", "-"], "不能输出到标准输出"),
        (["good.yaml", "--to", "rtf"], "参数 --to 的值无效"),
    ],
)
def test_cli_errors(
    args: list[str],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "memo.txt").write_text("一份会议纪要，与预算无关。\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_bytes((SAMPLES_DIR / "yueyang-2024-project.yaml").read_bytes())
    code, _, err = run(capsys, "render", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_every_format_has_its_renderer() -> None:
    assert render_service.available_formats() == ["xlsx", "docx", "pdf", "md"]
    for fmt in render_service.FORMATS:
        assert callable(fmt.renderer()), fmt.name
