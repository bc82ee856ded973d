"""The reviewer's desk (issue 12.2) and the signed opinion (12.3), through the API and the
pages, on SQLite and PostgreSQL: decisions on findings that follow their finding through
edits and go into the history; steps that ask first (submitting with errors, approving with
findings still to change, 公开); the 待审核 inbox, sorted, with batch steps under one
comment; the unit's notice of a returned table and the menu's counts; notes on cells; and
the 审核意见书 of a seed table in each state, read back for internal field names and for
the conclusion the state calls for."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from jixiao.config import bundled_schemes
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Store, open_store
from tests.test_web_api import BACKENDS, REPORTS, UNIT_A, UNIT_B, _database, _people, assert_error
from tests.web_client import As

SEED_001 = next(p for p in REPORTS if p.name.startswith("001_"))
# what must never reach a person: the model's field paths, the schemes' ids
INTERNAL = re.compile(
    r"indicators\[|funds\.|\.weight\b|\.score\b|\.actual\b|\.target\b|\.deviation\b"
    r"|level1_weights|total\.|goals\.|basic_data|expenses\."
    + "".join(f"|{re.escape(name)}" for name in bundled_schemes())
)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Seeds 001 and 000 of unit A, 004 of unit B, each a table or more; the demo people."""
    for url in _database(request, tmp_path):
        with open_store(url) as opened:
            _people(opened)
            service = Service()
            for path, unit in ((SEED_001, UNIT_A), (REPORTS[0], UNIT_A), (REPORTS[4], UNIT_B)):
                assert import_file(opened, service, path, unit=unit).error is None
            yield opened


def _table(user: As, prefix: str) -> int:
    items = user.get("/api/evaluations", params={"size": 200}).json()["items"]
    return int(next(i["id"] for i in items if i["document"]["name"].startswith(prefix)))


def _step(user: As, table: int, to: str, comment: str = "", confirm: bool = False) -> Any:
    body = {"to": to, "comment": comment, "confirm": confirm}
    return user.send("POST", f"/api/evaluations/{table}/transitions", json=body)


def _finding(body: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in (*body["findings"], *body["report_findings"]) if f["code"] == code)


def _decide(user: As, table: int, finding: int, decision: str | None, comment: str = "") -> Any:
    url = f"/api/evaluations/{table}/findings/{finding}/decision"
    return user.send("PUT", url, json={"decision": decision, "comment": comment})


def test_decisions_follow_their_finding_and_steps_ask_first(store: Store) -> None:
    filler, reviewer = As(store, "filler_a"), As(store, "reviewer")
    table = _table(filler, "001_")
    url = f"/api/evaluations/{table}"
    # submitting with errors open asks first; nothing moves until confirmed
    asked = assert_error(_step(filler, table, "submitted"), 409, "confirm")
    assert "错误未改正" in asked["message"] and asked["details"] == {"confirm": True}
    assert filler.get(url).json()["state"] == "draft"
    assert _step(filler, table, "submitted", confirm=True).json()["state"] == "submitted"

    body = reviewer.get(url).json()
    fd02, wt01, sc04 = (_finding(body, code) for code in ("FD02", "WT01", "SC04"))
    assert_error(_decide(filler, table, fd02["id"], "ignored"), 403)  # a unit decides nothing
    said = "执行得分按执行率 99.91% 应为 9.99 分"
    decided = _decide(reviewer, table, fd02["id"], "needs_change", said).json()
    assert decided["decision"]["label"] == "需修改" and decided["decision"]["comment"] == said
    assert (
        _decide(reviewer, table, wt01["id"], "verified", "总分行分值按批复为 90").status_code == 200
    )
    assert _decide(reviewer, table, sc04["id"], "ignored").status_code == 200
    assert _decide(reviewer, table, sc04["id"], None).json()["decision"] is None  # withdrawn
    assert_error(_decide(reviewer, table, 10**6, "ignored"), 409)
    body = filler.get(url).json()  # the unit sees the decisions
    assert _finding(body, "FD02")["decision"]["value"] == "needs_change"
    assert _finding(body, "WT01")["decision"]["label"] == "已核实无误"
    assert _finding(body, "SC04")["decision"] is None

    # approving with a finding to change asks first, naming it
    asked = assert_error(_step(reviewer, table, "approved"), 409, "confirm")
    assert "1 条标为“需修改”的问题未改正" in asked["message"]
    returned = _step(reviewer, table, "returned", "请按审核意见修改执行得分")
    assert returned.json()["state"] == "returned"
    assert_error(_decide(reviewer, table, wt01["id"], "ignored"), 409)  # not under review now

    # the unit sees the notice on its list, and the menu counts it
    page = filler.get("/evaluations").text
    assert 'id="returned-notice"' in page and "请按审核意见修改执行得分" in page
    assert "1 条问题需修改" in page and 'id="menu-returned"' in page
    assert 'id="returned-notice"' not in As(store, "filler_b").get("/evaluations").text

    # the unit corrects FD02's cell: FD02 is gone with its decision; WT01's stays, though
    # every finding was worked out again (new rows)
    fixed = {"changes": [{"path": "funds.score", "value": "9.99"}]}
    assert filler.send("PATCH", url, json=fixed).status_code == 200
    body = filler.get(url).json()
    assert "FD02" not in {f["code"] for f in body["findings"]}
    again = _finding(body, "WT01")
    assert again["id"] != wt01["id"] and again["decision"]["value"] == "verified"
    assert _step(filler, table, "submitted", confirm=True).status_code == 200
    # no 需修改 left, but errors nobody decided: asks still
    asked = assert_error(_step(reviewer, table, "approved"), 409, "confirm")
    assert "错误尚未处理" in asked["message"] and "需修改" not in asked["message"]
    assert _step(reviewer, table, "approved", confirm=True).json()["state"] == "approved"
    asked = assert_error(_step(reviewer, table, "published"), 409, "confirm")
    assert "不能撤回" in asked["message"]
    assert _step(reviewer, table, "published", confirm=True).json()["state"] == "published"

    history = filler.get(f"{url}/history").json()
    decisions = [h for h in history if h["action"] == "decision"]
    assert [(h["new"] or {}).get("decision") for h in decisions] == [
        "needs_change",
        "verified",
        "ignored",
        None,
    ]
    assert decisions[0]["field_label"] == "资金：得分" and decisions[0]["new"]["comment"] == said
    page = filler.get(f"/evaluations/{table}").text
    assert "审核处理" in page and "FD02 需修改" in page and said in page


def test_inbox_sorted_batch_steps_and_menu_counts(store: Store) -> None:
    filler_a, filler_b = As(store, "filler_a"), As(store, "filler_b")
    reviewer = As(store, "reviewer")
    tables = [i["id"] for i in reviewer.get("/api/evaluations?size=200").json()["items"]]
    mine = {i["id"] for i in filler_a.get("/api/evaluations?size=200").json()["items"]}
    order = []
    for table in sorted(tables, reverse=True):  # submitted newest id first
        owner = filler_a if table in mine else filler_b
        assert _step(owner, table, "submitted", confirm=True).status_code == 200
        order.append(table)
    assert_error(filler_a.get("/api/review/inbox"), 403)
    inbox = reviewer.get("/api/review/inbox").json()
    assert inbox["total"] == len(tables)
    assert [i["id"] for i in inbox["items"]] == order  # first come, first reviewed
    assert all(i["submitted_at"] and i["rounds"] == 1 for i in inbox["items"])
    assert {i["submitted_by"] for i in inbox["items"]} == {"filler_a", "filler_b"}
    latest = reviewer.get("/api/review/inbox?sort=-submitted").json()["items"]
    assert [i["id"] for i in latest] == order[::-1]
    by_errors = [i["errors"] for i in reviewer.get("/api/review/inbox?sort=errors").json()["items"]]
    assert by_errors == sorted(by_errors, reverse=True)
    assert_error(reviewer.get("/api/review/inbox?sort=nonsense"), 422)
    page = reviewer.get("/review").text
    assert f'<span class="menu-count" title="{len(tables)} 张待审核">' in page
    assert page.count('name="ids"') == len(tables)

    # a batch return needs its reason; with it every table goes back with the same comment
    batch = {"ids": order[:2], "to": "returned", "comment": ""}
    assert_error(reviewer.send("POST", "/api/review/transitions", json=batch), 422)
    batch["comment"] = "请统一补充偏差原因分析"
    done = reviewer.send("POST", "/api/review/transitions", json=batch).json()
    assert done["done"] == 2 and all(r["state"] == "returned" for r in done["results"])
    for table in order[:2]:
        said = reviewer.get(f"/api/evaluations/{table}/comments").json()
        assert [c["text"] for c in said] == ["请统一补充偏差原因分析"]
    again = reviewer.get("/api/review/inbox").json()
    assert again["total"] == len(tables) - 2
    assert_error(As(store, "filler_a").send("POST", "/api/review/transitions", json=batch), 403)

    # approving in batch asks first (the tables' errors are undecided), naming the tables
    rest = order[2:]
    approve: dict[str, Any] = {"ids": [*rest, order[0]], "to": "approved"}
    asked = assert_error(reviewer.send("POST", "/api/review/transitions", json=approve), 409)
    assert (
        asked["code"] == "confirm" and "确定将这" in asked["message"] and "《" in asked["message"]
    )
    assert reviewer.get("/api/review/inbox").json()["total"] == len(rest)  # nothing moved
    approve["confirm"] = True
    done = reviewer.send("POST", "/api/review/transitions", json=approve).json()
    assert done["done"] == len(rest)
    refused = [r for r in done["results"] if not r["ok"]]
    assert [r["id"] for r in refused] == [order[0]] and "已退回" in refused[0]["message"]
    waiting = reviewer.get("/api/review/inbox?state=approved").json()
    assert sorted(i["id"] for i in waiting["items"]) == sorted(rest)
    publish: dict[str, Any] = {"ids": rest, "to": "published"}
    asked = assert_error(reviewer.send("POST", "/api/review/transitions", json=publish), 409)
    assert "不能撤回" in asked["message"]
    publish["confirm"] = True
    assert reviewer.send("POST", "/api/review/transitions", json=publish).json()["done"] == len(
        rest
    )
    states = {
        i["id"]: i["state"] for i in reviewer.get("/api/evaluations?size=200").json()["items"]
    }
    assert [states[t] for t in rest] == ["published"] * len(rest)
    assert '<span class="menu-count"' not in reviewer.get("/review").text  # none waiting


def test_notes_on_cells(store: Store) -> None:
    filler, reviewer = As(store, "filler_a"), As(store, "reviewer")
    table = _table(filler, "001_")
    url = f"/api/evaluations/{table}/comments"
    note = {"text": "请附技术合同登记证明", "path": "indicators[6].actual"}
    assert reviewer.send("POST", url, json=note).status_code == 201
    assert_error(reviewer.send("POST", url, json={"text": "x", "path": "indicators[6"}), 422)
    said = filler.get(url).json()
    assert [(c["path"], c["field_label"], c["text"]) for c in said] == [
        ("indicators[6].actual", "第7个指标的“实际完成值”", "请附技术合同登记证明")
    ]
    page = filler.get(f"/evaluations/{table}").text
    assert 'id="cell-indicators-6--actual"' in page
    cell = re.search(r'<td[^>]*id="cell-indicators-6--actual"[^>]*>', page)
    assert cell is not None and "has-note" in page[cell.start() - 300 : cell.end()]
    assert "第7个指标的“实际完成值”</a>：请附技术合同登记证明" in page
    assert "批注：第7个指标的“实际完成值”" in page  # in the list of comments, with its cell


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for grid in document.tables:
        for row in grid.rows:
            texts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(texts)


def _opinion(user: As, table: int, fmt: str = "review-docx") -> str:
    response = user.get(f"/api/evaluations/{table}/export?format={fmt}")
    assert response.status_code == 200, response.text
    if fmt == "review-docx":
        return _docx_text(response.content)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return "\n".join(
        " | ".join(str(v) for v in row if v is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_the_signed_opinion_follows_the_state(store: Store) -> None:
    filler, reviewer = As(store, "filler_a"), As(store, "reviewer")
    table = _table(filler, "001_")

    def conclusion(text: str) -> str:
        return text.split("审核结论", 1)[1]

    draft = _opinion(filler, table)
    assert "尚未提交审核" in draft and "审核结论：" not in draft
    # every finding placed as the unit finds it, its figures named: no field id anywhere
    assert "表2 第3行（年度资金总额）“得分”栏" in draft and "填写值：9；复算值：9.99" in draft
    assert "年度指标值：57亿元" in draft and "应为：57亿元" not in draft
    assert "实际完成值：118.8" in draft
    for fmt in ("review-docx", "review-xlsx"):
        found = INTERNAL.findall(_opinion(filler, table, fmt))
        assert not found, (fmt, found)

    _step(filler, table, "submitted", confirm=True)
    pending = _opinion(reviewer, table)
    assert "正在审核中" in conclusion(pending) and "未签发" in pending
    body = reviewer.get(f"/api/evaluations/{table}").json()
    fd02, wt01 = _finding(body, "FD02"), _finding(body, "WT01")
    _decide(reviewer, table, fd02["id"], "needs_change", "执行得分应为 9.99")
    _decide(reviewer, table, wt01["id"], "verified", "总分行分值按批复为 90")
    note = {"text": "请附技术合同登记证明", "path": "indicators[6].actual"}
    reviewer.send("POST", f"/api/evaluations/{table}/comments", json=note)
    _step(reviewer, table, "returned", "请按审核意见修改后重新报送")
    returned = _opinion(reviewer, table)
    assert conclusion(returned).startswith("\n审核结论：退回修改。")
    assert "退回意见：请按审核意见修改后重新报送" in returned
    assert "标为“需修改”的 1 条问题" in returned
    assert (
        "需修改：执行得分应为 9.99" in returned and "已核实无误：总分行分值按批复为 90" in returned
    )
    assert "审核人：reviewer" in returned and "未签发" not in returned
    assert re.search(r"审核日期：\d{4}年\d{1,2}月\d{1,2}日", returned)
    assert "审核批注" in returned and "请附技术合同登记证明" in returned
    assert "表2 第19行（完成技术合同交易额）“实际完成值”栏" in returned  # the note's cell
    assert not INTERNAL.findall(returned)
    sheet = _opinion(reviewer, table, "review-xlsx")
    assert "审核结论：退回修改。" in sheet and "需修改" in sheet and "审核人：reviewer" in sheet

    filler.send(
        "PATCH",
        f"/api/evaluations/{table}",
        json={"changes": [{"path": "funds.score", "value": "9.99"}]},
    )
    _step(filler, table, "submitted", confirm=True)
    _step(reviewer, table, "approved", "同意", confirm=True)
    approved = conclusion(_opinion(reviewer, table))
    assert approved.startswith("\n审核结论：审核通过。") and "审核意见：同意" in approved
    assert "1 条已核实无误" in approved and "需修改" not in approved  # FD02 was corrected
    _step(reviewer, table, "published", confirm=True)
    published = _opinion(filler, table)
    assert re.search(r"审核结论：审核通过，已于\d{4}年\d{1,2}月\d{1,2}日公开。", published)
    assert not INTERNAL.findall(published)
