"""A 绩效目标申报表 is read like a self-evaluation table without actuals: its header, the
funds it plans, its 年度总体目标 and its indicators with their targets, from Word, Excel and
(through LibreOffice) PDF."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.cli.main import main
from jixiao.document import load_evaluation
from jixiao.ingest import parse_file
from jixiao.model import Evaluation
from tests import declaration_docs, office_docs


def built(kind: str, folder: Path) -> Path:
    if kind == "docx":
        return declaration_docs.build_docx(folder / "申报表.docx")
    if kind == "xlsx":
        return declaration_docs.build_xlsx(folder / "申报表.xlsx")
    if not office_docs.libreoffice():
        pytest.skip("LibreOffice is not installed")
    (folder / "out").mkdir()
    return office_docs.convert(built("docx", folder), kind, folder / "out")


def read(path: Path) -> Evaluation:
    parsed = parse_file(path)
    assert parsed.errors == [], parsed.errors
    assert parsed.report is not None and len(parsed.report.evaluations) == 1
    return parsed.report.evaluations[0]


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
def test_declaration_is_read_without_actuals(kind: str, tmp_path: Path) -> None:
    evaluation = read(built(kind, tmp_path))
    assert evaluation.kind == "project"
    assert evaluation.year == 2025
    assert evaluation.name == declaration_docs.NAME
    assert evaluation.department == declaration_docs.DEPARTMENT
    assert evaluation.implementer == declaration_docs.IMPLEMENTER
    assert evaluation.goals.expected == declaration_docs.GOAL
    assert evaluation.goals.actual is None
    rows = [(row.label, row.annual_budget) for row in evaluation.funds.rows]
    assert rows == [(label, Decimal(figure)) for label, figure in declaration_docs.FUNDS]
    assert evaluation.funds.annual_budget == Decimal(120)
    assert evaluation.funds.initial_budget == Decimal(120)
    assert evaluation.funds.executed is None
    got = [(i.level1, i.level2, i.name, i.target) for i in evaluation.indicators]
    assert got == list(declaration_docs.INDICATORS)
    assert all(i.actual is None and i.score is None for i in evaluation.indicators)


def test_declared_funds_in_yuan_are_read_in_wan_yuan(tmp_path: Path) -> None:
    regions = [
        (r0, c0, r1, c1, "项目资金\n（元）" if text.startswith("项目资金") else text)
        for r0, c0, r1, c1, text in declaration_docs.regions()
    ]
    regions = [
        (r0, c0, r1, c1, f"{text}0000" if c0 == 3 and text.isdigit() else text)
        for r0, c0, r1, c1, text in regions
    ]
    import docx

    document = docx.Document()
    document.add_paragraph(declaration_docs.TITLE)
    office_docs.docx_table(document, regions, declaration_docs.WIDTH, declaration_docs.height())
    document.save(str(tmp_path / "元.docx"))
    evaluation = read(tmp_path / "元.docx")
    assert [row.annual_budget for row in evaluation.funds.rows] == [
        Decimal(120),
        Decimal(100),
        Decimal(20),
    ]


def test_new_table_from_a_declaration(tmp_path: Path) -> None:
    """``jixiao new --from`` a declaration: the same year's self-evaluation table, targets
    kept, the scheme's weights where the declaration has none, nothing to fill filled."""
    source = declaration_docs.build_xlsx(tmp_path / "申报表.xlsx")
    target = tmp_path / "自评表.yaml"
    assert main(["new", "--from", str(source), "-o", str(target)]) == 0
    table = load_evaluation(target)
    assert table.title == "2025年度项目支出绩效自评表" and table.year == 2025
    assert table.name == declaration_docs.NAME
    assert table.funds.annual_budget == Decimal(120) and table.funds.executed is None
    assert table.funds.weight == Decimal(10)
    assert table.level1_weights == {
        "产出指标": Decimal(50),
        "效益指标": Decimal(30),
        "满意度指标": Decimal(10),
    }
    assert [i.target for i in table.indicators] == [t[3] for t in declaration_docs.INDICATORS]
    assert all(i.actual is None for i in table.indicators)
