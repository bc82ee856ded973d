"""The indicator library (指标库): names merged, figures counted, and who sees what — the
building (service.library), GET /api/library and the /library page on the seed reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from jixiao.document import dump_yaml, evaluation_to_data
from jixiao.service import Service
from jixiao.service.library import build_library
from jixiao.service.reading import read_report
from jixiao.service.store import import_file
from jixiao.store import Role, State, Store, open_store
from jixiao.store.library import LibraryTable
from tests.web_client import PASSWORD, As

REPORTS = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples" / "reports"
SEED001 = next(REPORTS.glob("001_*.txt"))
SEED004 = next(REPORTS.glob("004_*.txt"))
LUSONG, YUEYANG, OTHER = "芦淞区科工信局", "岳阳市科学技术局", "另一单位"
SECRET = "未公开表中的独有指标"


def row(level2: str, name: str, target: str, weight: str | None = "10") -> dict[str, Any]:
    level1 = "满意度指标" if "满意" in level2 else "产出指标"
    return {"level1": level1, "level2": level2, "name": name, "target": target, "weight": weight}


def test_near_duplicates_merge_and_figures_count() -> None:
    tables = [
        LibraryTable(
            1,
            "project",
            2023,
            "株洲市科学技术局",
            (
                row("数量指标", "高新技术企业数量（家）", "1100家"),
                row("数量指标", "省级平台数", "2个"),
                row("服务对象满意度指标", "企业满意率", "≥95%", "5"),
            ),
        ),
        LibraryTable(
            2,
            "project",
            2024,
            "株洲市科学技术局",
            (
                row("数量指标", "高新技术企业数", "1150家"),
                row("数量\n指标", "市级平台数", "25个"),
                row("服务对象满意度指标（10分）", "企业满意度", "≥95%", "10"),
            ),
        ),
        LibraryTable(
            3,
            "department",
            2024,
            "岳阳市科学技术局",
            (row("数量指标", "1、高新技术企业数", "1100家", "5"),),
        ),
    ]
    library = build_library(tables)
    assert library["tables"] == 3
    by_level2 = {c["level2"]: c for c in library["categories"]}
    assert list(by_level2) == ["数量指标", "服务对象满意度指标"]  # "数量\n指标" is 数量指标
    quantity = by_level2["数量指标"]["indicators"]
    # four spellings of one indicator, shown by the one used most; 省级 and 市级 stay apart
    assert [(i["name"], i["count"]) for i in quantity] == [
        ("高新技术企业数", 3),
        ("市级平台数", 1),
        ("省级平台数", 1),
    ]
    firms = quantity[0]
    assert firms["aliases"] == ["1、高新技术企业数", "高新技术企业数量（家）"]
    assert firms["targets"] == [{"text": "1100家", "count": 2}, {"text": "1150家", "count": 1}]
    assert firms["units"] == [{"unit": "家", "count": 3}]
    assert firms["weights"] == [
        {"weight": Decimal(10), "count": 2},
        {"weight": Decimal(5), "count": 1},
    ]
    assert firms["years"] == {"2024": 2, "2023": 1}
    assert firms["departments"][0] == {"name": "株洲市科学技术局", "count": 2}
    (satisfaction,) = by_level2["服务对象满意度指标"]["indicators"]
    assert satisfaction["name"] == "企业满意度" and satisfaction["aliases"] == ["企业满意率"]
    assert satisfaction["units"] == [{"unit": "%", "count": 2}]
    # filters: one 二级指标; a name's part (spaces and full-width alike)
    only = build_library(tables, level2="服务对象满意度指标")
    assert [c["level2"] for c in only["categories"]] == ["服务对象满意度指标"]
    found = build_library(tables, query="高新 技术")
    assert [i["name"] for c in found["categories"] for i in c["indicators"]] == ["高新技术企业数"]
    assert build_library([])["categories"] == []


# ---- the store, the API and the page ----------------------------------------------------


def _secret_table(tmp_path: Path) -> Path:
    """Seed 004's department table as another unit's draft, with an indicator of its own."""
    read = read_report(SEED004)
    assert read.report is not None
    table = read.report.evaluations[0]
    first = dataclasses.replace(table.indicators[0], name=SECRET)
    table = dataclasses.replace(table, name="保密部门", indicators=(first, *table.indicators[1:]))
    path = tmp_path / "另一单位.yaml"
    path.write_text(dump_yaml(evaluation_to_data(table, sources=False)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("library")
    opened = open_store(f"sqlite:///{folder / 'library.db'}")
    service = Service()
    for path, unit in ((SEED001, LUSONG), (SEED004, YUEYANG), (_secret_table(folder), OTHER)):
        assert import_file(opened, service, path, unit=unit).error is None
    for name, role, unit in (
        ("lusong", Role.FILLER, LUSONG),
        ("yueyang", Role.FILLER, YUEYANG),
        ("shenhe", Role.REVIEWER, None),
    ):
        opened.add_user(name, role, PASSWORD, unit=unit)
    # 岳阳's project table (市级专项资金) goes all the way to 已公开
    (project,) = [i for i in opened.evaluations().items if i.name == "市级专项资金"]
    opened.transition(project.id, State.SUBMITTED, "yueyang")
    opened.transition(project.id, State.APPROVED, "shenhe")
    opened.transition(project.id, State.PUBLISHED, "shenhe")
    yield opened
    opened.close()


def _names(body: dict[str, Any]) -> set[str]:
    return {i["name"] for c in body["categories"] for i in c["indicators"]}


def _departments(body: dict[str, Any]) -> set[str]:
    items = [i for c in body["categories"] for i in c["indicators"]]
    return {d["name"] for i in items for d in i["departments"]}


def test_the_bureau_sees_every_table(store: Store) -> None:
    body = As(store, "shenhe").get("/api/library").json()
    assert body["tables"] == 4
    assert SECRET in _names(body) and "保密部门" in _departments(body)
    assert "完成新增规模以上工业企业" in _names(body)
    assert body["choices"]["years"] == [2024, 2023]
    by_year = As(store, "shenhe").get("/api/library?year=2023").json()
    assert by_year["tables"] == 1 and by_year["filters"]["year"] == 2023
    assert "完成新增规模以上工业企业" in _names(by_year) and SECRET not in _names(by_year)


def test_a_unit_sees_its_own_and_the_published_tables(store: Store) -> None:
    """芦淞 sees its own table and 岳阳's published project table; 岳阳's draft department
    table and the other unit's table are named nowhere (not even their departments)."""
    body = As(store, "lusong").get("/api/library").json()
    assert body["tables"] == 2
    names = _names(body)
    assert "完成新增规模以上工业企业" in names  # its own
    assert "保运转" in names  # only in 岳阳's published project table
    assert SECRET not in names
    assert "提升全市科技创新能力" not in names  # only in 岳阳's unpublished department table
    assert "保密部门" not in _departments(body) and "保密部门" not in body["choices"]["departments"]
    assert As(store, "lusong").get("/api/library?q=" + SECRET).json()["categories"] == []


def test_bad_filters_are_said_in_chinese(store: Store) -> None:
    response = As(store, "shenhe").get("/api/library?year=二〇二四")
    assert response.status_code == 422 and "年度" in response.json()["error"]["message"]
    response = As(store, "shenhe").get("/api/library?kind=other")
    assert response.status_code == 422 and "project" in response.json()["error"]["message"]
    assert As(store, "shenhe").get("/api/library?year=99999999999").status_code == 422


def test_the_library_page(store: Store) -> None:
    browser = As(store, "shenhe")
    response = browser.get("/library?level2=数量指标")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.text)
    assert "指标库" in doc.xpath("//header//nav/a/text()")
    headings = [" ".join(h.text_content().split()) for h in doc.xpath("//main//h2")]
    assert headings and all(h.startswith("产出指标 · 数量指标") for h in headings)
    rows = doc.xpath('//table[contains(@class, "library")]/tbody/tr')
    names = [r.xpath('./td[@class="name"]')[0].text_content() for r in rows]
    assert any("完成新增规模以上工业企业" in n for n in names)
    assert doc.xpath('//form[@id="library-filters"]//input[@name="level2"]/@value') == ["数量指标"]
    summary = doc.xpath('//p[@id="library-summary"]')[0].text_content()
    assert "来自 4 张自评表" in summary
    # a unit's page says where its library comes from
    own = lxml.html.fromstring(As(store, "lusong").get("/library").text)
    assert "本单位的自评表和已公开的自评表" in own.xpath('//p[@class="intro"]')[0].text_content()
    empty = lxml.html.fromstring(browser.get("/library?q=没有这个指标").text)
    assert empty.xpath('//p[@id="library-empty"]')


def test_a_unit_adds_a_row_under_its_category(store: Store) -> None:
    """The new row goes after the last row of its 二级指标, rescored; a name is needed."""
    browser = As(store, "lusong")
    (table,) = [i for i in store.evaluations().items if i.year == 2023]
    page = lxml.html.fromstring(browser.get(f"/evaluations/{table.id}").text)
    assert page.xpath('//form[@id="new-row-form"]//input[@list="library-names"]')
    assert page.xpath('//script[@src="/static/library.js"]')
    before = store.evaluation(table.id).evaluation.indicators
    row = {"level1": "产出指标", "level2": "数量指标", "name": "新增专精特新企业"}
    added = browser.send(
        "POST",
        f"/api/evaluations/{table.id}/indicators",
        json={**row, "target": "5家", "weight": "5"},
    )
    assert added.status_code == 201, added.text
    after = store.evaluation(table.id).evaluation.indicators
    assert len(after) == len(before) + 1
    last_quantity = max(i for i, item in enumerate(before) if item.level2 == "数量指标")
    new = after[last_quantity + 1]
    assert (new.name, new.target, new.weight) == ("新增专精特新企业", "5家", Decimal(5))
    assert after[last_quantity + 2 :] == before[last_quantity + 1 :]
    refused = browser.send(
        "POST", f"/api/evaluations/{table.id}/indicators", json={**row, "name": " "}
    )
    assert refused.status_code == 422 and "三级指标名称" in refused.json()["error"]["message"]
    # a reviewer changes no figure; another unit never reaches the table
    reviewer = As(store, "shenhe").send("POST", f"/api/evaluations/{table.id}/indicators", json=row)
    assert reviewer.status_code == 403
    other = As(store, "yueyang").send("POST", f"/api/evaluations/{table.id}/indicators", json=row)
    assert other.status_code == 404
