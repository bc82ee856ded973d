"""The 公开 page (issue 12.5): the published tables of every unit, for every logged-in
user; a clerk of another unit opens and exports a published table, never an unpublished one,
and changes neither."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from jixiao.store import users as store_users
from jixiao.store.policy import State, can_read, can_see
from jixiao.store.records import User
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNIT = "株洲市芦淞区科技和工业信息化局"
OTHER = "岳阳市科学技术局"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    saved, store_users._hasher = store_users._hasher, hasher
    try:
        folder = tmp_path_factory.mktemp("public")
        with open_store(str(folder / "jixiao.db")) as opened:
            service = Service()
            for path in (REPORTS[0], REPORTS[1]):
                assert import_file(opened, service, path, unit=UNIT).error is None
            opened.add_user("clerk", Role.FILLER, PASSWORD, unit=UNIT)
            opened.add_user("other", Role.FILLER, PASSWORD, unit=OTHER)
            opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
            yield opened
    finally:
        store_users._hasher = saved


def _step(who: As, table_id: int, to: str) -> None:
    url = f"/api/evaluations/{table_id}/transitions"
    answer = who.send("POST", url, json={"to": to, "confirm": True})
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def tables(store: Store) -> tuple[int, int]:
    """(a published table, an unpublished one), both of UNIT."""
    clerk, reviewer = As(store, "clerk"), As(store, "reviewer")
    items = clerk.get("/api/evaluations", params={"top": 1}).json()["items"]
    assert len(items) >= 2
    published, kept = items[0]["id"], items[1]["id"]
    _step(clerk, published, "submitted")
    _step(reviewer, published, "approved")
    _step(reviewer, published, "published")
    return published, kept


def test_the_rule_is_the_policys() -> None:
    other = User(9, "other", None, Role.FILLER, OTHER, 2, True)
    assert can_read(other, 1, State.PUBLISHED)
    assert not can_see(other, 1)  # reading is all: changing still asks can_see
    for state in State:
        if state is not State.PUBLISHED:
            assert not can_read(other, 1, state)
    assert can_read(other, 2, State.DRAFT)


def test_only_published_tables_are_listed_for_every_role(
    store: Store, tables: tuple[int, int]
) -> None:
    published, kept = tables
    for name in ("other", "clerk", "reviewer"):
        page = As(store, name).get("/public")
        assert page.status_code == 200
        assert f'data-id="{published}"' in page.text
        assert f'data-id="{kept}"' not in page.text
        assert "已公开的自评表" in page.text and 'href="/public"' in page.text
        assert f"/api/evaluations/{published}/export?format=xlsx" in page.text
        assert UNIT in page.text  # the unit is a column and a filter
    other = As(store, "other")
    assert f'data-id="{published}"' not in other.get("/public", params={"unit": OTHER}).text
    assert f'data-id="{published}"' in other.get("/public", params={"unit": UNIT}).text
    assert f'data-id="{published}"' not in other.get("/public", params={"year": 1999}).text
    wrong = other.get("/public", params={"year": "二〇二三"})
    assert wrong.status_code == 422 and "年度应为整数" in wrong.text
    assert "year" not in wrong.text.split("</nav>")[-1]  # named as a person says it


def test_a_clerk_of_another_unit_exports_a_published_table_only(
    store: Store, tables: tuple[int, int]
) -> None:
    published, kept = tables
    other = As(store, "other")
    exported = other.get(f"/api/evaluations/{published}/export", params={"format": "xlsx"})
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    # what publishing makes public is the forms and report; the review around the table
    # (its page with comments and history, its versions, the opinion) stays the unit's
    for path in (
        f"/evaluations/{published}",
        f"/api/evaluations/{published}",
        f"/api/evaluations/{published}/history",
        f"/api/evaluations/{published}/comments",
        f"/api/evaluations/{published}/export?format=review-docx",
    ):
        assert other.get(path).status_code == 404, path
    listed = other.get("/public").text
    assert f'href="/evaluations/{published}"' not in listed  # its export links only
    assert other.get(f"/evaluations/{kept}").status_code == 404
    assert other.get(f"/api/evaluations/{kept}/export").status_code == 404
    # reading is all: no edit, no comment, no step on another unit's published table
    patch = other.send(
        "PATCH",
        f"/api/evaluations/{published}",
        json={"changes": [{"path": "indicators[0].actual", "value": "1"}]},
    )
    assert patch.status_code == 404
    said = other.send("POST", f"/api/evaluations/{published}/comments", json={"text": "好"})
    assert said.status_code == 404
    # and its own unit's clerk lists it on the list as before; the other unit's list does not
    assert all(i["id"] != published for i in other.get("/api/evaluations").json()["items"])
