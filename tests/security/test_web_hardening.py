"""The web app's smaller hardening (issue 13.6, 13.8): numbers too big for the database in a
query or an id, the security headers on every answer, the API's description behind login."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jixiao.store import Role, Store, open_store
from jixiao.web.deps import TEMPLATES, WebSettings
from tests.security.big_tables import store_big_table
from tests.web_client import CHINESE, PASSWORD, As, client_for, login

HUGE = "99999999999999999999"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    with open_store(str(tmp_path_factory.mktemp("web") / "w.db")) as opened:
        opened.add_user("admin", Role.ADMIN, PASSWORD)
        yield opened, store_big_table(opened, 3)


@pytest.fixture(scope="module")
def admin(store: tuple[Store, int]) -> As:
    browser = As(store[0], "admin")
    browser.client = TestClient(
        browser.client.app, raise_server_exceptions=False, cookies=browser.client.cookies
    )
    return browser


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", f"/evaluations?page={HUGE}", 422),
        ("GET", f"/evaluations?year={HUGE}", 422),
        ("GET", f"/evaluations?page=-{HUGE}", 422),
        ("GET", f"/api/evaluations?page={HUGE}", 422),
        ("GET", f"/api/evaluations?year={HUGE}", 422),
        ("GET", f"/api/evaluations?size={HUGE}", 422),
        ("GET", f"/dashboard?year={HUGE}", 422),
        ("GET", f"/api/dashboard?year={HUGE}", 422),
        ("GET", f"/evaluations/{HUGE}", 404),
        ("GET", f"/evaluations/{HUGE}/table", 404),
        ("GET", f"/api/evaluations/{HUGE}", 404),
        ("GET", f"/api/evaluations/{HUGE}/history", 404),
        ("GET", f"/api/evaluations/{HUGE}/export", 404),
        ("PATCH", f"/api/evaluations/{HUGE}", 404),
        ("POST", f"/api/evaluations/{HUGE}/transitions", 404),
        ("POST", f"/api/evaluations/{HUGE}/comments", 404),
        ("PATCH", f"/api/users/{HUGE}", 404),
    ],
)
def test_numbers_too_big_for_the_database_are_refused_in_chinese(
    admin: As, method: str, url: str, status: int
) -> None:
    body = {"changes": [{"path": "name", "value": "x"}], "to": "submitted", "text": "x"}
    answer = admin.send(method, url, json=body) if method != "GET" else admin.get(url)
    assert answer.status_code == status, answer.text[:300]
    assert CHINESE.search(answer.text) and "Traceback" not in answer.text


def test_a_stale_version_is_a_conflict(admin: As, store: tuple[Store, int]) -> None:
    table = store[1]
    version = admin.get(f"/api/evaluations/{table}").json()["version"]
    change = {"path": "indicators[0].actual", "value": "甲"}
    first = admin.send(
        "PATCH", f"/api/evaluations/{table}", json={"changes": [change], "version": version}
    )
    assert first.status_code == 200
    again = {"changes": [{**change, "value": "乙"}], "version": version}
    second = admin.send("PATCH", f"/api/evaluations/{table}", json=again)
    assert second.status_code == 409 and "已被他人修改" in second.json()["error"]["message"]
    page = admin.get(f"/evaluations/{table}").text
    assert f'data-version="{version + 1}"' in page  # what the page's script sends back


@pytest.mark.parametrize(
    "url", ["/login", "/evaluations", "/api/evaluations", "/static/app.js", "/nowhere"]
)
def test_every_answer_has_the_security_headers(admin: As, url: str) -> None:
    headers = admin.get(url).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_templates_have_no_inline_script_the_policy_would_block() -> None:
    for template in Path(TEMPLATES).glob("*.html"):
        text = template.read_text(encoding="utf-8")
        # a script from /static, or data for one (type="application/json": never run)
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))", text), (
            template.name
        )
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


def test_the_api_description_needs_a_login_unless_public(store: tuple[Store, int]) -> None:
    anonymous = client_for(store[0])
    assert anonymous.get("/openapi.json").status_code == 401
    page = anonymous.get("/docs", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    logged_in = As(store[0], "admin")
    assert "paths" in logged_in.get("/openapi.json").json()
    assert logged_in.get("/docs").status_code == 200
    public = client_for(store[0], WebSettings(public_docs=True))
    assert public.get("/openapi.json").status_code == 200
    assert public.get("/docs").status_code == 200


@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_is_http_only_same_site_and_secure_when_asked(
    store: tuple[Store, int], secure: bool
) -> None:
    app = client_for(store[0], WebSettings(secure_cookies=secure)).app
    client = TestClient(app, base_url="https://testserver")  # a Secure cookie needs HTTPS
    answer = login(client, "admin")
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "jixiao_session=" in c)
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes and "samesite=lax" in attributes
    assert ("secure" in attributes) is secure
