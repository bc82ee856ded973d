"""新建自评表 in the web app (blank form, last year's table, a 绩效目标申报表) and the indicator
rows removed and moved on the evaluation page."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest

from jixiao.service import Service
from jixiao.service.store import import_file, open_store
from jixiao.store import Role, State, Store
from tests import declaration_docs
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

LUSONG = "株洲市芦淞区科技和工业信息化局"
SEED001 = SAMPLES / "lusong-2023-department.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("compose")
    opened = open_store(f"sqlite:///{folder / 'compose.db'}")
    assert import_file(opened, Service(), SEED001, unit=LUSONG).error is None
    opened.add_user("lusong", Role.FILLER, PASSWORD, unit=LUSONG)
    opened.add_user("shenhe", Role.REVIEWER, PASSWORD)
    yield opened
    opened.close()


def _start(browser: As, **form: str) -> object:
    return browser.client.post(
        "/evaluations/new", data={**form, "csrf_token": browser.csrf}, follow_redirects=False
    )


def _opened(response: object) -> int:
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    location = response.headers["location"]  # type: ignore[attr-defined]
    return int(location.split("/")[2].split("?")[0])


def test_the_page_offers_three_ways(store: Store) -> None:
    page = lxml.html.fromstring(As(store, "lusong").get("/evaluations/new").text)
    assert page.xpath('//input[@name="how"]/@value') == ["blank", "previous", "declaration"]
    options = page.xpath('//select[@name="source"]/option/text()')
    assert any("2023年" in text for text in options)
    assert not page.xpath('//input[@name="unit"]')  # a unit's clerk starts its own tables


def test_a_blank_form_with_the_schemes_weights(store: Store) -> None:
    browser = As(store, "lusong")
    table = _opened(_start(browser, how="blank", kind="project", year="2025"))
    stored = store.evaluation(table)
    assert stored.summary.unit == LUSONG and stored.summary.state is State.DRAFT
    evaluation = stored.evaluation
    assert evaluation.title == "2025年度项目支出绩效自评表"
    assert evaluation.funds.weight == Decimal(10)
    assert evaluation.level1_weights == {
        "产出指标": Decimal(50),
        "效益指标": Decimal(30),
        "满意度指标": Decimal(10),
    }
    assert browser.get(f"/evaluations/{table}").status_code == 200
    bad = _start(browser, how="blank", kind="project", year="二〇二五")
    assert bad.status_code == 422 and "不是有效的年份" in bad.text  # type: ignore[attr-defined]


def test_last_years_table_carried_over_once(store: Store) -> None:
    browser = As(store, "lusong")
    (last,) = [i for i in store.evaluations().items if i.year == 2023 and i.parent_id is None]
    table = _opened(_start(browser, how="previous", source=str(last.id)))
    before, after = store.evaluation(last.id).evaluation, store.evaluation(table).evaluation
    assert after.year == 2024 and store.evaluation(table).summary.unit == LUSONG
    assert [i.target for i in after.indicators] == [i.target for i in before.indicators]
    assert [i.weight for i in after.indicators] == [i.weight for i in before.indicators]
    assert all(i.actual is None and i.score is None for i in after.indicators)
    again = _start(browser, how="previous", source=str(last.id))
    assert again.status_code == 422 and "已经存在" in again.text  # type: ignore[attr-defined]
    assert f'href="/evaluations/{table}"' in again.text  # type: ignore[attr-defined]
    # a table the user may not see is not carried over
    missing = _start(browser, how="previous", source="999999")
    assert missing.status_code == 422 and "没有编号为 999999" in missing.text  # type: ignore[attr-defined]


def test_a_declaration_uploaded_for_a_unit(store: Store, tmp_path: Path) -> None:
    reviewer = As(store, "shenhe")
    source = declaration_docs.build_docx(tmp_path / "申报表.docx")
    response = reviewer.client.post(
        "/evaluations/new",
        data={"how": "declaration", "unit": LUSONG, "csrf_token": reviewer.csrf},
        files={"file": ("申报表.docx", source.read_bytes())},
        follow_redirects=False,
    )
    evaluation = store.evaluation(_opened(response)).evaluation
    assert evaluation.title == "2025年度项目支出绩效自评表"
    assert evaluation.funds.annual_budget == Decimal(120)
    assert [i.name for i in evaluation.indicators] == [t[2] for t in declaration_docs.INDICATORS]
    broken = reviewer.client.post(
        "/evaluations/new",
        data={"how": "declaration", "unit": LUSONG, "csrf_token": reviewer.csrf},
        files={"file": ("坏.docx", b"not a word file")},
    )
    assert broken.status_code == 422 and "坏.docx" in broken.text


def test_rows_move_and_go(store: Store) -> None:
    browser = As(store, "lusong")
    table = _opened(_start(browser, how="blank", kind="department", year="2026"))
    page = lxml.html.fromstring(browser.get(f"/evaluations/{table}").text)
    assert page.xpath('//section[@id="row-tools"]//button[@id="row-delete"]')
    names = [i.level2 for i in store.evaluation(table).evaluation.indicators]
    version = store.evaluation(table).summary.version
    moved = browser.send(
        "POST",
        f"/api/evaluations/{table}/indicators/1/move",
        json={"direction": "up", "version": version},
    )
    assert moved.status_code == 200, moved.text
    after = [i.level2 for i in store.evaluation(table).evaluation.indicators]
    assert after == [names[1], names[0], *names[2:]]
    top = browser.send(
        "POST", f"/api/evaluations/{table}/indicators/0/move", json={"direction": "up"}
    )
    assert top.status_code == 422 and "第一行" in top.json()["error"]["message"]
    gone = browser.send("DELETE", f"/api/evaluations/{table}/indicators/0")
    assert gone.status_code == 200, gone.text
    assert [i.level2 for i in store.evaluation(table).evaluation.indicators] == after[1:]
    stale = browser.send("DELETE", f"/api/evaluations/{table}/indicators/0?version={version}")
    assert stale.status_code == 409
    nowhere = browser.send("DELETE", f"/api/evaluations/{table}/indicators/99")
    assert nowhere.status_code == 404
