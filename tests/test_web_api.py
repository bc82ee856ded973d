"""The web app's JSON API through FastAPI's TestClient, on SQLite and on PostgreSQL
(conftest.postgres_url: JIXIAO_TEST_PG or a throwaway server, skipped without it): login,
sessions, CSRF, throttling, the list, one evaluation with its findings' paths, edits, the
workflow, uploads, exports, access control, errors."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from jixiao.audit import AuditSettings
from jixiao.document import evaluation_schema
from jixiao.service import Service
from jixiao.service.store import import_file, prepare
from jixiao.store import Role, Store, open_store
from jixiao.store import users as store_users
from jixiao.web import _uploads
from jixiao.web.deps import WebSettings
from tests.conftest import SAMPLES, postgres_schema
from tests.web_client import CHINESE, PASSWORD, As, client_for, login

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
ZHUZHOU_2022, LUSONG_2023, YUEYANG_2024 = REPORTS[0], REPORTS[1], REPORTS[4]
LUSONG_YAML = SAMPLES / "lusong-2023-department.yaml"
UNIT_A, UNIT_B = "株洲市芦淞区科技和工业信息化局", "岳阳市科学技术局"


def _database(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A SQLite file in ``folder``, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(folder / "jixiao.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url"), "w") as url:
        yield url


BACKENDS = ["sqlite", "postgresql"]


def _people(store: Store) -> None:
    store.add_user("filler_a", Role.FILLER, PASSWORD, unit=UNIT_A)
    store.add_user("filler_b", Role.FILLER, PASSWORD, unit=UNIT_B)
    store.add_user("reviewer", Role.REVIEWER, PASSWORD)
    store.add_user("admin", Role.ADMIN, PASSWORD)


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """Seeds 000 and 001 in unit A, 004 in unit B; shared by the tests that only read (or
    edit tables no other test reads)."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    saved, store_users._hasher = store_users._hasher, hasher
    try:
        for url in _database(request, tmp_path_factory.mktemp("web")):
            with open_store(url) as store:
                service = Service()
                for path, unit in (
                    (ZHUZHOU_2022, UNIT_A),
                    (LUSONG_2023, UNIT_A),
                    (YUEYANG_2024, UNIT_B),
                ):
                    assert import_file(store, service, path, unit=unit).error is None
                # seed 001 again from its YAML transcription, a record of its own: a bulk
                # load (an upload would make it the record's next version)
                yaml = prepare(service, LUSONG_YAML, LUSONG_YAML.read_bytes(), AuditSettings())
                store.import_documents([dataclasses.replace(yaml, unit=UNIT_A)])
                _people(store)
                yield store
    finally:
        store_users._hasher = saved


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for url in _database(request, tmp_path):
        with open_store(url) as store:
            _people(store)
            yield store


def _find(store: Store, name: str, document_prefix: str = "") -> int:
    client = As(store, "admin")
    items = client.get("/api/evaluations", params={"q": name, "size": 200}).json()["items"]
    found = [i["id"] for i in items if i["document"]["name"].startswith(document_prefix)]
    assert found, name
    return found[0]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert CHINESE.search(body["error"]["message"]), body
    assert "Traceback" not in response.text
    if code is not None:
        assert body["error"]["code"] == code
    error: dict[str, Any] = body["error"]
    return error


# ---- logging in ----


def test_login_sets_a_session_cookie_and_logout_ends_it(seeded: Store) -> None:
    client = client_for(seeded)
    assert_error(client.get("/api/me"), 401, "unauthorized")
    response = login(client, "filler_a")
    assert response.status_code == 303 and response.headers["location"] == "/evaluations"
    cookie = next(c for c in response.headers.get_list("set-cookie") if "jixiao_session=" in c)
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    me = client.get("/api/me").json()
    assert (me["name"], me["role"], me["unit"]) == ("filler_a", "filler", UNIT_A)
    session = client.cookies.get("jixiao_session")
    # logging out needs the CSRF token too
    assert client.post("/logout", follow_redirects=False).status_code == 403
    out = client.post("/logout", headers={"X-CSRF-Token": me["csrf_token"]}, follow_redirects=False)
    assert out.status_code == 303
    assert_error(client.get("/api/me"), 401)
    # the old cookie is dead on the server, not only forgotten by the browser
    client.cookies.set("jixiao_session", session or "")
    assert_error(client.get("/api/me"), 401)


def test_wrong_password_and_login_without_its_csrf_cookie(seeded: Store) -> None:
    client = client_for(seeded)
    assert login(client, "filler_a", "wrong password").status_code == 401
    assert "用户名或密码不正确" in login(client, "filler_a", "wrong password").text
    bare = client_for(seeded)  # never fetched /login: no cookie to match
    posted = bare.post(
        "/login",
        data={"name": "filler_a", "password": PASSWORD, "csrf_token": "made-up"},
        follow_redirects=False,
    )
    assert posted.status_code == 403
    assert bare.cookies.get("jixiao_session") is None


def test_login_is_throttled_per_name_and_address(fresh: Store) -> None:
    settings = WebSettings(login_failures=3, login_window=timedelta(minutes=15))
    client = client_for(fresh, settings)
    for _ in range(3):
        assert login(client, "filler_a", "wrong password").status_code == 401
    refused = login(client, "filler_a")  # the right password, too late
    assert refused.status_code == 429
    assert "登录失败次数过多" in refused.text and "15 分钟" in refused.text
    assert client.cookies.get("jixiao_session") is None
    # another name from the same address is not blocked
    assert login(client_for(fresh, settings), "filler_b").status_code == 303
    # and with the window over (a zero-length window), the first name may log in again
    later = WebSettings(login_failures=3, login_window=timedelta(0))
    assert login(client_for(fresh, later), "filler_a").status_code == 303


def test_unknown_next_targets_stay_on_this_site(seeded: Store) -> None:
    client = client_for(seeded)
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "name": "reviewer",
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": client.cookies.get("jixiao_csrf") or "",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


# ---- CSRF and tokens ----


def test_state_changes_need_the_csrf_token_bearer_calls_do_not(seeded: Store) -> None:
    evaluation = _find(seeded, UNIT_A, "001_")
    user = As(seeded, "filler_a")
    change = {"changes": [{"path": "goals.actual", "value": "保持科技创新工作稳定推进"}]}
    url = f"/api/evaluations/{evaluation}"
    assert_error(user.client.patch(url, json=change), 403, "csrf")
    assert_error(user.send("PATCH", url, json=change, headers={"X-CSRF-Token": "x"}), 403, "csrf")
    assert user.send("PATCH", url, json=change).status_code == 200
    assert_error(user.client.post(f"{url}/comments", json={"text": "好"}), 403, "csrf")
    token = seeded.create_token("filler_a", "测试")
    bearer = client_for(seeded)
    auth = {"Authorization": f"Bearer {token}"}
    assert bearer.get("/api/me", headers=auth).json()["name"] == "filler_a"
    assert bearer.patch(url, json=change, headers=auth).status_code == 200
    assert_error(bearer.get("/api/me", headers={"Authorization": "Bearer jx_nope"}), 401)
    seeded.revoke_tokens("filler_a")
    assert_error(bearer.get("/api/me", headers=auth), 401)


# ---- the list ----


def test_list_filters_search_and_paging(seeded: Store) -> None:
    admin = As(seeded, "admin")

    def listing(**params: Any) -> Any:
        response = admin.get("/api/evaluations", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    everything = listing(size=200)
    # seed 000: a fund and its 6 支出方向 (2022); 001: one department table (2023), and the
    # same again from its YAML transcription; 004: a department table and a project (2024)
    assert everything["total"] == 7 + 1 + 1 + 2
    assert {i["year"] for i in listing(year=2022)["items"]} == {2022}
    assert listing(year=2022)["total"] == 7
    assert listing(kind="department")["total"] == 3
    assert listing(q="岳阳")["total"] == 2
    assert listing(q="芦淞", year=2023)["total"] == 2
    assert listing(state="draft")["total"] == everything["total"]
    assert listing(state="approved")["total"] == 0
    first, last = listing(size=4, page=1), listing(size=4, page=3)
    assert (first["total"], len(first["items"]), len(last["items"])) == (11, 4, 3)
    ids = [i["id"] for page in (1, 2, 3) for i in listing(size=4, page=page)["items"]]
    assert sorted(ids) == sorted(i["id"] for i in everything["items"])
    with_errors = listing(has_errors="true", size=200)
    without = listing(has_errors="false", size=200)
    assert with_errors["total"] + without["total"] == everything["total"]
    assert all(i["errors"] > 0 for i in with_errors["items"])
    assert all(i["errors"] == 0 for i in without["items"])
    item = next(i for i in everything["items"] if i["document"]["name"].startswith("001_"))
    assert item["name"] == UNIT_A and item["unit"] == UNIT_A and item["state_label"] == "草稿"
    assert_error(admin.get("/api/evaluations", params={"year": "二〇二三"}), 422, "invalid")
    assert_error(admin.get("/api/evaluations", params={"state": "done"}), 422, "invalid")


# ---- one evaluation, edits ----


def test_get_has_the_contract_shape_and_finding_paths(seeded: Store) -> None:
    evaluation = _find(seeded, UNIT_A, "001_")
    body = As(seeded, "reviewer").get(f"/api/evaluations/{evaluation}").json()
    jsonschema.validate(body["evaluation"], evaluation_schema())
    assert body["document"]["name"] == LUSONG_2023.name
    assert (body["state"], body["state_label"], body["unit"]) == ("draft", "草稿", UNIT_A)
    # the 年度资金总额 row of seed 001: 1452.61 budgeted, 1451.29 executed, 10 points, 99.91 %
    funds = body["evaluation"]["funds"]
    assert (funds["annual_budget"], funds["executed"], funds["rate"]) == (1452.61, 1451.29, 99.91)
    assert body["score"]["execution_rate"] == 99.91
    assert body["score"]["execution_score"] == 9.99  # 99.91 % x 10
    fd02 = [f for f in body["findings"] if f["code"] == "FD02"]
    assert len(fd02) == 1 and fd02[0]["path"] == "funds.score"
    for finding in body["findings"]:
        assert {"code", "severity", "message", "table", "indicator", "field", "path"} <= set(
            finding
        )
        match = re.fullmatch(r"indicators\[(\d+)\]\.(\w+)", finding["path"] or "")
        if match:  # the path names the very indicator the finding is about
            indicator = body["evaluation"]["indicators"][int(match.group(1))]
            assert indicator["name"] == finding["indicator"]
    assert len(body["score"]["indicators"]) == len(body["evaluation"]["indicators"])


def test_patch_rescores_and_rechecks(seeded: Store) -> None:
    evaluation = _find(seeded, UNIT_A, "001_")
    user = As(seeded, "filler_a")
    url = f"/api/evaluations/{evaluation}"
    before = user.get(url).json()
    assert "FD02" in {f["code"] for f in before["findings"]}
    response = user.send("PATCH", url, json={"changes": [{"path": "funds.score", "value": 9.99}]})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["evaluation"]["funds"]["score"] == 9.99
    assert "FD02" not in {f["code"] for f in after["findings"]}
    assert after["version"] == before["version"] + 1
    history = user.get(f"{url}/history").json()
    edit = history[-1]
    assert (edit["action"], edit["path"], edit["old"], edit["new"], edit["user"]) == (
        "edit",
        "funds.score",
        9,
        9.99,
        "filler_a",
    )
    # a number field given text that is no number: 422 naming the field, nothing stored
    bad = user.send("PATCH", url, json={"changes": [{"path": "funds.score", "value": "九分"}]})
    assert assert_error(bad, 422, "invalid")["message"] == "资金：得分应为数字，收到“九分”"
    nowhere = user.send(
        "PATCH", url, json={"changes": [{"path": "indicators[999].actual", "value": "1"}]}
    )
    assert assert_error(nowhere, 422)["message"] == "第1000个指标不存在"
    garbled = user.send("PATCH", url, json={"changes": [{"path": "funds..score", "value": 1}]})
    assert "字段路径无法识别" in assert_error(garbled, 422, "invalid")["message"]
    stale = user.send(
        "PATCH",
        url,
        json={"changes": [{"path": "funds.score", "value": 9}], "version": before["version"]},
    )
    assert_error(stale, 409, "conflict")
    assert user.get(url).json()["evaluation"]["funds"]["score"] == 9.99


def test_the_workflow_with_roles_comments_and_history(seeded: Store) -> None:
    evaluation = _find(seeded, UNIT_A, "lusong-")
    filler, reviewer = As(seeded, "filler_a"), As(seeded, "reviewer")
    url = f"/api/evaluations/{evaluation}"

    def step(user: As, to: str, comment: str = "") -> Any:
        # confirmed: the questions a step asks first are tests/test_web_review.py's
        body = {"to": to, "comment": comment, "confirm": True}
        return user.send("POST", f"{url}/transitions", json=body)

    assert_error(step(reviewer, "approved"), 409, "state")  # a draft is not submitted yet
    assert step(filler, "submitted").json()["state"] == "submitted"
    assert_error(step(filler, "approved"), 403, "forbidden")
    edit = {"changes": [{"path": "indicators[0].actual", "value": "12项"}]}
    assert_error(filler.send("PATCH", url, json=edit), 409, "state")  # submitted: locked
    assert_error(reviewer.send("PATCH", url, json=edit), 403, "forbidden")
    assert_error(step(reviewer, "returned"), 422)  # a return says why
    returned = step(reviewer, "returned", "执行率得分应为 9.99 分，请修改")
    assert (returned.json()["state"], returned.json()["state_label"]) == ("returned", "已退回")
    assert filler.send("PATCH", url, json=edit).status_code == 200
    assert step(filler, "submitted", "已按意见修改").status_code == 200
    assert step(reviewer, "approved").json()["state"] == "approved"
    assert_error(step(filler, "published"), 403)
    assert step(reviewer, "published").json()["state_label"] == "已公开"
    said = reviewer.send("POST", f"{url}/comments", json={"text": "已公开，存档"})
    assert said.status_code == 201
    comments = filler.get(f"{url}/comments").json()
    assert [(c["user"], c["step"], c["text"]) for c in comments] == [
        ("reviewer", "returned", "执行率得分应为 9.99 分，请修改"),
        ("filler_a", "submitted", "已按意见修改"),
        ("reviewer", "published", "已公开，存档"),
    ]
    history = filler.get(f"{url}/history").json()
    assert [(h["action"], h["user"], h["new"]) for h in history] == [
        ("import", None, None),
        ("state", "filler_a", "submitted"),
        ("state", "reviewer", "returned"),
        ("edit", "filler_a", "12项"),
        ("state", "filler_a", "submitted"),
        ("state", "reviewer", "approved"),
        ("state", "reviewer", "published"),
    ]


# ---- uploads ----


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_upload_files_and_a_zip_with_good_and_bad_members(fresh: Store) -> None:
    user = As(fresh, "filler_a")
    archive = _zip(
        {
            "报告/001.txt": LUSONG_2023.read_bytes(),
            "报告/坏文件.docx": b"this is not a word file",
            "说明.exe": b"MZ",
            "__MACOSX/._001.txt": b"resource fork",
        }
    )
    files = [
        ("files", ("批量.zip", archive, "application/zip")),
        ("files", (ZHUZHOU_2022.name, ZHUZHOU_2022.read_bytes(), "text/plain")),
        ("files", ("again.txt", LUSONG_2023.read_bytes(), "text/plain")),
    ]
    response = user.send("POST", "/api/documents", files=files)
    assert response.status_code == 200, response.text
    results = {r["file"]: r for r in response.json()["results"]}
    assert set(results) == {
        "批量.zip/报告/001.txt",
        "批量.zip/报告/坏文件.docx",
        "批量.zip/说明.exe",
        ZHUZHOU_2022.name,
        "again.txt",
    }
    assert results["批量.zip/报告/001.txt"]["status"] == "imported"
    assert len(results["批量.zip/报告/001.txt"]["evaluations"]) == 1
    # 株洲市科学技术局's report is not unit A's to file
    refused = results[ZHUZHOU_2022.name]
    assert refused["status"] == "failed" and refused["evaluations"] == []
    assert "“株洲市科学技术局”" in refused["message"] and ZHUZHOU_2022.name in refused["message"]
    assert results["again.txt"]["status"] == "exists"  # same bytes as the zip's 001.txt
    assert results["again.txt"]["evaluations"] == results["批量.zip/报告/001.txt"]["evaluations"]
    bad = results["批量.zip/报告/坏文件.docx"]
    assert bad["status"] == "failed" and "坏文件.docx" in bad["message"]
    assert "/tmp" not in bad["message"] and "jixiao-upload" not in bad["message"]
    assert results["批量.zip/说明.exe"]["status"] == "failed"
    assert "不支持" in results["批量.zip/说明.exe"]["message"]
    listed = user.get("/api/evaluations", params={"size": 200}).json()
    assert listed["total"] == 1 and {i["unit"] for i in listed["items"]} == {UNIT_A}
    # a reviewer files it for the unit it names (or the unit chosen)
    reviewer = As(fresh, "reviewer")
    (filed,) = reviewer.send("POST", "/api/documents", files=files[1:2]).json()["results"]
    assert filed["status"] == "imported" and len(filed["evaluations"]) == 7  # fund, 6 支出方向
    units = {
        i["unit"] for i in reviewer.get("/api/evaluations", params={"size": 200}).json()["items"]
    }
    assert units == {UNIT_A, "株洲市科学技术局"}


def test_a_zip_bomb_is_refused_before_unpacking(
    fresh: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_uploads, "ZIP_LIMIT", 50_000)
    bomb = _zip({"a.txt": b"0" * 60_000})  # compresses to a few hundred bytes
    user = As(fresh, "filler_a")
    response = user.send("POST", "/api/documents", files=[("files", ("炸弹.zip", bomb))])
    (result,) = response.json()["results"]
    assert result["status"] == "failed" and "压缩炸弹" in result["message"]
    assert fresh.counts()["documents"] == 0


# ---- exports ----


def test_exports_open_in_office_libraries(seeded: Store) -> None:
    import docx
    import openpyxl

    evaluation = _find(seeded, UNIT_B, "004_")
    user = As(seeded, "filler_b")
    name = user.get(f"/api/evaluations/{evaluation}").json()["evaluation"]["name"]
    for fmt in ("xlsx", "docx", "review-docx", "review-xlsx"):
        response = user.get(f"/api/evaluations/{evaluation}/export", params={"format": fmt})
        assert response.status_code == 200, (fmt, response.text[:300])
        disposition = response.headers["content-disposition"]
        chinese = unquote(disposition.split("filename*=UTF-8''", 1)[1])
        assert name in chinese and chinese.endswith(fmt.rsplit("-", 1)[-1])
        content = io.BytesIO(response.content)
        if fmt.endswith("xlsx"):
            book = openpyxl.load_workbook(content)
            cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row]
            text_ = " ".join(cells)
        else:
            document = docx.Document(content)
            paragraphs = [p.text for p in document.paragraphs]
            cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
            text_ = " ".join(paragraphs + cells)
        assert name in text_ or "审核意见" in text_, fmt
        if fmt.startswith("review"):
            # the report's own finding (基础数据表 95 vs 85) is in the opinion too
            assert "审核意见" in text_ and "XC05" in text_
    assert_error(user.get(f"/api/evaluations/{evaluation}/export?format=odt"), 422)


# ---- access control: every endpoint, every way round ----

ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/evaluations/{id}", {}),
    ("PATCH", "/api/evaluations/{id}", {"json": {"changes": [{"path": "grade", "value": "优"}]}}),
    ("POST", "/api/evaluations/{id}/transitions", {"json": {"to": "submitted"}}),
    ("GET", "/api/evaluations/{id}/comments", {}),
    ("POST", "/api/evaluations/{id}/comments", {"json": {"text": "看看"}}),
    ("GET", "/api/evaluations/{id}/history", {}),
    ("GET", "/api/evaluations/{id}/export?format=xlsx", {}),
    ("GET", "/api/evaluations/{id}/export?format=review-xlsx", {}),
]


@pytest.mark.parametrize(("method", "url", "extra"), ENDPOINTS)
def test_a_filler_never_reaches_another_units_evaluation(
    seeded: Store, method: str, url: str, extra: dict[str, Any]
) -> None:
    theirs = _find(seeded, UNIT_B, "004_")
    before = As(seeded, "admin").get(f"/api/evaluations/{theirs}").json()
    response = As(seeded, "filler_a").send(method, url.format(id=theirs), **extra)
    error = assert_error(response, 404, "not_found")
    assert UNIT_B not in error["message"]
    # nothing changed, and a missing id answers exactly the same
    after = As(seeded, "admin").get(f"/api/evaluations/{theirs}").json()
    assert (after["version"], after["state"], after["comments"]) == (
        before["version"],
        before["state"],
        before["comments"],
    )
    missing = As(seeded, "filler_a").send(method, url.format(id=999_999), **extra)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"].replace("999999", "") == error["message"].replace(
        str(theirs), ""
    )


@pytest.mark.parametrize(("method", "url", "extra"), ENDPOINTS)
def test_every_endpoint_needs_a_login(
    seeded: Store, method: str, url: str, extra: dict[str, Any]
) -> None:
    response = client_for(seeded).request(method, url.format(id=1), **extra)
    assert_error(response, 401, "unauthorized")


def test_a_filler_lists_and_uploads_only_within_its_unit(seeded: Store) -> None:
    theirs = _find(seeded, UNIT_B, "004_")
    mine = As(seeded, "filler_a")
    for params in ({}, {"q": "岳阳"}, {"year": 2024}, {"size": 200}):
        items = mine.get("/api/evaluations", params=params).json()["items"]
        assert all(i["unit"] == UNIT_A for i in items)
        assert theirs not in {i["id"] for i in items}
    assert mine.get("/api/evaluations", params={"q": "岳阳"}).json()["total"] == 0
    assert_error(client_for(seeded).get("/api/evaluations"), 401)
    # uploading unit B's file (stored under B) tells unit A nothing of B's copy: it is
    # refused for what the report says, as any unit's report would be
    files = [("files", ("copy.txt", YUEYANG_2024.read_bytes(), "text/plain"))]
    (result,) = mine.send("POST", "/api/documents", files=files).json()["results"]
    assert result["status"] == "failed" and result["evaluations"] == []
    assert "已导入" not in result["message"] and "已存在" not in result["message"]
    assert f"不是本单位“{UNIT_A}”" in result["message"] and "copy.txt" in result["message"]
    # B's own filler sees its two tables
    theirs_listed = As(seeded, "filler_b").get("/api/evaluations").json()
    assert theirs_listed["total"] == 2


# ---- one error shape, the documentation ----


def test_one_error_shape_for_framework_errors_and_crashes(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = As(seeded, "admin")
    assert_error(admin.get("/api/no-such-thing"), 404, "not_found")
    assert_error(admin.send("DELETE", "/api/evaluations"), 405, "method_not_allowed")
    assert_error(admin.get("/api/evaluations/abc"), 422, "invalid")
    assert_error(admin.send("PATCH", "/api/evaluations/1", json={"changes": []}), 422)
    assert_error(admin.send("PATCH", "/api/evaluations/1", content=b"{not json"), 422)

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "listed", broken)
    crashing = TestClient(admin.client.app, raise_server_exceptions=False)
    crashing.cookies = admin.client.cookies
    response = crashing.get("/api/evaluations")
    error = assert_error(response, 500, "internal")
    assert "secret" not in response.text and "RuntimeError" not in response.text
    assert error["details"] == {}


def test_docs_work_offline_and_every_operation_has_a_chinese_summary(seeded: Store) -> None:
    client = client_for(seeded, WebSettings(public_docs=True))
    spec = client.get("/openapi.json").json()
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if path.startswith("/api") or path in ("/login", "/logout")
    ]
    assert {("/api/evaluations/{evaluation_id}", "patch"), ("/api/documents", "post")} <= {
        (path, method) for path, method, _ in operations
    }
    page = client.get("/docs")
    assert page.status_code == 200
    assert "<script" not in page.text and "cdn" not in page.text.lower()
    assert 'href="/openapi.json"' in page.text
    for path, method, operation in operations:
        assert CHINESE.search(operation.get("summary", "")), (path, method)
        assert path in page.text and operation["summary"] in page.text
    assert client.get("/redoc").status_code == 404
