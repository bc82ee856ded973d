"""Every route of the app, taken from its router table (a route added tomorrow is checked
too): none answers a visitor who has not logged in, none changes anything without the
session's CSRF token, the administration answers no one but an administrator, and a unit's
clerk never reaches another unit's table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from jixiao.web.app import create_app
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As, client_for

# Reached before logging in, on purpose: the login form and its post, the way out, styles.
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}
ADMIN_ONLY = re.compile(r"^/(api/)?(admin|users|units|settings|trail)\b")
CHANGES = {"POST", "PATCH", "PUT", "DELETE"}
UNIT_A, UNIT_B = "株洲市芦淞区科技和工业信息化局", "岳阳市科学技术局"


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)
        elif isinstance(route, APIRoute):
            yield route


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('routes') / 'db.sqlite'}") as opened:
        service = Service()
        report = SAMPLES / "reports" / "001_0939f1f6f00c3523.txt"
        assert import_file(opened, service, report, unit=UNIT_A).error is None
        opened.add_user("clerk_a", Role.FILLER, PASSWORD, unit=UNIT_A)
        opened.add_user("clerk_b", Role.FILLER, PASSWORD, unit=UNIT_B)
        opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
        yield opened


def _every(store: Store) -> list[tuple[str, str]]:
    """(method, path) of every route, its ids filled with 1 (the stored table of unit A)."""
    out = []
    for route in _routes(create_app(store=store).routes):
        path = re.sub(r"\{\w+\}", "1", route.path)
        out.extend((method, path) for method in sorted(route.methods - {"HEAD"}))
    return out


def test_nothing_answers_a_visitor_who_has_not_logged_in(store: Store) -> None:
    client = client_for(store)
    client.get("/login")
    token = client.cookies.get("jixiao_csrf") or ""
    for method, path in _every(store):
        if (method, path) in PUBLIC:
            continue
        answer = client.request(
            method, path, headers={"X-CSRF-Token": token}, json={}, follow_redirects=False
        )
        refused = answer.status_code in (401, 403, 404) or (
            answer.status_code in (302, 303, 307) and "/login" in answer.headers["location"]
        )
        assert refused, (method, path, answer.status_code)


def test_nothing_changes_without_the_csrf_token(store: Store) -> None:
    client = As(store, "reviewer").client  # logged in, but sending no X-CSRF-Token
    for method, path in _every(store):
        if method in CHANGES and (method, path) not in PUBLIC:
            answer = client.request(method, path, json={}, follow_redirects=False)
            assert answer.status_code == 403, (method, path, answer.status_code)


def test_administration_answers_only_an_administrator(store: Store) -> None:
    for name in ("clerk_a", "reviewer"):
        user = As(store, name)
        for method, path in _every(store):
            if ADMIN_ONLY.match(path):
                answer = user.send(method, path, json={}, follow_redirects=False)
                assert answer.status_code in (403, 404), (name, method, path, answer.status_code)


def test_a_clerk_never_reaches_another_units_table(store: Store) -> None:
    other = As(store, "clerk_b")
    own = As(store, "clerk_a")
    for method, path in _every(store):
        if not re.search(r"/evaluations/1(/|$)", path):
            continue  # not one table's route (/evaluations/new starts a table of one's own)
        if method == "GET" and not path.endswith(".png"):  # (a text report has no scan)
            assert own.get(path).status_code != 404, path  # the clerk of its unit does
        answer = other.send(method, path, json={}, follow_redirects=False)
        # 404 as if it did not exist; 422: an empty body refused before any table is looked at
        assert answer.status_code in (404, 422), (method, path, answer.status_code)


def test_the_route_table_is_what_these_tests_walk(store: Store) -> None:
    """A guard on the guard: the walk finds the app's pages and its API."""
    found = {path for _, path in _every(store)}
    assert {"/evaluations", "/api/evaluations", "/api/users", "/dashboard"} <= found
