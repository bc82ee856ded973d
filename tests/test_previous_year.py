"""Checked against last year (TG03–TG05): real seed tables made into last year's by editing
their figures, compared through ``jixiao check --previous``, the service and the rules."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from jixiao.audit import AuditSettings, run_audit
from jixiao.audit.previous import among
from jixiao.cli.main import main
from jixiao.document import dump_yaml, evaluation_to_data
from jixiao.model import Evaluation, Indicator
from jixiao.service import Service
from jixiao.service.audit import _tables
from jixiao.service.reading import read_report
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"
SEED000 = REPORTS / "000_512cd80c5bd5ad28.txt"
SEED001 = REPORTS / "001_0939f1f6f00c3523.txt"
PREVIOUS_CODES = ("TG03", "TG04", "TG05")


def read_tables(path: Path) -> tuple[Evaluation, ...]:
    read = read_report(path)
    assert read.report is not None and not read.errors
    return read.report.evaluations


def last_year(evaluation: Evaluation, figures: dict[str, tuple[str, str]]) -> Evaluation:
    """``evaluation`` as last year's table: the year one earlier (in the name too), and the
    (target, actual) of the named indicators replaced."""
    year = (evaluation.year or 0) - 1

    def edited(item: Indicator) -> Indicator:
        if item.name not in figures:
            return item
        target, actual = figures[item.name]
        return dataclasses.replace(item, target=target, actual=actual)

    return dataclasses.replace(
        evaluation,
        year=year,
        name=(evaluation.name or "").replace(str(evaluation.year), str(year)),
        indicators=tuple(edited(i) for i in evaluation.indicators),
        children=tuple(last_year(c, figures) for c in evaluation.children),
    )


def write(tmp_path: Path, evaluation: Evaluation) -> Path:
    path = tmp_path / "上年自评表.yaml"
    path.write_text(dump_yaml(evaluation_to_data(evaluation, sources=False)), encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    code = main(["check", *args, "--format", "json", "--jobs", "1"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else [], err


def previous_findings(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for item in items for f in item["findings"] if f["code"] in PREVIOUS_CODES]


def test_seed_001_against_its_edited_last_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """芦淞区 2023: 16家 set below last year's 25家 (TG03); 97家 kept though last year
    reached 130家 of 97家 (TG04); the rest differ from last year and are not flagged."""
    (table,) = read_tables(SEED001)
    previous = last_year(
        table,
        {
            "完成新增规模以上工业企业": ("14家", "25家"),
            "实现有研发活动的规上企业": ("97家", "130家"),
            # met last year without a wide margin, target kept: no finding
            "社会公众及服务对象满意度": ("90%", "91%"),
            "规模工业增加值增长率": ("8.5%", "9.1%"),
            # last year's actual below this year's target: no finding
            "完成技术合同交易额": ("50亿元", "55亿元"),
        },
    )
    _, items, err = check(capsys, str(SEED001), "--previous", str(write(tmp_path, previous)))
    found = previous_findings(items)
    assert [(f["code"], f["indicator"]) for f in found] == [
        ("TG03", "完成新增规模以上工业企业"),
        ("TG04", "实现有研发活动的规上企业"),
    ], [f["message"] for f in found]
    below, kept = found
    # both years' figures in the message, said as the tables write them
    assert "16家" in below["message"] and "25家" in below["message"] and "14家" in below["message"]
    assert "上年（2022年）" in below["message"]
    assert below["path"] == "indicators[0].target" and below["severity"] == "warning"
    assert "97家" in kept["message"] and "130家" in kept["message"] and "134%" in kept["message"]
    assert "说明" not in err  # the table found its last year's


def test_no_previous_table_no_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    """Without last year's table no TG03–TG05 finding appears, on any seed."""
    _, items, _ = check(capsys, *(str(p) for p in sorted(REPORTS.glob("*.txt"))))
    assert len(items) == 5 and previous_findings(items) == []


def test_actuals_copied_from_last_year(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Last year's table with this year's very actuals (targets as they were): TG05 once,
    marking each repeated cell; the same table with its actuals rewritten is not flagged."""
    (table,) = read_tables(SEED001)
    copied = last_year(table, {})
    _, items, _ = check(capsys, str(SEED001), "--previous", str(write(tmp_path, copied)))
    (finding,) = [f for f in previous_findings(items) if f["code"] == "TG05"]
    assert "10 个指标中，10 个的实际完成值与上年（2022年）逐字相同" in finding["message"]
    assert finding["paths"][0] == "indicators[0].actual" and len(finding["paths"]) == 10
    kept = ("各项绩效指标完成时限", "服务企业水平提升")
    # two of ten the same (a satisfaction and a time limit may well repeat): no finding
    rewritten = dataclasses.replace(
        copied,
        indicators=tuple(
            i if i.name in kept else dataclasses.replace(i, actual="上年实际")
            for i in copied.indicators
        ),
    )
    _, items, _ = check(capsys, str(SEED001), "--previous", str(write(tmp_path, rewritten)))
    assert [f for f in previous_findings(items) if f["code"] == "TG05"] == []


def test_tables_match_by_kind_name_and_year(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Seed 000's fund (2022) with its six sub-directions: each sub-direction is compared
    with last year's of the same name; a file of another project is said not to match."""
    (fund, *_rest) = read_tables(SEED000)
    child = fund.children[1]  # 重点科技工作补助: 技术合同交易额 260亿 → 308.6亿
    item = child.indicators[0]
    previous = last_year(fund, {})
    kids = list(previous.children)
    kids[1] = last_year(child, {item.name or "": ("250亿", "280.5亿元")})  # this one alone
    previous = dataclasses.replace(previous, children=tuple(kids))
    tables = _tables(Service(), (fund,), among([previous]))
    assert [t.previous is not None for t in tables] == [True] * 7
    found = run_audit(tables, None, AuditSettings(only=frozenset(PREVIOUS_CODES)))
    below = [f for f in found if f.code == "TG03"]
    # four tables hold the indicator: the sub-direction edited is compared with its own
    assert [(f.table.index if f.table else None, f.indicator) for f in below] == [(3, item.name)]
    assert "“260亿”低于上年（2021年）实际完成值“280.5亿元”" in below[0].message
    # a table of two years before, or of another kind, is not last year's
    older = dataclasses.replace(previous, year=(fund.year or 0) - 2)
    assert _tables(Service(), (fund,), among([older]))[0].previous is None
    (other,) = read_tables(SEED001)
    _, items, _ = check(capsys, str(SEED000), "--previous", str(write(tmp_path, other)))
    assert previous_findings(items) == []
    notes = items[0]["notes"]
    assert len(notes) == 1 and "“株洲市2022年度科技发展专项”在上年自评表中没有对应的表" in notes[0]
    main(["check", str(SEED000), "--previous", str(write(tmp_path, other)), "-j", "1"])
    assert "说明：“株洲市2022年度科技发展专项”在上年自评表中没有对应的表" in capsys.readouterr().err


def test_previous_file_that_cannot_be_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "没有这个文件.yaml"
    code = main(["check", str(SEED001), "--previous", str(missing)])
    _, err = capsys.readouterr()
    assert code == 2 and "没有这个文件.yaml" in err and "Traceback" not in err


def test_threshold_is_a_setting(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """TG04's "by far" is the audit settings' ``threshold``: at 1.4, 130 of 97 is not far."""
    (table,) = read_tables(SEED001)
    previous = last_year(table, {"实现有研发活动的规上企业": ("97家", "130家")})
    settings = tmp_path / "审核设置.yaml"
    settings.write_text("rules:\n  TG04: {options: {threshold: 1.4}}\n", encoding="utf-8")
    path = str(write(tmp_path, previous))
    _, items, _ = check(capsys, str(SEED001), "--previous", path, "--select", "TG04")
    named = {f["indicator"] for f in previous_findings(items)}
    # the seed's own far-exceeded targets (20 of 16, 12.3% of 8.5%, 118.8 of 57) kept as
    # last year's too
    assert named == {
        "实现有研发活动的规上企业",
        "完成新增规模以上工业企业",
        "规模工业增加值增长率",
        "完成技术合同交易额",
    }
    _, items, _ = check(
        capsys, str(SEED001), "--previous", path, "--select", "TG04", "--config", str(settings)
    )
    named = {f["indicator"] for f in previous_findings(items)}
    assert named == {"规模工业增加值增长率", "完成技术合同交易额"}  # 144.7%, 208.4%


# ---- the store: last year's table looked up by unit, kind, name and year ----------------

UNIT = "株洲市芦淞区科技和工业信息化局"


def _edited_last_year() -> Evaluation:
    (table,) = read_tables(SEED001)
    return last_year(
        table,
        {
            "完成新增规模以上工业企业": ("14家", "25家"),
            "实现有研发活动的规上企业": ("97家", "130家"),
            "规模工业增加值增长率": ("8.5%", "9.1%"),
            "完成技术合同交易额": ("50亿元", "55亿元"),
        },
    )


def _codes_of(store: Any, unit: str | None) -> list[tuple[str, str | None]]:
    from jixiao.store import EvaluationFilter

    page = store.evaluations(EvaluationFilter(year=2023, unit=unit))
    (summary,) = page.items
    stored = store.evaluation(summary.id)
    return sorted((f.code, f.indicator) for f in stored.findings if f.code in PREVIOUS_CODES)


def test_the_store_compares_with_the_units_last_year(tmp_path: Path) -> None:
    from jixiao.service.store import import_file
    from jixiao.store import open_store

    service = Service()
    last = write(tmp_path, _edited_last_year())
    other = tmp_path / "别的单位.txt"
    other.write_bytes(SEED001.read_bytes() + b"\n")  # other bytes: stored as its own file
    with open_store(str(tmp_path / "jixiao.db")) as store:
        assert import_file(store, service, last, unit=UNIT).error is None
        assert import_file(store, service, SEED001, unit=UNIT).error is None
        assert import_file(store, service, other, unit="另一个单位").error is None
        expected = [("TG03", "完成新增规模以上工业企业"), ("TG04", "实现有研发活动的规上企业")]
        assert _codes_of(store, UNIT) == expected
        # another unit's table of the same name is never compared with this unit's
        assert _codes_of(store, "另一个单位") == []


def test_an_edit_compares_with_last_year_stored_since(tmp_path: Path) -> None:
    """This year's table stored before last year's: its next edit brings the comparison."""
    from jixiao.service.store import edit_evaluation, import_file
    from jixiao.store import EvaluationFilter, Role, open_store

    service = Service()
    with open_store(str(tmp_path / "jixiao.db")) as store:
        import_file(store, service, SEED001, unit=UNIT)
        assert _codes_of(store, UNIT) == []
        import_file(store, service, write(tmp_path, _edited_last_year()), unit=UNIT)
        store.add_user("luosong", Role.FILLER, "correct horse 42", unit=UNIT)
        (summary,) = store.evaluations(EvaluationFilter(year=2023)).items
        edit_evaluation(store, service, summary.id, "indicators[2].actual", "16%", "luosong")
        assert _codes_of(store, UNIT) == [
            ("TG03", "完成新增规模以上工业企业"),
            ("TG04", "实现有研发活动的规上企业"),
        ]
