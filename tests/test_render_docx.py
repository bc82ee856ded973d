"""The Word report, its charts and its PDF: what is written reads back as what was meant.

Round trips: each bundled sample (samples/*.yaml) and each seed report as parsed
(samples/reports/*.txt) is written as .docx by ``render_docx`` and read back with
``parse_file``; the evaluations (sources and the scheme name left out: a file does not
say which scheme scores it) must come back equal, and for the seeds the 基础数据表,
allocation tables, title, unit, year, date and section headings too. A hypothesis
property does the same for small generated evaluations. LibreOffice then converts all
the documents to PDF in one batch; the PDFs must embed their fonts and read back too.
Page images go to tests/artifacts/render/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.document import dump_json, evaluation_to_data, load_evaluation
from jixiao.ingest import parse_file
from jixiao.model import Evaluation, Funds, FundsRow, Goals, Indicator, Report, Total
from jixiao.render.charts import completions, write_charts
from jixiao.render.docx import render_docx
from jixiao.render.fonts import installed_plan
from jixiao.render.outline import PLACEHOLDER, standard_outline
from jixiao.render.pdf import RenderError, convert_batch
from tests.conftest import SAMPLES

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "render"
SEEDS = sorted((SAMPLES / "reports").glob("*.txt"))
YAMLS = sorted(SAMPLES.glob("*.yaml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def plain(evaluation: Evaluation) -> Any:
    data = json.loads(dump_json(evaluation_to_data(evaluation, sources=False)))

    def drop(item: Any) -> None:
        item.pop("scheme", None)
        item.pop("confidence", None)  # how sure a reading is, not what the table says
        item.pop("read_notes", None)
        for child in item.get("children", []):
            drop(child)

    drop(data)
    return data


def stripped(value: Any) -> Any:
    """A dataclass tree as plain data without sources (nor figures, which carry them)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: stripped(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("source", "figures")
        }
    if isinstance(value, tuple | list):
        return [stripped(v) for v in value]
    return value


def as_read_back(evaluation: Evaluation) -> Any:
    """What a reader gives for ``evaluation``: a score typed into the 偏差原因 column with
    an empty 得分 is read as the score (a documented repair; seed 000 has one)."""
    data = plain(evaluation)

    def repair(item: Any) -> None:
        for row in item["indicators"]:
            deviation = row["deviation"]
            if row["score"] is None and deviation and re.fullmatch(r"\d+(\.\d+)?", deviation):
                row["score"], row["deviation"] = json.loads(deviation), None
        for child in item["children"]:
            repair(child)

    repair(data)
    return data


@pytest.fixture(scope="module")
def outdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private working directory (other runs of the suite may be going on at once)."""
    return tmp_path_factory.mktemp("render")


@pytest.mark.parametrize("sample", YAMLS, ids=lambda p: p.stem)
def test_sample_round_trip(sample: Path, outdir: Path) -> None:
    evaluation = load_evaluation(sample)
    path = outdir / f"{sample.stem}.docx"
    render_docx(Report(evaluations=(evaluation,)), path)
    parsed = parse_file(path)
    assert parsed.errors == [] and parsed.report is not None
    assert [plain(e) for e in parsed.report.evaluations] == [as_read_back(evaluation)]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_report_round_trip(seed: Path, outdir: Path) -> None:
    report = parse_file(seed).report
    assert report is not None
    path = outdir / f"seed-{seed.stem[:3]}.docx"
    render_docx(report, path)
    back = parse_file(path).report
    assert back is not None
    assert [plain(e) for e in back.evaluations] == [plain(e) for e in report.evaluations]
    assert stripped(back.basic_data) == stripped(report.basic_data)
    assert stripped(back.allocations) == stripped(report.allocations)
    assert (back.title, back.unit, back.year, back.date) == (
        report.title,
        report.unit,
        report.year,
        report.date,
    )

    def heads(sections: Any) -> list[Any]:
        return [(s.heading, s.level, heads(s.children)) for s in sections]

    assert heads(back.sections) == heads(report.sections)


def test_seed_round_trip_is_not_trivial() -> None:
    """The seeds give the round trip something to carry (else it could pass empty)."""
    reports = [parse_file(seed).report for seed in SEEDS]
    assert sum(len(r.evaluations) for r in reports if r) == 5
    assert sum(len(r.basic_data) for r in reports if r) == 2
    assert sum(len(r.allocations) for r in reports if r) == 1


# --- property: generated evaluations survive the Word form --------------------------------

_CJK = "科技创新平台企业服务质量完成情况数量项目资金专项培训活动发展研究成果转化社会效益"
_text = st.text(alphabet=_CJK, min_size=2, max_size=18)
_values = st.one_of(
    st.sampled_from(["8家", "≥95%", "12月", "2024.12.31前", "≤90万元", "效果明显", "99", "22.5件"]),
    _text,
)
_amounts = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
_points = st.decimals(min_value=0, max_value=50, places=1, allow_nan=False)
_LEVELS = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


@st.composite
def indicators(draw: st.DrawFn) -> tuple[tuple[Indicator, ...], dict[str, Decimal | None]]:
    out: list[Indicator] = []
    declared: dict[str, Decimal | None] = {}
    for level1 in draw(st.lists(st.sampled_from(list(_LEVELS)), min_size=1, unique=True)):
        if draw(st.booleans()):
            declared[level1] = draw(_points)
        for level2 in sorted(draw(st.sets(st.sampled_from(_LEVELS[level1]), min_size=1))):
            for _ in range(draw(st.integers(1, 2))):
                out.append(
                    Indicator(
                        level1=level1,
                        level2=level2,
                        name=draw(_text),
                        target=draw(_values),
                        actual=draw(st.none() | _values),
                        weight=draw(_points),
                        score=draw(st.none() | _points),
                        deviation=draw(st.none() | _text),
                    )
                )
    return tuple(out), declared


@st.composite
def evaluations(draw: st.DrawFn, child_of: str | None = None) -> Evaluation:
    kind = "project" if child_of else draw(st.sampled_from(["project", "department"]))
    year = draw(st.integers(2018, 2030))
    title = f"{year}年度{'部门整体' if kind == 'department' else '项目'}支出绩效自评表"
    name = f"{child_of}（{draw(_text)}）" if child_of else draw(_text)
    figures = [draw(st.none() | _amounts) for _ in range(3)]
    weight, rate, score = draw(_points), draw(_amounts), draw(_points)
    rows = [FundsRow("年度资金总额", *figures, weight, rate, score)]
    if draw(st.booleans()):
        rows.append(FundsRow("其中：当年财政拨款", *figures))
    items, declared = draw(indicators())
    children = ()
    if child_of is None and kind == "project":
        children = tuple(draw(st.lists(evaluations(child_of=name), max_size=2)))
    return Evaluation(
        kind=kind,  # type: ignore[arg-type]
        title=title,
        name=name,
        department=draw(st.none() | _text) if kind == "project" else None,
        implementer=draw(st.none() | _text) if kind == "project" else None,
        year=year,
        funds=Funds(*figures, weight, rate, score, rows=tuple(rows)),
        goals=Goals(draw(st.none() | _text), draw(st.none() | _text)),
        level1_weights=declared,
        indicators=items,
        total=draw(st.sampled_from([Total(), Total(Decimal(100), draw(_points))])),
        grade=draw(st.sampled_from([None, "优", "良", "中", "差"])),
        filled_by=draw(st.none() | _text),
        filled_on=draw(st.sampled_from([None, f"{year + 1}年4月"])),
        children=children,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(evaluation=evaluations())
def test_generated_evaluation_round_trip(evaluation: Evaluation, tmp_path: Path) -> None:
    path = tmp_path / "generated.docx"
    render_docx(Report(evaluations=(evaluation,)), path, charts=False)
    parsed = parse_file(path)
    assert parsed.errors == [] and parsed.report is not None
    assert [plain(e) for e in parsed.report.evaluations] == [plain(evaluation)]


# --- the look: fonts, page, merges, outline ---------------------------------------------


def _xml(path: Path, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8")


def test_government_look(tmp_path: Path) -> None:
    evaluation = load_evaluation(SAMPLES / "yueyang-2024-project.yaml")
    path = tmp_path / "look.docx"
    render_docx(Report(evaluations=(evaluation,)), path, charts=False)
    styles = _xml(path, "word/styles.xml")
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S)
    assert normal and 'w:eastAsia="仿宋_GB2312"' in normal.group()
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S)
    assert heading and 'w:eastAsia="黑体"' in heading.group() and "Theme" not in heading.group()
    body = _xml(path)
    assert 'w:w="11906" w:h="16838"' in body  # A4 portrait, in twentieths of a point
    assert 'w:orient="landscape"' in body  # the forms
    footers = [n for n in zipfile.ZipFile(path).namelist() if "footer" in n and n.endswith(".xml")]
    assert any("PAGE" in _xml(path, name) for name in footers)
    # 一级指标 merged down its indicators: 产出指标 has 4 in this sample.
    import docx

    table = docx.Document(str(path)).tables[0]
    column = [row.cells[1].text for row in table.rows]
    assert column.count("产出指标\n（50分）") == 4
    assert '<w:vMerge w:val="restart"/>' in body and "<w:gridSpan " in body


def test_outline_when_the_report_has_no_text(tmp_path: Path) -> None:
    for kind, sample in (
        ("department", "lusong-2023-department"),
        ("project", "yueyang-2024-project"),
    ):
        evaluation = load_evaluation(SAMPLES / f"{sample}.yaml")
        path = tmp_path / f"{kind}.docx"
        render_docx(Report(evaluations=(evaluation,)), path, charts=False)
        back = parse_file(path).report
        assert back is not None
        want = standard_outline(kind)
        assert [s.heading for s in back.sections] == [s.heading for s in want]
        assert [len(s.children) for s in back.sections] == [len(s.children) for s in want]
        first = back.sections[0]
        leaf = first.children[0] if first.children else first
        assert leaf.text.splitlines()[0] == PLACEHOLDER
    assert len(standard_outline("department")) == 10 and len(standard_outline("project")) == 4


# --- charts ---------------------------------------------------------------------------


def test_completion_figures_and_deterministic_png(tmp_path: Path) -> None:
    evaluation = load_evaluation(SAMPLES / "lusong-2023-department.yaml")
    found = {c.name: (c.percent, c.met) for c in completions(evaluation)}
    # 16家 → 20 (unit dropped, read as 家): 125 %; 8% → 6%: 75 %, short of its target.
    assert found["完成新增规模以上工业企业"] == (Decimal("125.0"), True)
    assert found["规模工业总产值同比增长"] == (Decimal("75.0"), False)
    assert "可持续影响指标" not in found  # qualitative: no ratio
    first = write_charts(evaluation, tmp_path / "a")
    second = write_charts(evaluation, tmp_path / "b")
    assert [p.name for p in first] == ["01-completion.png", "01-execution.png"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert a.read_bytes() == b.read_bytes()
        assert b"matplotlib" not in a.read_bytes()


def test_charts_are_in_the_document(tmp_path: Path) -> None:
    evaluation = load_evaluation(SAMPLES / "zhuzhou-2022-keji-zhuanxiang.yaml")
    with_charts, without = tmp_path / "with.docx", tmp_path / "without.docx"
    render_docx(Report(evaluations=(evaluation,)), with_charts)
    render_docx(Report(evaluations=(evaluation,)), without, charts=False)
    media = [n for n in zipfile.ZipFile(with_charts).namelist() if n.startswith("word/media/")]
    # a completion chart for the fund and each of its 6 sub-directions, one execution chart
    assert len(media) == 8
    assert not [n for n in zipfile.ZipFile(without).namelist() if n.startswith("word/media/")]


# --- speed ----------------------------------------------------------------------------


def test_render_speed(tmp_path: Path) -> None:
    """Median time to write a 20-indicator evaluation (with and without charts)."""
    base = load_evaluation(SAMPLES / "yueyang-2024-project.yaml")
    items = tuple(
        dataclasses.replace(base.indicators[i % len(base.indicators)], name=f"指标{i}")
        for i in range(20)
    )
    report = Report(evaluations=(dataclasses.replace(base, indicators=items),))
    for charts in (False, True):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            render_docx(report, tmp_path / "speed.docx", charts=charts)
            times.append(time.perf_counter() - start)
        median = sorted(times)[2] * 1000
        print(f"\nrender_docx, 20 indicators, charts={charts}: median {median:.0f} ms")
        assert median < 10000


# --- PDF through LibreOffice ----------------------------------------------------------


def _soffice_or_skip() -> None:
    from jixiao.render.pdf import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/install-system-packages")


def _fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded) for each font of the PDF, from poppler's pdffonts."""
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    out = []
    for line in listing:
        fields = line.split()
        # name type… encoding emb sub uni object-number generation
        out.append((fields[0], fields[-5] == "yes"))
    return out


# What the PDF text loses, and why (all else must read back as written):
# - 填报日期 "2023年4月" comes out of the PDF text as "2023 年 4 月" and the footer is read
#   up to the first gap ("2023");
# - a 一级指标 cell merged down rows that a page break splits has its two lines laid out
#   on two pages: the reader then sees "" and "（30分）" instead of "效益指标（30分）".
_KNOWN_PDF_LOSS = re.compile(r"\.filled_on: parsed '\d{4}'|\.level1(_weights\.\w*)?: parsed")


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    if isinstance(got, dict) and isinstance(want, dict):
        keys = sorted(set(got) | set(want))
        return [d for k in keys for d in differences(got.get(k), want.get(k), f"{path}.{k}")]
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        pairs = zip(got, want, strict=True)
        return [d for i, (g, w) in enumerate(pairs) for d in differences(g, w, f"{path}[{i}]")]
    return [] if got == want else [f"{path}: parsed {got!r}, expected {want!r}"]


def test_pdf_batch(outdir: Path, tmp_path: Path) -> None:
    _soffice_or_skip()
    if not shutil.which("pdffonts") or not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdffonts, pdftoppm) is not installed")
    sources: list[tuple[Path, list[Any]]] = []
    plan = installed_plan()
    for sample in YAMLS:
        evaluation = load_evaluation(sample)
        path = outdir / f"pdf-{sample.stem}.docx"
        render_docx(Report(evaluations=(evaluation,)), path, fonts=plan)
        sources.append((path, [as_read_back(evaluation)]))
    for seed in SEEDS:
        report = parse_file(seed).report
        assert report is not None
        path = outdir / f"pdf-seed-{seed.stem[:3]}.docx"
        render_docx(report, path, fonts=plan)
        sources.append((path, [plain(e) for e in report.evaluations]))
    start = time.perf_counter()
    pdfs = convert_batch([p for p, _ in sources], outdir)
    elapsed = time.perf_counter() - start
    print(f"\nLibreOffice: {len(pdfs)} PDFs in {elapsed:.1f} s ({elapsed / len(pdfs):.2f} s each)")
    unexplained: dict[str, list[str]] = {}
    for pdf, (_, want) in zip(pdfs, sources, strict=True):
        fonts = _fonts(pdf)
        assert fonts and all(embedded for _, embedded in fonts), fonts
        assert any("CJK" in name for name, _ in fonts)
        parsed = parse_file(pdf)
        got = [plain(e) for e in parsed.report.evaluations] if parsed.report else []
        found = [d for d in differences(got, want) if not _KNOWN_PDF_LOSS.search(d)]
        if found:
            unexplained[pdf.name] = found
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, ARTIFACTS / pdf.name)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / pdf.stem)], check=True
        )
    print(f"PDFs and page images in {ARTIFACTS}")
    assert unexplained == {}


def test_missing_libreoffice_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIXIAO_SOFFICE", str(tmp_path / "no-such-soffice"))
    source = tmp_path / "a.docx"
    render_docx(Report(evaluations=(load_evaluation(YAMLS[0]),)), source, charts=False)
    with pytest.raises(RenderError) as caught:
        convert_batch([source], tmp_path)
    assert "LibreOffice" in caught.value.message and "安装" in caught.value.message
