"""A big table's page (issue 13.1): one page view of a 10,000-indicator table took 482 s and
16 MB of HTML (each finding looked for its cells among all of them). The page now shows the
indicator rows a part at a time (form.PART_ROWS), each finding listed on the part that shows
its place, and answers in about a second."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from jixiao.store import Role, Store, open_store
from jixiao.web.form import PART_ROWS
from tests.security.big_tables import store_big_table
from tests.web_client import PASSWORD, As

INDICATORS = 10_000


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, int]]:
    store = open_store(str(tmp_path_factory.mktemp("big") / "big.db"))
    store.add_user("admin", Role.ADMIN, PASSWORD)
    yield store, store_big_table(store, INDICATORS)
    store.close()


def test_a_10000_indicator_page_opens_quickly_and_small(big: tuple[Store, int]) -> None:
    store, table = big
    browser = As(store, "admin")
    start = time.monotonic()
    page = browser.get(f"/evaluations/{table}")
    took = time.monotonic() - start
    assert page.status_code == 200
    assert took < 5, f"{took:.1f} s"  # about 1 s here; 482 s before
    assert len(page.content) < 2_000_000  # 16 MB before
    parts = -(-INDICATORS // PART_ROWS)
    assert f"分 {parts} 页显示" in page.text


def _listed(html: str) -> tuple[set[int], set[str], set[str]]:
    """The findings a page lists (their numbers), the cells their links go to, and the
    cells the form shows."""
    doc = lxml.html.fromstring(html)
    numbers = {int(li.get("id").removeprefix("finding-")) for li in doc.xpath("//li[@id]")}
    links = {a.get("data-cell") for a in doc.xpath("//a[@class='goto']")}
    cells = {td.get("id") for td in doc.xpath("//td[@id]")}
    return numbers, links, cells


def test_each_finding_is_listed_on_the_part_that_shows_its_cell(tmp_path: Path) -> None:
    """An indicator's finding on its own part alone; the others (the funds', the table's)
    on every part, as the cells they mark are."""
    with open_store(str(tmp_path / "t.db")) as store:
        store.add_user("admin", Role.ADMIN, PASSWORD)
        table = store_big_table(store, PART_ROWS * 2 + 10)
        browser = As(store, "admin")
        total = len(browser.get(f"/api/evaluations/{table}").json()["findings"])
        listed = []
        for part in (1, 2, 3):
            html = browser.get(f"/evaluations/{table}?page={part}").text
            numbers, links, cells = _listed(html)
            assert links <= cells  # every listed finding's link goes to a cell on this part
            first = (part - 1) * PART_ROWS
            assert f'data-path="indicators[{first}].actual"' in html  # numbered as stored
            # the fragment the page swaps in after an edit shows the same part
            fragment = browser.get(f"/evaluations/{table}/table?page={part}").text
            assert _listed(fragment)[0] == numbers
            assert re.search(r"另有 \d+ 条问题在其他页的指标上", html)
            listed.append(numbers)
        everywhere = listed[0] & listed[1] & listed[2]
        own = [numbers - everywhere for numbers in listed]
        assert all(own) and not (own[0] & own[1] or own[1] & own[2] or own[0] & own[2])
        assert set().union(*listed) == set(range(1, total + 1))


def test_a_part_past_the_last_shows_the_last(big: tuple[Store, int]) -> None:
    store, table = big
    browser = As(store, "admin")
    page = browser.get(f"/evaluations/{table}?page=99999999999999999999")
    assert page.status_code == 200
    assert f'data-path="indicators[{INDICATORS - 1}].actual"' in page.text
    refused = browser.get(f"/evaluations/{table}?page=二")
    assert refused.status_code == 422 and "应为整数" in refused.text
