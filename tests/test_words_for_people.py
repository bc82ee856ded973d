"""No internal name reaches people (issue 12, item 4): the evaluation page's words, its
edit history, the API's error messages and the exports (review opinions, the Word report)
name fields as the form does (资金：全年执行数, 第1个指标的“实际完成值”) and scoring schemes
by their titles, never by ids (``indicators[0].actual``, ``funds.executed``,
``national-2020``)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import docx
import lxml.html
import openpyxl
import pytest
from argon2 import PasswordHasher

from jixiao.config import load_scheme
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from jixiao.store import users as store_users
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNIT = "岳阳市科学技术局"
INTERNAL = re.compile(
    r"indicators\[|\b(?:funds|total|goals|level1_weights|indicators)\.|\[\d+\]\.|"
    r"\b(?:annual_budget|initial_budget|executed|deviation)\b|national-2020|national-cost"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Seed 004 (a project and a department table, with a report-level finding) in one
    unit; one figure and one indicator edited, so the history has rows."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    saved, store_users._hasher = store_users._hasher, hasher
    try:
        with open_store(str(tmp_path_factory.mktemp("words") / "jixiao.db")) as opened:
            assert import_file(opened, Service(), REPORTS[4], unit=UNIT).error is None
            opened.add_user("filler", Role.FILLER, PASSWORD, unit=UNIT)
            first = opened.evaluations().items[0].id
            opened.edit(first, "funds.executed", Decimal("1863.29"), "filler")
            opened.edit(first, "indicators[0].actual", "12项", "filler")
            yield opened
    finally:
        store_users._hasher = saved


def visible(html: str) -> str:
    """What a reader of the page sees: its text and its tooltips (no scripts, no markup)."""
    tree = lxml.html.fromstring(html)
    for hidden in tree.xpath("//script | //style"):
        hidden.drop_tree()
    tips = " ".join(tree.xpath("//@title | //@aria-label | //@placeholder"))
    return f"{tree.text_content()} {tips}"


def leaks(text: str) -> list[str]:
    return sorted({found.group(0) for found in INTERNAL.finditer(text)})


def test_the_page_and_its_history_speak_the_forms_words(store: Store) -> None:
    user = As(store, "filler")
    for listed in store.evaluations().items:
        shown = visible(user.get(f"/evaluations/{listed.id}").text)
        assert leaks(shown) == [], listed.name
    first = store.evaluations().items[0].id
    page = visible(user.get(f"/evaluations/{first}").text)
    assert "资金：全年执行数" in page and "第1个指标的“实际完成值”" in page  # the history
    history = user.get(f"/api/evaluations/{first}/history").json()
    assert {h["field_label"] for h in history if h["action"] == "edit"} == {
        "资金：全年执行数",
        "第1个指标的“实际完成值”",
    }
    assert load_scheme("national-2020").title in page


@pytest.mark.parametrize(
    ("path", "value", "said"),
    [
        ("funds.executed", "很多", "资金：全年执行数应为数字"),
        ("indicators[0].score", "十分", "第1个指标的“得分”应为数字"),
        ("indicators[99].actual", "1", "第100个指标不存在"),
        ("total.score", "满分", "总分行的“得分”应为数字"),
    ],
)
def test_api_errors_name_fields_in_chinese(store: Store, path: str, value: str, said: str) -> None:
    user = As(store, "filler")
    first = store.evaluations().items[0].id
    response = user.send(
        "PATCH", f"/api/evaluations/{first}", json={"changes": [{"path": path, "value": value}]}
    )
    assert response.status_code == 422, response.text
    message = response.json()["error"]["message"]
    assert said in message
    assert leaks(message) == []


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    notes = [
        c.comment.text for sheet in book for row in sheet.iter_rows() for c in row if c.comment
    ]
    return " ".join(str(c) for c in [*cells, *notes] if c is not None)


@pytest.mark.parametrize("fmt", ["review-docx", "review-xlsx", "docx", "xlsx"])
def test_exports_speak_the_forms_words(store: Store, fmt: str) -> None:
    user = As(store, "filler")
    for listed in store.evaluations().items:
        response = user.get(f"/api/evaluations/{listed.id}/export", params={"format": fmt})
        assert response.status_code == 200, response.text[:300]
        text = (
            _xlsx_text(response.content) if fmt.endswith("xlsx") else _docx_text(response.content)
        )
        assert leaks(text) == [], (fmt, listed.name)
        if fmt == "docx":
            assert "按评分方案“" in text and "national" not in text


def test_the_check_commands_review_opinion_too(tmp_path: Path) -> None:
    from jixiao.audit import AuditSettings
    from jixiao.service.audit import check_file
    from jixiao.service.render import write_review

    checked = [check_file(Service(), path, AuditSettings()) for path in REPORTS]
    for fmt in ("docx", "xlsx"):
        target = write_review(checked, fmt, tmp_path / f"审核意见.{fmt}")
        content = target.read_bytes()
        text = _xlsx_text(content) if fmt == "xlsx" else _docx_text(content)
        assert "栏目" in text or fmt == "xlsx"
        assert leaks(text) == [], fmt
