"""Declared beside recomputed (issue 12.6): the list, the evaluation page and the dashboard
show the unit's written total and grade (填报) beside the recomputed ones (复核), the gap
marked; the dashboard filters by state, counts each record once (a new version is the same
record) and its totals are the list's for the same filters."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from argon2 import PasswordHasher

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from jixiao.store import users as store_users
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNIT = "株洲市芦淞区科技和工业信息化局"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    saved, store_users._hasher = store_users._hasher, hasher
    try:
        folder = tmp_path_factory.mktemp("declared")
        with open_store(str(folder / "jixiao.db")) as opened:
            service = Service()
            for path in (REPORTS[0], REPORTS[1], REPORTS[4]):
                assert import_file(opened, service, path, unit=UNIT).error is None
            # the same file again is the same record, not a second one
            assert import_file(opened, service, REPORTS[1], unit=UNIT).error is None
            opened.add_user("filler", Role.FILLER, PASSWORD, unit=UNIT)
            opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
            filler = As(opened, "filler")
            first = filler.get("/api/evaluations", params={"year": 2023, "top": 1}).json()
            url = f"/api/evaluations/{first['items'][0]['id']}/transitions"
            assert (
                filler.send("POST", url, json={"to": "submitted", "confirm": True}).status_code
                == 200
            )
            yield opened
    finally:
        store_users._hasher = saved


def _number(text: object) -> Decimal:
    return Decimal(str(text)) if text not in (None, "") else Decimal(0)


@pytest.mark.parametrize("state", [None, "draft", "submitted", "approved"])
@pytest.mark.parametrize("year", [None, 2022, 2023])
def test_dashboard_totals_are_the_lists(store: Store, year: int | None, state: str | None) -> None:
    reviewer = As(store, "reviewer")
    filters = {k: v for k, v in {"year": year, "state": state}.items() if v is not None}
    board = reviewer.get("/api/dashboard", params=filters).json()
    listed = reviewer.get("/api/evaluations", params={**filters, "top": 1, "size": 200}).json()
    assert board["evaluations"] == listed["total"] == len(listed["items"])
    recomputed = sum((_number(i["total"]) for i in listed["items"]), Decimal(0))
    declared = sum((_number(i["written_total"]) for i in listed["items"]), Decimal(0))
    assert _number(board["total"]) == recomputed
    assert _number(board["declared_total"]) == declared
    gaps = sum(
        1
        for i in listed["items"]
        if i["written_grade"] and i["grade"] and i["written_grade"] != i["grade"]
    )
    assert board["grade_gaps"] == gaps


def test_states_split_the_records(store: Store) -> None:
    reviewer = As(store, "reviewer")
    whole = reviewer.get("/api/dashboard").json()["evaluations"]
    parts = [
        reviewer.get("/api/dashboard", params={"state": s}).json()["evaluations"]
        for s in ("draft", "submitted", "returned", "approved", "published")
    ]
    records = reviewer.get("/api/evaluations", params={"top": 1}).json()["total"]
    assert whole == sum(parts) == records and parts[1] == 1  # one record submitted
    assert records == 4  # 000's fund, 001 (imported twice: one record), 004's two tables
    response = reviewer.get("/api/dashboard", params={"state": "gone"})
    assert response.status_code == 422 and "无法识别" in response.json()["error"]["message"]


def test_list_page_and_evaluation_page_show_both(store: Store) -> None:
    reviewer = As(store, "reviewer")
    items = reviewer.get("/api/evaluations", params={"top": 1}).json()["items"]
    gapped = [i for i in items if i["gap"]]
    assert gapped, [(i["written_total"], i["total"]) for i in items]
    page = reviewer.get("/evaluations", params={"top": 1}).text
    assert '<th title="单位填写的总分和等级">填报</th>' in page and "复核</th>" in page
    assert page.count('class="num recomputed gap"') == len(gapped)
    shown = reviewer.get(f"/evaluations/{gapped[0]['id']}").text
    assert 'id="declared-total"' in shown and 'id="declared-grade"' in shown
    assert 'class="gap"' in shown
    board = reviewer.get("/dashboard").text
    assert 'id="kpi-declared"' in board and 'name="state"' in board
    assert 'href="/evaluations?top=1"' in board
