"""Ownership and versions (issue 12.1) through the store, the API and the pages, on SQLite
and PostgreSQL: an administrator's delete, kept whole in the trail (who, when, why, the
table with its sub-tables, history, comments and versions), gone from the list, the inbox
and the dashboard, refused to everyone else in Chinese; a corrected upload as the record's
next version, and any two versions compared field by field in the form's words; a
budget-time field corrected by the unit only with a reason, which the reviewer sees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from jixiao.service import Service
from jixiao.service.store import edit_evaluation, import_file
from jixiao.store import EvaluationFilter, ImportStatus, State, Store, StoreError, open_store
from tests.test_web_api import BACKENDS, REPORTS, UNIT_A, UNIT_B, _database, _people, assert_error
from tests.web_client import As

ZHUZHOU_2022 = REPORTS[0]  # a fund and its 6 支出方向, one file
YUEYANG_2024 = REPORTS[4]  # two tables in one file


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Seed 000 (a fund and its sub-directions) of unit A, seed 004 (two tables in one
    file) of unit B; the test people."""
    for url in _database(request, tmp_path):
        with open_store(url) as opened:
            _people(opened)
            service = Service()
            for path, unit in ((ZHUZHOU_2022, UNIT_A), (YUEYANG_2024, UNIT_B)):
                assert import_file(opened, service, path, unit=unit).error is None
            yield opened


def _tops(store: Store) -> dict[str, int]:
    """The top-level tables by name."""
    items = store.evaluations(EvaluationFilter(top_level=True), per_page=200).items
    return {str(item.name): item.id for item in items}


def _fund(store: Store) -> int:
    return next(i for name, i in _tops(store).items() if "科技发展专项" in name)


# ---- delete -----------------------------------------------------------------------------------


def test_an_admin_deletes_a_fund_with_its_sub_tables_kept_whole_in_the_trail(
    store: Store, tmp_path: Path
) -> None:
    service = Service()
    fund = _fund(store)
    before = store.counts()
    children = [i.id for i in store.evaluations(per_page=200).items if i.parent_id == fund]
    assert len(children) == 6
    # a history, a comment and a second version to keep
    edit_evaluation(store, service, fund, "goals.actual", "已完成全部目标", "filler_a")
    store.comment(fund, "reviewer", "请补充佐证材料")
    again = tmp_path / "更正版.txt"
    again.write_text(ZHUZHOU_2022.read_text(encoding="utf-8") + "\n更正。\n", encoding="utf-8")
    assert import_file(store, service, again, unit=UNIT_A, user="filler_a").outcome is not None
    assert store.evaluation(fund).evaluation.goals.actual != "已完成全部目标"

    for who in ("filler_a", "reviewer"):  # nobody but an administrator
        with pytest.raises(StoreError, match="只有管理员可以删除"):
            store.delete(fund, who, "重复上传")
    with pytest.raises(StoreError, match="请写明原因"):
        store.delete(fund, "admin", "  ")
    with pytest.raises(StoreError, match="支出方向（子表）随所属的自评表一起删除"):
        store.delete(children[0], "admin", "重复上传")

    entry = store.delete(fund, "admin", "单位重复上传，已与其确认")
    left = store.counts()
    assert left["evaluations"] == before["evaluations"] - 7
    assert left["documents"] == before["documents"] - 1  # both files of the fund went
    assert left["trail"] == 1 and left["evaluation_versions"] == 0
    assert left["comments"] == 0  # the history left is the other unit's tables' alone
    assert left["history"] == sum(len(store.evaluation(t).history) for t in _of_unit(store, UNIT_B))
    with pytest.raises(StoreError):
        store.evaluation(fund)
    assert fund not in _tops(store).values()
    # what was deleted can be told: who, when, why and the record as it stood
    (kept,) = store.deletions()
    assert (kept.id, kept.user, kept.action, kept.evaluation_id) == (
        entry.id,
        "admin",
        "delete",
        fund,
    )
    assert kept.note == "单位重复上传，已与其确认"
    assert kept.title is not None and "科技发展专项" in kept.title and UNIT_A in kept.title
    data = kept.data
    assert data["table"]["id"] == fund and data["table"]["unit"] == UNIT_A
    assert (
        data["table"]["revision"] == 2
        and data["table"]["data"]["name"] == kept.title.split("（")[0]
    )
    assert sorted(c["id"] for c in data["sub_tables"]) == sorted(children)
    assert [v["revision"] for v in data["versions"]] == [1] * 7  # the fund's, its 6 tables'
    first = next(v for v in data["versions"] if v["evaluation_id"] == fund)
    assert first["data"]["goals"]["actual"] == "已完成全部目标"
    assert [c["text"] for c in data["comments"]] == ["请补充佐证材料"]
    assert {h["action"] for h in data["history"]} >= {"import", "edit", "version"}
    assert sorted(d["file_name"] for d in data["documents"]) == sorted(
        [ZHUZHOU_2022.name, "更正版.txt"]
    )
    assert all(d["deleted"] and "content" not in d for d in data["documents"])
    assert set(data["users"].values()) >= {"filler_a", "reviewer"}
    assert data["findings"]  # the table's own and its report's
    # the same file again is a new record, not "already imported"
    back = import_file(store, service, ZHUZHOU_2022, unit=UNIT_A).outcome
    assert back is not None and back.status is ImportStatus.IMPORTED


def _of_unit(store: Store, unit: str) -> list[int]:
    items = store.evaluations(EvaluationFilter(top_level=True), per_page=200).items
    return sorted(item.id for item in items if item.unit == unit)


def test_a_file_with_another_table_left_is_kept(store: Store) -> None:
    """Seed 004 holds two tables: deleting one keeps the file, the other table, its
    findings and its report's findings (基础数据表)."""
    first, second = _of_unit(store, UNIT_B)
    kept_table = store.evaluation(second)
    before = store.counts()
    entry = store.delete(first, "admin", "误传")
    assert store.counts()["documents"] == before["documents"]
    assert [d["deleted"] for d in entry.data["documents"]] == [False]
    after = store.evaluation(second)
    assert after.findings == kept_table.findings
    assert after.report_findings == kept_table.report_findings and after.report_findings


def test_delete_through_the_api_and_the_pages(store: Store) -> None:
    """Refused to the unit and the reviewer (403, Chinese), to another unit (404: never told
    it exists), without a reason (422); an admin's delete removes the table from the list,
    the inbox and the dashboard, and the trail page and API show it."""
    admin, reviewer = As(store, "admin"), As(store, "reviewer")
    filler_a, filler_b = As(store, "filler_a"), As(store, "filler_b")
    fund = _fund(store)
    url = f"/api/evaluations/{fund}"
    assert (
        filler_a.send(
            "POST", f"{url}/transitions", json={"to": "submitted", "confirm": True}
        ).status_code
        == 200
    )
    counted = admin.get("/api/dashboard").json()["evaluations"]
    reason = {"reason": "重复上传"}

    page = admin.get(f"/evaluations/{fund}").text
    assert 'id="delete-form"' in page and "删除原因" in page and "删除记录" in page
    for other in (reviewer, filler_a):
        assert 'id="delete-form"' not in other.get(f"/evaluations/{fund}").text
        error = assert_error(other.send("DELETE", url, json=reason), 403, "forbidden")
        assert "只有管理员可以删除" in error["message"]
    assert_error(filler_b.send("DELETE", url, json=reason), 404, "not_found")
    for given in ({"json": {"reason": ""}}, {}):  # an empty reason, or no body at all
        error = assert_error(admin.send("DELETE", url, **given), 422, "invalid")
        assert error["details"] == {"path": "reason"} and "请写明原因" in error["message"]
    child = next(i.id for i in store.evaluations(per_page=200).items if i.parent_id == fund)
    assert 'id="delete-form"' not in admin.get(f"/evaluations/{child}").text
    assert_error(admin.send("DELETE", f"/api/evaluations/{child}", json=reason), 409)
    assert store.scope(fund) is not None  # nothing deleted so far

    done = admin.send("DELETE", url, json=reason)
    assert done.status_code == 200, done.text
    assert done.json()["deleted"] == fund and "科技发展专项" in done.json()["title"]
    assert_error(admin.get(url), 404, "not_found")
    listed = admin.get("/api/evaluations", params={"size": 200}).json()["items"]
    assert not {fund, child} & {item["id"] for item in listed}
    assert fund not in _inbox_ids(reviewer)
    assert admin.get("/api/dashboard").json()["evaluations"] == counted - 1

    trail = admin.get("/api/trail").json()["items"]
    assert [(t["evaluation_id"], t["user"], t["reason"], t["state"]) for t in trail] == [
        (fund, "admin", "重复上传", "submitted")
    ]
    assert trail[0]["state_label"] == "已提交" and trail[0]["sub_tables"] == 6
    whole = admin.get(f"/api/trail/{trail[0]['id']}").json()
    assert whole["data"]["table"]["id"] == fund and len(whole["data"]["sub_tables"]) == 6
    assert_error(admin.get("/api/trail/99999"), 404, "not_found")
    shown = admin.get("/admin/trail").text
    assert "重复上传" in shown and "已提交" in shown and trail[0]["title"] in shown
    for other in (reviewer, filler_a):
        assert_error(other.get("/api/trail"), 403, "forbidden")
        assert_error(other.get(f"/api/trail/{trail[0]['id']}"), 403, "forbidden")


def _inbox_ids(reviewer: As) -> list[Any]:
    return [item["id"] for item in reviewer.get("/api/review/inbox").json()["items"]]


def test_an_approved_table_is_deleted_with_its_state_kept(store: Store) -> None:
    """A table of another unit, approved: still an administrator's to delete, its state
    and its steps kept."""
    table = _of_unit(store, UNIT_B)[0]
    for who, to in (("filler_b", State.SUBMITTED), ("reviewer", State.APPROVED)):
        store.transition(table, to, who)
    entry = store.delete(table, "admin", "测试数据")
    assert entry.data["table"]["state"] == "approved"
    steps = [h["new"] for h in entry.data["history"] if h["action"] == "state"]
    assert steps == ["submitted", "approved"]


# ---- versions: the list and the comparison of two ---------------------------------------------

LUSONG_YAML = REPORTS[0].parent.parent / "lusong-2023-department.yaml"
INTERNAL = re.compile(r"indicators\[|funds\.|\.actual\b|\.target\b|\brevision\b")


def _upload(user: As, name: str, content: bytes) -> dict[str, Any]:
    files = {"files": (name, content, "application/octet-stream")}
    (result,) = user.send("POST", "/api/documents", files=files).json()["results"]
    return dict(result)


def _corrected(text: str) -> bytes:
    """Seed 001's transcription with 第1个指标's actual 20 → 21 and an indicator added."""
    assert "actual: '20'," in text
    added = (
        "  - {level1: 产出指标, level2: 数量指标, name: 新增科技型中小企业, target: 5家, "
        "actual: '6', weight: 0, score: 0, deviation: null}\n"
    )
    text = text.replace("actual: '20',", "actual: '21',", 1)
    return text.replace("total: {weight: 90", added + "total: {weight: 90", 1).encode()


def test_a_corrected_upload_is_the_next_version_and_the_page_compares_two(
    store: Store,
) -> None:
    """The unit uploads seed 001's transcription, then a corrected one: one record at
    第2版, both versions listed (file, who, when), and what changed named as the form
    names it (第1个指标的“实际完成值” 20 → 21, 第11个指标 新增); any two may be chosen; a
    version the record has not is refused in Chinese; another unit never sees them."""
    filler_a, filler_b = As(store, "filler_a"), As(store, "filler_b")
    text = LUSONG_YAML.read_text(encoding="utf-8")
    first = _upload(filler_a, "芦淞2023.yaml", text.encode())
    assert first["status"] == "imported", first
    (table,) = first["evaluations"]
    page = lxml.html.fromstring(filler_a.get(f"/evaluations/{table}").text)
    assert page.xpath('//section[@id="versions"]//tbody/tr/td[1]/text()') == ["第1版 "]
    assert not page.xpath('//form[@id="compare-form"]')
    second = _upload(filler_a, "芦淞2023（更正）.yaml", _corrected(text))
    assert second["status"] == "imported" and second["evaluations"] == [table], second
    assert "新版本" in second["message"]

    url = f"/api/evaluations/{table}/versions"
    versions = filler_a.get(url).json()["versions"]
    assert [(v["label"], v["file"], v["uploaded_by"], v["current"]) for v in versions] == [
        ("第1版", "芦淞2023.yaml", "filler_a", False),
        ("第2版", "芦淞2023（更正）.yaml", "filler_a", True),
    ]
    assert versions[0]["replaced_at"] and versions[1]["replaced_at"] is None
    compared = filler_a.get(f"{url}/compare", params={"old": 1, "new": 2}).json()
    shown = [(c["label"], c["kind_label"], c["old"], c["new"]) for c in compared["changes"]]
    assert shown[0] == ("第1个指标的“实际完成值”", "修改", "20", "21")
    assert ("第11个指标", "新增", "（无）", "新增科技型中小企业") in shown
    assert all(not INTERNAL.search(c["label"]) for c in compared["changes"])
    back = filler_a.get(f"{url}/compare", params={"old": 2, "new": 1}).json()["changes"]
    assert (back[0]["old"], back[0]["new"]) == ("21", "20")
    assert ("第11个指标", "删除") in [(c["label"], c["kind_label"]) for c in back]
    error = assert_error(filler_a.get(f"{url}/compare", params={"old": 1, "new": 3}), 404)
    assert error["message"] == "这张自评表没有第3版"
    assert_error(filler_a.get(f"{url}/compare", params={"old": 2, "new": 2}), 422, "invalid")
    assert_error(filler_b.get(url), 404, "not_found")
    assert_error(filler_b.get(f"{url}/compare", params={"old": 1, "new": 2}), 404, "not_found")

    # the page: the versions, the last two compared, rows as the form names them
    page = lxml.html.fromstring(filler_a.get(f"/evaluations/{table}").text)
    section = page.xpath('//section[@id="versions"]')[0]
    rows = section.xpath(".//table[1]/tbody/tr")
    assert [r.get("data-revision") for r in rows] == ["1", "2"]
    assert "芦淞2023（更正）.yaml" in rows[1].text_content() and "当前" in rows[1].text_content()
    title = section.xpath('.//h3[@id="comparison-title"]')[0].text_content()
    assert title.startswith("第1版 → 第2版：") and f"{len(shown)} 处改动" in title
    cells = [
        [td.text_content() for td in tr.xpath("td")]
        for tr in section.xpath('.//table[contains(@class, "comparison")]/tbody/tr')
    ]
    assert cells[0] == ["第1个指标的“实际完成值”", "修改", "20", "21"]
    assert not INTERNAL.search(section.text_content())
    chosen = lxml.html.fromstring(filler_a.get(f"/evaluations/{table}?old=2&new=1").text)
    assert (
        chosen.xpath('//h3[@id="comparison-title"]')[0].text_content().startswith("第2版 → 第1版")
    )
    wrong = lxml.html.fromstring(filler_a.get(f"/evaluations/{table}?old=1&new=7").text)
    assert wrong.xpath('//section[@id="versions"]//p[@role="alert"]/text()') == [
        "这张自评表没有第7版"
    ]


def test_changes_between_two_datas_compare_numbers_by_value() -> None:
    from decimal import Decimal

    from jixiao.store.versions import changes_between

    old = {"funds": {"score": Decimal("9.0"), "source": {"line": 3}}, "indicators": []}
    new = {"funds": {"score": 9, "source": {"line": 4}}, "indicators": [{"name": "甲"}]}
    (change,) = changes_between(old, new)
    assert (str(change.path), change.kind, change.new) == ("indicators[0]", "added", {"name": "甲"})
    assert changes_between(new, new) == []


# ---- budget-time fields corrected by the unit, with a reason -----------------------------------


def test_the_unit_corrects_a_target_with_a_reason_and_the_reviewer_sees_it(
    store: Store,
) -> None:
    """A 填报 PATCH of 年度指标值 without a reason is refused (403, Chinese, naming the field
    as the form does), nothing changed; with one it is taken: the history says 更正 with the
    reason, and the page marks the cell (原 → 新) and lists it under 预算数据更正."""
    filler, reviewer = As(store, "filler_a"), As(store, "reviewer")
    table = _fund(store)
    url = f"/api/evaluations/{table}"
    before = filler.get(url).json()
    target = before["evaluation"]["indicators"][0]["target"]
    change = {"changes": [{"path": "indicators[0].target", "value": "≥12项"}]}

    for reason in ("", "   "):
        refused = filler.send("PATCH", url, json={**change, "reason": reason})
        error = assert_error(refused, 403, "reason_required")
        assert error["details"] == {"path": "reason"}
        assert "第1个指标的“年度指标值”在预算编制时确定" in error["message"]
        assert "请写明更正原因" in error["message"]
    assert filler.get(url).json()["version"] == before["version"]

    reason = "录入时把批复的 12 项误写，按预算批复文件更正"
    taken = filler.send("PATCH", url, json={**change, "reason": reason})
    assert taken.status_code == 200, taken.text
    assert taken.json()["evaluation"]["indicators"][0]["target"] == "≥12项"
    (row,) = [h for h in filler.get(f"{url}/history").json() if h["action"] == "correct"]
    assert (row["field_label"], row["old"], row["new"], row["note"]) == (
        "第1个指标的“年度指标值”",
        target,
        "≥12项",
        reason,
    )
    page = lxml.html.fromstring(reviewer.get(f"/evaluations/{table}").text)
    (cell,) = page.xpath('//td[@data-path="indicators[0].target"]')
    assert "corrected" in cell.get("class").split()
    (was,) = cell.xpath('.//span[@class="was"]')
    assert was.text_content() == f"原：{target} → 新：≥12项" and reason in was.get("title")
    listed = page.xpath('//section[@class="corrections"]')[0].text_content()
    assert "第1个指标的“年度指标值”" in listed and reason in listed
    history = page.xpath('//section[@class="history"]//tbody/tr[td[3]="更正"]')
    assert history and reason in history[0].text_content()
