"""The web pages and the dashboard, through the real app (jixiao.web.app.create_app).

Expected figures come from reading the seed reports (src/jixiao/samples/reports):
- seed 000 (株洲市科学技术局, 2022): one 项目支出 table for the fund + 6 sub-directions;
  funds 4465.5 / 4465.5 → 执行率 100%.
- seed 001 (株洲市芦淞区科技和工业信息化局, 2023, 部门整体支出, 主管部门 blank): funds
  1451.29 / 1452.61 → 99.91%, 分值 10, 得分 written 9 where 9.99 is due (FD02); the
  indicator 规模工业总产值同比增长 (6% of 8%, weight 5) is scored 3 where 3.75 is due, so
  the recomputed total is 95 + 0.99 + 0.75 = 96.74 (优).
- seed 002: no self-evaluation table at all.
- seed 003 (2020): 全年执行数 left blank → no execution rate.
- seed 004 (岳阳市科学技术局, 2024): a 部门整体支出 table (1725.06 / 1863.29 → 92.58%) and a
  项目支出 table 市级专项资金 under 主管部门 岳阳市科学技术局 (85 / 85 → 100%).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from jixiao.model import FieldPath
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, State, Store, open_store
from jixiao.store.policy import FieldKind, field_kind
from jixiao.web.svg import Bar, bar_chart

REPORTS = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples" / "reports"
WEB = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "web"
UNITS = {
    "000": "株洲市科学技术局",
    "001": "芦淞区科工信局",
    "002": "衡阳市科学技术局",
    "003": "株洲市工信局",
    "004": "岳阳市科学技术局",
}
PASSWORD = "correct horse battery"
USERS = {
    "admin": (Role.ADMIN, None),
    "shenhe": (Role.REVIEWER, None),
    "lusong": (Role.FILLER, UNITS["001"]),
    "yueyang": (Role.FILLER, UNITS["004"]),
}


def seed(number: str) -> Path:
    return next(REPORTS.glob(f"{number}_*.txt"))


def fill(store: Store, numbers: tuple[str, ...]) -> None:
    service = Service()
    for number in numbers:
        result = import_file(store, service, seed(number), unit=UNITS[number])
        assert result.error is None, result.error
    for name, (role, unit) in USERS.items():
        store.add_user(name, role, PASSWORD, unit=unit)


def app_for(store: Store) -> Any:
    from jixiao.web.app import create_app

    return create_app(store=store)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'seeds.db'}")
    fill(store, ("000", "001", "002", "003", "004"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(seeded: Store) -> Any:
    return app_for(seeded)


def login(app: Any, name: str) -> TestClient:
    client = TestClient(app)
    page = client.get("/login")
    assert page.status_code == 200
    token = lxml.html.fromstring(page.text).xpath('//input[@name="csrf_token"]/@value')[0]
    done = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


def page(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def evaluation_id(client: TestClient, **filters: str) -> int:
    ids = page(client, "/evaluations?" + "&".join(f"{k}={v}" for k, v in filters.items()))
    rows = ids.xpath('//table[@class="list"]/tbody/tr[@data-id]/@data-id')
    assert len(rows) == 1, rows
    return int(rows[0])


def csrf(doc: Any) -> str:
    return str(doc.xpath('//meta[@name="csrf-token"]/@content')[0])


# ---- pages by role


def test_anonymous_visitor_is_sent_to_login(app: Any) -> None:
    response = TestClient(app).get("/evaluations", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("name", list(USERS))
def test_pages_render_for_each_role(app: Any, name: str) -> None:
    client = login(app, name)
    doc = page(client, "/evaluations")
    assert doc.xpath("//html/@lang") == ["zh-CN"]
    assert csrf(doc)
    assert doc.xpath('//form[@action="/logout"]//input[@name="csrf_token"]')
    nav = doc.xpath("//header//nav/a/text()")
    assert ("看板" in nav) == (USERS[name][0] in (Role.REVIEWER, Role.ADMIN))
    assert page(client, "/upload").xpath('//input[@type="file"][@multiple]')
    if USERS[name][0] is Role.FILLER:
        page(client, "/dashboard", status=403)
    else:
        assert page(client, "/dashboard").xpath('//table[@id="departments"]')


def test_filler_sees_only_its_own_unit(app: Any) -> None:
    lusong = login(app, "lusong")
    names = page(lusong, "/evaluations").xpath("//tbody/tr/td[@class='name']/a/text()")
    assert names == ["株洲市芦淞区科技和工业信息化局"]
    other = evaluation_id(login(app, "yueyang"), q="市级专项资金")
    page(lusong, f"/evaluations/{other}", status=404)
    page(lusong, f"/evaluations/{other}/table", status=404)


# ---- the list


def test_list_filters(app: Any) -> None:
    client = login(app, "shenhe")
    # every table is listed: 7 of seed 000, 1 of 001, 1 of 003, 2 of 004
    assert len(page(client, "/evaluations").xpath("//tbody/tr[@data-id]")) == 11
    years = page(client, "/evaluations?year=2024").xpath("//tbody/tr[@data-id]/td[1]/text()")
    assert years == ["2024", "2024"]
    kinds = page(client, "/evaluations?kind=department").xpath("//tbody/tr[@data-id]")
    assert len(kinds) == 2  # seeds 001 and 004
    found = page(client, "/evaluations?q=芦淞").xpath("//tbody/tr/td[@class='name']/a/text()")
    assert found == ["株洲市芦淞区科技和工业信息化局"]
    assert not page(client, "/evaluations?state=approved").xpath("//tbody/tr[@data-id]")
    row = page(client, "/evaluations?q=芦淞").xpath("//tbody/tr[@data-id]")[0]
    assert "错误" in row.xpath("string(td[@class='problems'])")  # FD02 at least
    selected = page(client, "/evaluations?year=2023").xpath(
        '//select[@name="year"]/option[@selected]'
    )
    assert [o.get("value") for o in selected] == ["2023"]


# ---- the evaluation page


def _funds_score_cell(doc: Any) -> Any:
    cells = doc.xpath('//table[@id="evaluation-form"]//td[@data-path="funds.score"]')
    assert len(cells) == 1
    return cells[0]


def test_evaluation_page_marks_fd02_on_the_funds_score_cell(app: Any) -> None:
    client = login(app, "shenhe")
    number = evaluation_id(client, q="芦淞")
    doc = page(client, f"/evaluations/{number}")
    cell = _funds_score_cell(doc)
    assert cell.text_content().strip().startswith("9")
    assert "sev-error" in cell.get("class")
    assert "FD02" in cell.get("data-findings").split()
    assert "9.99" in cell.get("title")
    # the side list links to the cell
    links = doc.xpath(f'//aside[@class="findings"]//a[@href="#{cell.get("id")}"]')
    assert any("9.99" in link.text_content() for link in links)
    # the form's layout: 一级 merged over its indicators, 总分 row; a reviewer edits nothing
    # the unit reports, and may correct what was set at budget time (targets, weights)
    assert doc.xpath('//td[@rowspan][contains(., "产出指标")]')
    assert doc.xpath('//td[contains(., "总分")]')
    opened = doc.xpath('//td[.//*[@contenteditable="true"]]/@data-path')
    assert opened and not cell.xpath('.//*[@contenteditable="true"]')
    assert {field_kind(FieldPath.parse(path)) for path in opened} == {FieldKind.BUDGET}
    assert "indicators[0].target" in opened and "total.weight" not in opened
    assert doc.xpath('//button[@data-to="returned"]') == []  # still a draft


def test_report_level_findings_are_shown_with_each_table(app: Any) -> None:
    """Seed 004's 基础数据表 says 市级专项资金 95 where its items add to 85 (XC05) and its own
    project table says 85 (XC10), for the budget and the final figure: no table's findings,
    so each of the report's tables lists them under 报告整体."""
    client = login(app, "yueyang")
    listed = page(client, "/evaluations?q=岳阳")
    numbers = [int(n) for n in listed.xpath('//table[@class="list"]/tbody/tr[@data-id]/@data-id')]
    assert len(numbers) == 2
    for number in numbers:
        doc = page(client, f"/evaluations/{number}")
        items = doc.xpath('//ol[@class="report-findings"]/li')
        codes = [i.xpath('.//span[@class="code"]')[0].text for i in items]
        assert codes == ["XC05", "XC05", "XC10", "XC10"]
        assert "95" in items[0].text_content() and "85" in items[0].text_content()
        body = client.get(f"/api/evaluations/{number}").json()
        assert [f["code"] for f in body["report_findings"]] == codes
        assert all(f["table"] is None for f in body["report_findings"])
    # a report without such findings shows no such section
    reviewer = login(app, "shenhe")
    lusong = page(reviewer, f"/evaluations/{evaluation_id(reviewer, q='芦淞')}")
    assert not lusong.xpath('//ol[@class="report-findings"]')


def test_filler_edits_the_score_and_the_finding_goes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    try:
        fill(store, ("001",))
        client = login(app_for(store), "lusong")
        number = evaluation_id(client)
        doc = page(client, f"/evaluations/{number}")
        cell = _funds_score_cell(doc)
        assert cell.xpath('.//div[@contenteditable="true"][@data-number="1"]')
        paths = [cell.get("data-path"), *(cell.get("data-also") or "").split()]
        changes = [{"path": path, "value": 9.99} for path in paths]
        response = client.patch(
            f"/api/evaluations/{number}",
            json={"changes": changes},
            headers={"X-CSRF-Token": csrf(doc)},
        )
        assert response.status_code == 200, response.text
        fragment = client.get(f"/evaluations/{number}/table")
        assert fragment.status_code == 200
        table = lxml.html.fromstring(fragment.text)
        cell = _funds_score_cell(table)
        assert cell.text_content().strip() == "9.99"
        assert "FD02" not in (cell.get("data-findings") or "")
        assert "FD02" not in fragment.text
        # the submit button is there for the filler, and the history shows the edit
        doc = page(client, f"/evaluations/{number}")
        assert doc.xpath('//button[@data-to="submitted"]')
        history = doc.xpath('//section[@class="history"]//tbody/tr')
        assert any("资金：得分" in row.text_content() for row in history)
    finally:
        store.close()


# ---- the dashboard


def test_dashboard_numbers_from_the_seeds(app: Any) -> None:
    client = login(app, "shenhe")
    data = client.get("/api/dashboard").json()
    assert data["evaluations"] == 5  # top-level tables: 000, 001, 003, 004 ×2
    rates = {b["label"]: b["count"] for b in data["execution_rates"]}
    assert rates["100%以上"] == 3  # 000, 003 (80 of 80) and 004's project
    assert rates["95–100%"] == 1  # 001: 99.91%
    assert rates["90–95%"] == 1  # 004's department table: 92.58%
    assert rates.get("未知", 0) == 0
    assert sum(rates.values()) == 5
    departments = {d["department"]: d for d in data["departments"]}
    assert departments["岳阳市科学技术局"]["evaluations"] == 2
    assert departments["株洲市科学技术局"]["evaluations"] == 1
    assert departments["株洲市芦淞区科技和工业信息化局"]["evaluations"] == 1
    assert departments["株洲市芦淞区科技和工业信息化局"]["avg_total"] == pytest.approx(96.74)
    assert departments["株洲市芦淞区科技和工业信息化局"]["errors"] >= 1  # FD02
    assert data["previous_year"] is None

    year = client.get("/api/dashboard?year=2023").json()
    assert year["grades"] == {"优": 1}
    assert year["current_year"]["avg_total"] == pytest.approx(96.74)
    assert "FD02" in {f["code"] for f in year["top_findings"]}
    assert year["previous_year"]["year"] == 2022
    assert year["previous_year"]["evaluations"] == 1  # seed 000's fund
    later = client.get("/api/dashboard?year=2024").json()
    assert later["evaluations"] == 2
    assert later["previous_year"]["avg_total"] == pytest.approx(96.74)
    only = client.get("/api/dashboard", params={"department": "岳阳市科学技术局"}).json()
    assert only["evaluations"] == 2
    assert [d["department"] for d in only["departments"]] == ["岳阳市科学技术局"]


def test_dashboard_page_draws_charts(app: Any) -> None:
    doc = page(login(app, "admin"), "/dashboard?year=2023")
    charts = doc.xpath("//figure//svg")
    assert len(charts) == 3
    assert "等级分布" in charts[0].text_content()
    assert doc.xpath('//section[@id="previous-year"]//table')
    assert doc.xpath('//table[@id="top-findings"]//td[contains(., "FD02")]')
    bad = login(app, "admin").get("/api/dashboard?year=abc")
    assert bad.status_code == 422
    assert "年度" in bad.json()["error"]["message"]


def test_open_problems_leave_with_approval(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'two.db'}")
    try:
        fill(store, ("001",))
        with store.reading() as connection:
            from jixiao.store.dashboard import dashboard

            before = dashboard(connection, 2023).departments[0]
        number = store.evaluations().items[0].id
        store.transition(number, State.SUBMITTED, "lusong")
        store.transition(number, State.APPROVED, "shenhe")
        with store.reading() as connection:
            after = dashboard(connection, 2023).departments[0]
        assert before.open > 0 and after.open == 0
        assert after.errors == before.errors
    finally:
        store.close()


# ---- svg


def test_bar_chart_scales_to_the_longest_bar() -> None:
    svg = lxml.html.fromstring(bar_chart([Bar("优", 4), Bar("良", 1)], title="等级分布"))
    widths = [float(w) for w in svg.xpath("//rect/@width")]
    assert len(widths) == 2 and widths[0] == pytest.approx(4 * widths[1])
    assert svg.xpath("//text[contains(., '优')]")
    assert "等级分布" in svg.xpath("string(//title)")


def test_bar_chart_escapes_and_handles_nothing() -> None:
    empty = bar_chart([], title="<无>")
    assert "&lt;无&gt;" in empty and "暂无数据" in empty and "<rect" not in empty
    zero = bar_chart([Bar("a&b", 0)], title="t")
    assert "暂无数据" in zero and "a&b" not in zero


# ---- markup hygiene


def test_no_external_urls_in_templates_or_static_files() -> None:
    files = [*WEB.glob("templates/**/*.html"), *WEB.glob("static/**/*")]
    assert len(files) >= 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|//cdn", text), path


def test_pages_are_well_formed(app: Any) -> None:
    client = login(app, "admin")
    number = evaluation_id(client, q="芦淞")
    for url in ("/evaluations", f"/evaluations/{number}", "/upload", "/dashboard"):
        text = client.get(url).text
        assert not re.search(r"https?://", text), url
        doc = lxml.html.fromstring(text)
        assert doc.xpath("//head/title") and doc.xpath("//main"), url
        ids = doc.xpath("//@id")
        assert len(ids) == len(set(ids)), url


def test_the_list_counts_the_reports_own_findings(app: Any) -> None:
    """Seed 004's tables carry the report's 基础数据表 findings (XC05 errors, XC10 warnings)
    beside their own counts; seed 001 has none."""
    client = login(app, "shenhe")
    doc = page(client, "/evaluations?q=岳阳")
    cells = doc.xpath('//table[@class="list"]/tbody/tr[@data-id]//div[@class="report-counts"]')
    assert len(cells) == 2
    assert all("2 错误" in c.text_content() and "2 警告" in c.text_content() for c in cells)
    items = client.get("/api/evaluations", params={"q": "岳阳"}).json()["items"]
    expected = {"error": 2, "warning": 2}
    assert [i["report_findings"] for i in items] == [expected, expected]
    lusong = client.get("/api/evaluations", params={"q": "芦淞"}).json()["items"]
    assert [i["report_findings"] for i in lusong] == [{}]


def test_a_table_rebuilt_from_text_says_so(app: Any) -> None:
    """Seed 003's table lost its grid in the PDF text: the page says it was rebuilt, with its
    reading confidence, so the reviewer checks it against the original; seed 001's does not."""
    client = login(app, "shenhe")
    rebuilt = page(client, f"/evaluations/{evaluation_id(client, year='2020')}")
    (note,) = rebuilt.xpath('//p[@class="reading-note"]')
    assert re.search(r"重建（识别可信度 0\.\d\d）", note.text_content())
    notes = [li.text_content() for li in rebuilt.xpath('//details[@class="read-notes"]//li')]
    assert any("重建" in n for n in notes)  # what the reading did, to check against the paper
    intact = page(client, f"/evaluations/{evaluation_id(client, q='芦淞')}")
    assert intact.xpath('//p[@class="reading-note"]') == []
