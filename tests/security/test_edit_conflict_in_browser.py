"""Two people editing one cell (issue 13.6), in a real browser against ``jixiao serve``: the
page sends the version of the form it shows, so the second edit is refused (409) instead of
silently replacing the first; the page says, in Chinese, what the cell now holds and keeps
what was typed, and a second save is the person's deliberate choice. The page's script works
under the Content-Security-Policy (no violation reported)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.test_web_e2e import CHROMIUM, Site, browser, session, site, uploaded

__all__ = ["browser", "session", "site", "uploaded"]  # the fixtures, shared with the e2e test

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium")

CELL = '#evaluation-form td[data-path="indicators[0].actual"] .edit'


def _type_into(page: Page, text: str) -> None:
    page.locator(CELL).click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def _stored(page: Page, table: int) -> str:
    answer = page.request.get(f"/api/evaluations/{table}")
    value: str = answer.json()["evaluation"]["indicators"][0]["actual"]
    return value


def test_the_second_of_two_edits_of_one_cell_is_told_not_lost(
    session: Any, site: Site, uploaded: int
) -> None:
    first, second = session(site.filler), session(site.filler)
    violations: list[str] = []
    for page in (first, second):
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(f"/evaluations/{uploaded}")
    _type_into(first, "甲填的值")
    expect(first.locator("#save-status")).to_have_text("已保存")

    _type_into(second, "乙填的值")
    status = second.locator("#save-status")
    expect(status).to_contain_text("此单元格刚被他人改为“甲填的值”")
    expect(second.locator(CELL)).to_have_text("乙填的值")  # kept, not saved
    assert _stored(second, uploaded) == "甲填的值"

    # saving again, on the form as it now stands, is a choice made knowing the other value
    second.locator(CELL).click()
    second.keyboard.press("Enter")
    expect(status).to_have_text("已保存")
    assert _stored(second, uploaded) == "乙填的值"
    assert not violations, violations


def test_the_pages_carry_the_security_headers(site: Site) -> None:
    with urllib.request.urlopen(site.url + "/login") as answer:
        headers = answer.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(site.url + "/openapi.json")
    assert refused.value.code == 401
    assert "error" in json.loads(refused.value.read())
