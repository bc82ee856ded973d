"""生成报告 in the web app: the drafted report stored per table, edited, kept to a few plain
tags on save, checked against the table again (XC findings naming both figures), downloaded
as Word; drafting and saving follow the table's edit rights."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import lxml.html
import pytest

from jixiao.service import Service
from jixiao.service.report_text import sanitise, text_lines
from jixiao.service.store import import_file, open_store
from jixiao.store import Role, State, Store
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

YUEYANG = "岳阳市科学技术局"
OTHER = "株洲市芦淞区科技和工业信息化局"
SOURCE = SAMPLES / "yueyang-2024-project.yaml"
STATED = "全年执行数85万元，结余"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("report")
    opened = open_store(f"sqlite:///{folder / 'report.db'}")
    assert import_file(opened, Service(), SOURCE, unit=YUEYANG).error is None
    opened.add_user("yueyang", Role.FILLER, PASSWORD, unit=YUEYANG)
    opened.add_user("lusong", Role.FILLER, PASSWORD, unit=OTHER)
    opened.add_user("shenhe", Role.REVIEWER, PASSWORD)
    yield opened
    opened.close()


def _table(store: Store) -> int:
    (found,) = [i.id for i in store.evaluations().items if i.parent_id is None]
    return found


def _drafted(store: Store) -> tuple[As, int, dict[str, object]]:
    """The unit's browser, its table, and the report drafted afresh."""
    browser, table = As(store, "yueyang"), _table(store)
    response = browser.send("POST", f"/api/evaluations/{table}/report", json={"confirm": True})
    assert response.status_code == 201, response.text
    return browser, table, response.json()


def test_drafted_stored_and_the_same_each_time(store: Store) -> None:
    browser, table, first = _drafted(store)
    html = str(first["html"])
    assert html.startswith("<h2>一、项目收支基本情况</h2>")
    assert STATED in html and "<mark>【待填写】</mark>" in html
    assert first["findings"] == [] and first["created_by"] == "yueyang"
    # asked first when a text is stored; the same table drafts the same text
    again = browser.send("POST", f"/api/evaluations/{table}/report")
    assert again.status_code == 409 and again.json()["error"]["code"] == "confirm"
    assert "替换已编辑的文字" in again.json()["error"]["message"]
    assert _drafted(store)[2]["html"] == html
    stored = store.report_text(table)
    assert stored is not None and stored.html == html and stored.created_by == "yueyang"


def test_the_evaluation_page_offers_it_then_opens_it(store: Store) -> None:
    browser, table = As(store, "yueyang"), _table(store)
    page = browser.get(f"/evaluations/{table}").text
    assert 'id="open-report"' in page and 'id="draft-report"' not in page  # drafted above
    assert 'id="draft-report"' not in As(store, "shenhe").get(f"/evaluations/{table}").text
    opened = browser.client.post(
        f"/evaluations/{table}/report",
        data={"csrf_token": browser.csrf, "confirm": "1"},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/evaluations/{table}/report"
    editor = lxml.html.fromstring(browser.get(opened.headers["location"]).text)
    (text,) = editor.xpath('//div[@id="report-text"]')
    assert text.get("contenteditable") == "true"
    assert [b.text_content() for b in editor.xpath("//button[@data-command]")] == [
        "加粗",
        "标题",
        "列表",
    ]
    assert editor.xpath('//div[@id="report-text"]//mark[text()="【待填写】"]')


def test_saved_text_is_kept_to_plain_tags(store: Store) -> None:
    browser, table, drafted = _drafted(store)
    edited = (
        '<h2 style="color:red">一、项目收支基本情况</h2>'
        '<p onclick="steal()">资金<b>全部</b>到位<script>alert(1)</script></p>'
        '<img src="x" onerror="steal()"><div>第二段<a href="javascript:steal()">链接</a></div>'
        "<ul><li>一项</li></ul><!-- note --><style>p{}</style>"
    )
    saved = browser.send(
        "PUT",
        f"/api/evaluations/{table}/report",
        json={"html": edited, "revision": drafted["revision"]},
    )
    assert saved.status_code == 200, saved.text
    html = saved.json()["html"]
    assert html == (
        "<h2>一、项目收支基本情况</h2><p>资金<b>全部</b>到位</p><p>第二段链接</p><ul><li>一项</li></ul>"
    )
    stored = store.report_text(table)
    assert stored is not None and stored.html == html and stored.updated_by == "yueyang"
    assert stored.revision == int(str(drafted["revision"])) + 1
    # a save made on an older revision is refused, the newer text kept
    stale = browser.send(
        "PUT",
        f"/api/evaluations/{table}/report",
        json={"html": "<p>旧的</p>", "revision": drafted["revision"]},
    )
    assert stale.status_code == 409 and "保存过" in stale.json()["error"]["message"]
    empty = browser.send("PUT", f"/api/evaluations/{table}/report", json={"html": "<p> </p>"})
    assert empty.status_code == 422 and "为空" in empty.json()["error"]["message"]
    assert store.report_text(table).html == html  # type: ignore[union-attr]


def test_a_wrong_figure_in_the_text_is_found_on_save(store: Store) -> None:
    browser, table, drafted = _drafted(store)
    wrong = str(drafted["html"]).replace(STATED, "全年执行数80万元，结余", 1)
    saved = browser.send("PUT", f"/api/evaluations/{table}/report", json={"html": wrong}).json()
    (finding,) = saved["findings"]
    assert finding["code"] == "XC04"
    assert "80万元" in finding["message"] and "85 万元" in finding["message"]
    # the GET says it again; put right, nothing is found
    assert browser.get(f"/api/evaluations/{table}/report").json()["findings"] == [finding]
    right = browser.send(
        "PUT", f"/api/evaluations/{table}/report", json={"html": drafted["html"]}
    ).json()
    assert right["findings"] == []


def test_downloaded_as_word_with_the_edited_text(store: Store) -> None:
    browser, table, drafted = _drafted(store)
    edited = str(drafted["html"]).replace("<mark>【待填写】</mark>", "项目由市科技局实施。", 1)
    browser.send("PUT", f"/api/evaluations/{table}/report", json={"html": edited})
    response = browser.get(f"/api/evaluations/{table}/report/docx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "项目由市科技局实施。" in text and "附件" in text
    assert "一、项目收支基本情况" in text


def test_rights(store: Store) -> None:
    _, table, _ = _drafted(store)
    url = f"/api/evaluations/{table}/report"
    other = As(store, "lusong")
    for method in ("GET", "POST", "PUT"):
        body = {"html": "<p>别人的</p>"} if method == "PUT" else {"confirm": True}
        answer = other.send(method, url, json=body)
        assert answer.status_code == 404, (method, answer.text)
    assert other.get(f"/evaluations/{table}/report").status_code == 404
    reviewer = As(store, "shenhe")
    assert reviewer.get(url).status_code == 200  # the finance bureau reads it
    refused = reviewer.send("PUT", url, json={"html": "<p>审核改的</p>"})
    assert refused.status_code == 403
    before = store.report_text(table)
    store.transition(table, State.SUBMITTED, "yueyang")
    try:
        unit = As(store, "yueyang")
        for method in ("POST", "PUT"):
            body = {"html": "<p>提交后改的</p>"} if method == "PUT" else {"confirm": True}
            answer = unit.send(method, url, json=body)
            assert answer.status_code == 409, answer.text
            assert "不能修改" in answer.json()["error"]["message"]
        page = lxml.html.fromstring(unit.get(f"/evaluations/{table}/report").text)
        assert page.xpath('//div[@id="report-text"]/@contenteditable') == []
        assert "只能查看和下载" in page.text_content()
        assert store.report_text(table) == before
    finally:
        store.transition(table, State.RETURNED, "shenhe", "请修改")


def test_sanitise_and_lines() -> None:
    assert sanitise("") == ""
    assert sanitise("纯文字 <和> &") == "纯文字 &lt;和&gt; &amp;"
    assert sanitise("<P><SCRIPT>x()</SCRIPT><EM>斜</EM><br/>下</P>") == "<p><em>斜</em><br>下</p>"
    lines = text_lines("<h2>一、概况</h2><p>第一行<br>第二行</p><ul><li>甲</li><li>乙</li></ul>尾")
    assert lines == ["一、概况", "第一行", "第二行", "甲", "乙", "尾"]


def test_before_any_draft(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'fresh.db'}") as fresh:
        assert import_file(fresh, Service(), SOURCE, unit=YUEYANG).error is None
        fresh.add_user("yueyang", Role.FILLER, PASSWORD, unit=YUEYANG)
        browser, table = As(fresh, "yueyang"), _table(fresh)
        body = browser.get(f"/api/evaluations/{table}/report").json()
        assert body["html"] is None and body["editable"] is True and body["findings"] == []
        page = browser.get(f"/evaluations/{table}").text
        assert 'id="draft-report"' in page and 'id="open-report"' not in page
        document = browser.get(f"/api/evaluations/{table}/report/docx")  # the draft as it is
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(document.content)).paragraphs)
        assert STATED in text
        assert fresh.report_text(table) is None  # reading stores nothing
