"""Administration through the real app (TestClient; SQLite and PostgreSQL as in
test_web_api): 管理员 manages users (add, role, unit, disable, password), units, the default
scoring scheme and the audit settings; the web app then scores and checks with them.
Everyone else gets 403.

Figures from the seed reports (src/jixiao/samples/reports):
- seed 000 (株洲市2022年度科技发展专项): funds 4465.5 / 4465.5 → 执行率 100%, so the funds
  score is the full 10; recomputed total 99.75 under national-2020. A scheme that gives
  half the funds weight at 100% (execution steps) scores it 99.75 − 5 = 94.75.
- seed 004 (岳阳市科学技术局, 2024): two tables; DV03 and TG01 fire on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from jixiao.config import load_audit_settings, load_scheme
from jixiao.loading import LoadError
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from jixiao.web.app import create_app
from tests.conftest import SAMPLES, postgres_schema
from tests.web_client import CHINESE, PASSWORD, As, login

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
ZHUZHOU_2022, YUEYANG_2024 = REPORTS[0], REPORTS[4]
UNIT_A, UNIT_B = "株洲市科学技术局", "岳阳市科学技术局"
HALF_FUNDS = """# 预算执行率达到 100% 也只得预算执行分值的一半（用来看出方案是否生效）
name: strict-local
extends: national-2020
title: 严格的本地方案
execution:
  formula: steps
  steps:
    - {min_rate: 100, fraction: 0.5}
"""
ADMIN_ENDPOINTS = [
    ("GET", "/api/users", {}),
    ("POST", "/api/users", {"json": {"name": "x", "role": "reviewer", "password": PASSWORD}}),
    ("PATCH", "/api/users/1", {"json": {"active": False}}),
    ("GET", "/api/units", {}),
    ("POST", "/api/units", {"json": {"name": "某单位"}}),
    ("PATCH", "/api/units/1", {"json": {"department": "某部门"}}),
    ("GET", "/api/settings", {}),
    ("PUT", "/api/settings", {"data": {"scheme": "national-cost"}}),
]


@contextmanager
def _database(backend: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(folder / "jixiao.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url"), "a") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Seed 000 in unit A, seed 004 in unit B; an admin, a reviewer and a filler of each."""
    with (
        _database(request.param, request, tmp_path) as url,
        open_store(url) as opened,
    ):
        service = Service()
        for path, unit in ((ZHUZHOU_2022, UNIT_A), (YUEYANG_2024, UNIT_B)):
            assert import_file(opened, service, path, unit=unit).error is None
        opened.add_user("admin", Role.ADMIN, PASSWORD)
        opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
        opened.add_user("filler_a", Role.FILLER, PASSWORD, unit=UNIT_A)
        opened.add_user("filler_b", Role.FILLER, PASSWORD, unit=UNIT_B)
        yield opened


def assert_error(response: Any, status: int, code: str | None = None) -> str:
    """The one error shape with a Chinese message; returns the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert CHINESE.search(body["error"]["message"]), body
    if code is not None:
        assert body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    return message


def user_id(admin: As, name: str) -> int:
    found = [u["id"] for u in admin.get("/api/users").json()["items"] if u["name"] == name]
    assert len(found) == 1, name
    return int(found[0])


def table(client: As, document_prefix: str, name: str | None = None) -> int:
    """The id of the first table of the seed whose file name starts with the prefix."""
    items = client.get("/api/evaluations", params={"size": 200}).json()["items"]
    found = [
        i["id"]
        for i in items
        if i["document"]["name"].startswith(document_prefix) and name in (None, i["name"])
    ]
    assert found, document_prefix
    return int(found[0])


def upload_settings(admin: As, **files: tuple[str, str]) -> Any:
    parts = {
        field: (name, text.encode("utf-8"), "application/yaml")
        for field, (name, text) in files.items()
    }
    return admin.send("PUT", "/api/settings", files=parts)


# ---- users -----------------------------------------------------------------------------------


def test_an_admin_adds_a_filler_who_logs_in_and_sees_only_its_unit(store: Store) -> None:
    admin = As(store, "admin")
    created = admin.send(
        "POST",
        "/api/users",
        json={
            "name": " yy_tianbao ",
            "display_name": "岳阳填报员",
            "role": "filler",
            "unit": UNIT_B,
            "password": "岳阳 initial 2024",
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["name"], body["role"], body["role_label"], body["unit"], body["active"]) == (
        "yy_tianbao",
        "filler",
        "填报",
        UNIT_B,
        True,
    )
    assert "yy_tianbao" in {u["name"] for u in admin.get("/api/users").json()["items"]}

    newcomer = As(store, "yy_tianbao", password="岳阳 initial 2024")
    me = newcomer.get("/api/me").json()
    assert (me["role"], me["unit"], me["display_name"]) == ("filler", UNIT_B, "岳阳填报员")
    listed = newcomer.get("/api/evaluations", params={"size": 200}).json()
    assert listed["total"] == 2  # seed 004's two tables, none of seed 000's seven
    assert {i["unit"] for i in listed["items"]} == {UNIT_B}
    theirs = table(admin, "000_")
    assert_error(newcomer.get(f"/api/evaluations/{theirs}"), 404, "not_found")

    # what the store refuses comes back as a clear message, nothing is created
    again = admin.send(
        "POST", "/api/users", json={"name": "yy_tianbao", "role": "reviewer", "password": PASSWORD}
    )
    assert "已被使用" in assert_error(again, 409, "conflict")
    no_unit = admin.send(
        "POST", "/api/users", json={"name": "nounit", "role": "filler", "password": PASSWORD}
    )
    assert "单位" in assert_error(no_unit, 422, "invalid")
    short = admin.send(
        "POST", "/api/users", json={"name": "short", "role": "reviewer", "password": "1234567"}
    )
    assert "至少需要 8 个字符" in assert_error(short, 422, "invalid")
    bad_role = admin.send(
        "POST", "/api/users", json={"name": "boss", "role": "boss", "password": PASSWORD}
    )
    assert_error(bad_role, 422, "invalid")
    assert {store.user(n) for n in ("nounit", "short", "boss")} == {None}


def test_a_disabled_user_cannot_log_in_and_its_sessions_and_tokens_end(store: Store) -> None:
    admin = As(store, "admin")
    filler = As(store, "filler_a")
    token = store.create_token("filler_a", "脚本")
    bearer = TestClient(create_app(store=store), headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/me").status_code == 200
    target = user_id(admin, "filler_a")

    response = admin.send("PATCH", f"/api/users/{target}", json={"active": False})
    assert response.status_code == 200, response.text
    assert response.json()["active"] is False
    assert_error(filler.get("/api/me"), 401, "unauthorized")  # the open session ended
    assert_error(bearer.get("/api/me"), 401, "unauthorized")  # and the API token
    fresh = TestClient(create_app(store=store))
    refused = login(fresh, "filler_a")
    assert refused.status_code == 401 and "用户名或密码不正确" in refused.text

    enabled = admin.send("PATCH", f"/api/users/{target}", json={"active": True})
    assert enabled.json()["active"] is True
    assert login(TestClient(create_app(store=store)), "filler_a").status_code == 303
    assert_error(bearer.get("/api/me"), 401)  # a revoked token stays revoked


def test_an_admin_can_neither_disable_nor_demote_itself(store: Store) -> None:
    admin = As(store, "admin")
    me = user_id(admin, "admin")
    disabled = admin.send("PATCH", f"/api/users/{me}", json={"active": False})
    assert "不能停用自己的账号" in assert_error(disabled, 409, "self")
    demoted = admin.send("PATCH", f"/api/users/{me}", json={"role": "reviewer"})
    assert "不能取消自己的管理员角色" in assert_error(demoted, 409, "self")
    assert admin.get("/api/me").json()["role"] == "admin"
    # its own name and password it may change; its own session survives the new password
    renamed = admin.send(
        "PATCH", f"/api/users/{me}", json={"display_name": "王管理", "password": "new secret 99"}
    )
    assert renamed.status_code == 200, renamed.text
    assert admin.get("/api/me").json()["display_name"] == "王管理"
    # the page offers neither: its role cannot be changed, it has no 停用 button
    page = lxml.html.fromstring(admin.get("/admin/users").text)
    (row,) = page.xpath('//tr[@data-user="admin"]')
    assert row.xpath('.//select[@name="role"]/@disabled')
    assert not row.xpath('.//input[@name="active"]')


def test_role_unit_and_password_changes_apply_at_once(store: Store) -> None:
    admin = As(store, "admin")
    filler = As(store, "filler_b")
    target = user_id(admin, "filler_b")
    assert filler.get("/api/evaluations").json()["total"] == 2

    moved = admin.send("PATCH", f"/api/users/{target}", json={"unit": UNIT_A})
    assert moved.json()["unit"] == UNIT_A
    assert {i["unit"] for i in filler.get("/api/evaluations").json()["items"]} == {UNIT_A}
    without = admin.send("PATCH", f"/api/users/{target}", json={"unit": None})
    assert "单位" in assert_error(without, 422, "invalid")  # a filler needs a unit
    promoted = admin.send("PATCH", f"/api/users/{target}", json={"role": "reviewer", "unit": None})
    assert (promoted.json()["role"], promoted.json()["unit"]) == ("reviewer", None)
    assert filler.get("/api/evaluations").json()["total"] == 9  # all of both seeds

    reset = admin.send("PATCH", f"/api/users/{target}", json={"password": "brand new 2025"})
    assert reset.status_code == 200, reset.text
    assert_error(filler.get("/api/me"), 401)  # logged out everywhere
    assert login(TestClient(create_app(store=store)), "filler_b").status_code == 401
    assert (
        login(TestClient(create_app(store=store)), "filler_b", "brand new 2025").status_code == 303
    )
    short = admin.send("PATCH", f"/api/users/{target}", json={"password": "short"})
    assert "至少需要 8 个字符" in assert_error(short, 422, "invalid")
    assert_error(admin.send("PATCH", "/api/users/9999", json={"active": True}), 404, "not_found")
    # without the session's CSRF token a browser cannot change anyone
    forged = admin.client.patch(f"/api/users/{target}", json={"active": False})
    assert_error(forged, 403, "csrf")
    assert store.user("filler_b") is not None and store.user("filler_b").active  # type: ignore[union-attr]


# ---- units ------------------------------------------------------------------------------------


def test_units_are_listed_added_and_given_a_department(store: Store) -> None:
    admin = As(store, "admin")
    units = {u["name"]: u for u in admin.get("/api/units").json()}
    assert set(units) == {UNIT_A, UNIT_B}
    assert (units[UNIT_A]["users"], units[UNIT_A]["evaluations"]) == (1, 7)
    assert (units[UNIT_B]["users"], units[UNIT_B]["evaluations"]) == (1, 2)

    added = admin.send(
        "POST", "/api/units", json={"name": "衡阳市科学技术局", "department": "衡阳市科学技术局"}
    )
    assert added.status_code == 201, added.text
    assert (added.json()["users"], added.json()["department"]) == (0, "衡阳市科学技术局")
    twice = admin.send("POST", "/api/units", json={"name": "衡阳市科学技术局"})
    assert "已存在" in assert_error(twice, 409, "conflict")
    unit_id = units[UNIT_B]["id"]
    changed = admin.send("PATCH", f"/api/units/{unit_id}", json={"department": "岳阳市人民政府"})
    assert (changed.json()["name"], changed.json()["department"]) == (UNIT_B, "岳阳市人民政府")
    clash = admin.send("PATCH", f"/api/units/{unit_id}", json={"name": UNIT_A})
    assert "已存在" in assert_error(clash, 409, "conflict")
    # a user can be put in the new unit by picking it
    hengyang = admin.send(
        "POST",
        "/api/users",
        json={"name": "hy", "role": "filler", "unit": "衡阳市科学技术局", "password": PASSWORD},
    )
    assert hengyang.status_code == 201
    page = lxml.html.fromstring(admin.get("/admin/users").text)
    assert "衡阳市科学技术局" in page.xpath('//datalist[@id="unit-names"]/option/@value')
    assert page.xpath('//tr[@data-unit="岳阳市科学技术局"]//input[@name="department"]/@value') == [
        "岳阳市人民政府"
    ]


# ---- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["filler_a", "reviewer"])
def test_everyone_but_an_admin_gets_403(store: Store, name: str) -> None:
    other = As(store, name)
    for method, url, extra in ADMIN_ENDPOINTS:
        response = other.send(method, url, **extra)
        assert "管理员" in assert_error(response, 403, "forbidden"), (method, url)
    for url in ("/admin/users", "/admin/settings"):
        page = other.get(url)
        assert page.status_code == 403 and "此操作需要管理员权限" in page.text
    nav = lxml.html.fromstring(other.get("/evaluations").text)
    assert not nav.xpath('//nav/a[starts-with(@href, "/admin")]')
    assert store.settings() == {} and store.user("x") is None
    assert store.user(name).active  # type: ignore[union-attr]
    anonymous = TestClient(create_app(store=store))
    for method, url, extra in ADMIN_ENDPOINTS:
        assert_error(anonymous.request(method, url, **extra), 401, "unauthorized")
    assert anonymous.get("/admin/users", follow_redirects=False).status_code == 303


def test_the_admin_pages_and_openapi(store: Store) -> None:
    admin = As(store, "admin")
    nav = lxml.html.fromstring(admin.get("/evaluations").text)
    assert nav.xpath('//nav/a[@href="/admin/users"]') and nav.xpath(
        '//nav/a[@href="/admin/settings"]'
    )
    page = lxml.html.fromstring(admin.get("/admin/users").text)
    assert {"admin", "reviewer", "filler_a", "filler_b"} <= set(page.xpath("//tr/@data-user"))
    assert page.xpath('//form[@id="new-user"][@data-api="/api/users"]')
    settings = lxml.html.fromstring(admin.get("/admin/settings").text)
    assert "national-2020" in settings.xpath('string(//*[@id="current-scheme"])')
    assert set(settings.xpath('//form[@id="choose-scheme"]//option/@value')) == {
        "national-2020",
        "national-cost",
        "zhuzhou-lusong",
    }
    spec = admin.get("/openapi.json").json()
    for path, method in (
        ("/api/users", "get"),
        ("/api/users", "post"),
        ("/api/users/{user_id}", "patch"),
        ("/api/units", "get"),
        ("/api/settings", "get"),
        ("/api/settings", "put"),
    ):
        operation = spec["paths"][path][method]
        assert CHINESE.search(operation["summary"]) and operation["tags"] == ["管理"]


# ---- scheme and audit settings ----------------------------------------------------------------


def test_switching_the_scheme_changes_the_recomputed_score(store: Store) -> None:
    admin = As(store, "admin")
    evaluation = table(admin, "000_", "株洲市2022年度科技发展专项")
    url = f"/api/evaluations/{evaluation}"
    before = admin.get(url).json()["score"]
    assert (before["scheme"], before["total"]) == ("national-2020", 99.75)

    uploaded = upload_settings(admin, scheme_file=("本地方案.yaml", HALF_FUNDS))
    assert uploaded.status_code == 200, uploaded.text
    settings = uploaded.json()
    assert (settings["scheme"]["name"], settings["scheme"]["source"]) == (
        "strict-local",
        "uploaded",
    )
    assert settings["scheme_upload"]["file"] == "本地方案.yaml"
    after = admin.get(url).json()["score"]
    assert (after["scheme"], after["total"]) == ("strict-local", 94.75)
    # an edit rescores with it, so the list (the stored score) follows
    filler = As(store, "filler_a")
    edited = filler.send("PATCH", url, json={"changes": [{"path": "funds.score", "value": 10}]})
    assert edited.status_code == 200, edited.text
    listed = {
        i["id"]: i for i in admin.get("/api/evaluations", params={"size": 200}).json()["items"]
    }
    assert listed[evaluation]["total"] == 94.75

    # choosing a bundled scheme again (the upload stays on offer)
    back = admin.send("PUT", "/api/settings", data={"scheme": "national-2020"})
    assert back.status_code == 200, back.text
    assert {s["name"] for s in back.json()["schemes"]} >= {"national-2020", "strict-local"}
    assert admin.get(url).json()["score"]["total"] == 99.75
    unknown = admin.send("PUT", "/api/settings", data={"scheme": "no-such"})
    assert "no-such" in assert_error(unknown, 422, "invalid")
    assert admin.get("/api/settings").json()["scheme"]["name"] == "national-2020"
    # the page shows the choice and the uploaded file
    page = lxml.html.fromstring(admin.get("/admin/settings").text)
    assert page.xpath('//form[@id="choose-scheme"]//option[@selected]/@value') == ["national-2020"]
    assert "本地方案.yaml" in page.text_content()


BAD_FILES = [
    # (field, file name, text, the loader that reads such a file from disk)
    (
        "scheme_file",
        "坏方案.yaml",
        "name: bad-local\nextends: national-2020\ntitle: 坏\n"
        "qualitative:\n  achieved: [0.9, 1.2]\n",
        load_scheme,
    ),
    ("scheme_file", "坏格式.yaml", "name: x\n  title: [\n", load_scheme),
    (
        "scheme_file",
        "重名.yaml",
        "name: national-2020\nextends: national-2020\ntitle: 重名\n",
        None,
    ),
    (
        "scheme_file",
        "引用文件.yaml",
        "name: sneaky\nextends: /etc/passwd.yaml\ntitle: 偷看\n",
        None,
    ),
    ("audit_file", "坏设置.yaml", "rules:\n  ZZ99: {enabled: false}\n", load_audit_settings),
    (
        "audit_file",
        "坏选项.yaml",
        "rules:\n  TG01:\n    options: {no_such_option: 1}\n",
        load_audit_settings,
    ),
]


@pytest.mark.parametrize(("field", "file_name", "text", "loader"), BAD_FILES)
def test_a_bad_settings_file_gets_the_loaders_message_and_changes_nothing(
    store: Store, tmp_path: Path, field: str, file_name: str, text: str, loader: Any
) -> None:
    admin = As(store, "admin")
    evaluation = table(admin, "000_", "株洲市2022年度科技发展专项")
    before = admin.get("/api/settings").json()
    score = admin.get(f"/api/evaluations/{evaluation}").json()["score"]

    response = upload_settings(admin, **{field: (file_name, text)})
    message = assert_error(response, 422, "invalid")
    assert message.startswith(file_name)
    if loader is not None:  # the same words as for the file on disk, naming the upload
        on_disk = tmp_path / file_name
        on_disk.write_text(text, encoding="utf-8")
        with pytest.raises(LoadError) as expected:
            loader(str(on_disk))
        assert message == str(expected.value).replace(str(on_disk), file_name)
        assert re.match(rf"{re.escape(file_name)}:\d+: ", message)  # with its line
    assert store.settings() == {}
    assert admin.get("/api/settings").json() == before
    assert admin.get(f"/api/evaluations/{evaluation}").json()["score"] == score


def test_uploaded_audit_settings_check_uploads_and_edits(store: Store) -> None:
    admin = As(store, "admin")
    filler = As(store, "filler_a")
    evaluation = table(admin, "000_", "株洲市2022年度科技发展专项")
    url = f"/api/evaluations/{evaluation}"
    edit = {"changes": [{"path": "funds.score", "value": 10}]}
    codes = {f["code"] for f in filler.send("PATCH", url, json=edit).json()["findings"]}
    assert {"DV03", "TG01"} <= codes  # the recheck of an edit, with the default settings

    settings = "rules:\n  DV03: {enabled: false}\n  TG01: {severity: info}\n"
    response = upload_settings(admin, audit_file=("本地审核.yaml", settings))
    assert response.status_code == 200, response.text
    audit = response.json()["audit"]
    assert (audit["source"], audit["upload"]["file"]) == ("uploaded", "本地审核.yaml")
    assert audit["rules"]["DV03"]["enabled"] is False
    assert audit["rules"]["TG01"]["severity"] == "info"

    rechecked = filler.send("PATCH", url, json=edit).json()["findings"]
    assert "DV03" not in {f["code"] for f in rechecked}
    assert {f["severity"] for f in rechecked if f["code"] == "TG01"} == {"info"}
    # a new upload is checked with them too
    other = As(store, "filler_b")
    files = [("files", ("岳阳副本.txt", YUEYANG_2024.read_bytes() + b"\n", "text/plain"))]
    (result,) = other.send("POST", "/api/documents", files=files).json()["results"]
    assert result["status"] == "imported", result
    for new in result["evaluations"]:
        findings = other.get(f"/api/evaluations/{new}").json()["findings"]
        assert "DV03" not in {f["code"] for f in findings}
        assert {f["severity"] for f in findings if f["code"] == "TG01"} <= {"info"}

    reset = admin.send("PUT", "/api/settings", data={"audit_reset": "true"})
    assert reset.json()["audit"]["source"] == "default"
    codes = {f["code"] for f in filler.send("PATCH", url, json=edit).json()["findings"]}
    assert "DV03" in codes


def test_the_settings_form_with_its_csrf_field_and_a_stored_file_that_no_longer_loads(
    store: Store,
) -> None:
    admin = As(store, "admin")
    # the page's multipart form carries the token as a field, as the other forms do
    response = admin.client.put(
        "/api/settings", data={"scheme": "national-cost", "csrf_token": admin.csrf}
    )
    assert response.status_code == 200, response.text
    assert response.json()["chosen_by"] == "admin"
    assert_error(admin.client.put("/api/settings", data={"scheme": "national-2020"}), 403, "csrf")
    assert admin.get("/api/settings").json()["scheme"]["name"] == "national-cost"
    nothing = admin.send("PUT", "/api/settings", data={})
    assert "没有要保存的设置" in assert_error(nothing, 422, "invalid")

    # a stored file that a newer jixiao no longer accepts: the defaults, and the admin is told
    store.write_settings(
        {
            "scheme_upload": {"file": "旧方案.yaml", "content": "name: old\ntitle: 旧\n"},
            "scheme": {"name": "old"},
        },
        "admin",
    )
    data = admin.get("/api/settings").json()
    assert data["scheme"]["name"] == "national-2020" and data["scheme_upload"] is None
    assert any("旧方案.yaml" in problem for problem in data["problems"])
    evaluation = table(admin, "000_", "株洲市2022年度科技发展专项")
    assert admin.get(f"/api/evaluations/{evaluation}").json()["score"]["total"] == 99.75
    page = admin.get("/admin/settings")
    assert page.status_code == 200 and "旧方案.yaml" in page.text
