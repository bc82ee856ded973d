"""Writing the report in a real browser (issue 15.5): a 填报 user starts this year's table
from last year's seed table (新建 → 沿用上年自评表), fills the year's amounts, presses 生成报告,
edits the sentence of the amount executed to a wrong figure, saves, and sees the cross-check
finding name both figures beside the editor. Screenshots go to tests/artifacts/e2e/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from jixiao.cli.serve import add_demo_users, demo_logins, sample_units
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import open_store
from tests.test_web_e2e import ARTIFACTS, CHROMIUM, SEED_001, browser, serving, signed_in

__all__ = ["browser"]  # the fixture, shared with the other end-to-end tests
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """``jixiao serve`` with the demo users and seed 001 (2023) stored for its unit: the
    address and the unit's 填报 login."""
    folder = tmp_path_factory.mktemp("report-e2e")
    database = f"sqlite:///{folder / 'jixiao.db'}"
    service = Service()
    units = sample_units(service)
    logins = demo_logins(units.values())
    with open_store(database) as store:
        add_demo_users(store, logins)
        assert import_file(store, service, SEED_001, unit=units[SEED_001]).error is None
    filler = next(x.name for x in logins if x.role == "填报" and x.unit == units[SEED_001])
    with serving(database, folder) as url:
        yield url, filler


def _type_into(page: Page, cell_id: str, value: str) -> None:
    """Fill a cell of the form as a person does: click, replace the text, Enter."""
    page.locator(f"#{cell_id} .edit").click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(value)
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_have_text("已保存")


def _select_in_editor(page: Page, text: str) -> None:
    """Select ``text`` in the report editor, as a person drags over it."""
    found = page.evaluate(
        """(wanted) => {
          const editor = document.getElementById("report-text");
          const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(wanted);
            if (at < 0) continue;
            editor.focus();
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + wanted.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return true;
          }
          return false;
        }""",
        text,
    )
    assert found, f"报告中没有“{text}”"


def test_a_unit_drafts_edits_and_sees_the_cross_check(
    browser: Browser, site: tuple[str, str]
) -> None:
    url, filler = site
    page = signed_in(browser, url, filler)
    context = page.context

    # 新建 → 沿用上年自评表: the 2023 seed table carried over to 2024
    page.goto("/evaluations/new")
    expect(page.locator("#previous-source option").first).to_contain_text("2023年")
    page.get_by_role("button", name="沿用并新建").click()
    page.wait_for_url(re.compile(r"/evaluations/\d+\?new=1$"))
    table = int(re.findall(r"/evaluations/(\d+)", page.url)[0])
    expect(page.locator("h1")).to_contain_text("2024")

    # the year's amounts filled in, then 生成报告
    _type_into(page, "cell-funds-annual_budget", "500")
    _type_into(page, "cell-funds-executed", "480")
    page.locator("#draft-report").click()
    page.wait_for_url(re.compile(rf"/evaluations/{table}/report$"))
    editor = page.locator("#report-text")
    expect(editor).to_contain_text("全年预算数500万元，全年执行数480万元")
    expect(editor.locator("mark", has_text="【待填写】").first).to_be_visible()
    expect(page.locator("#report-checks-none")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-drafted.png"))

    # the sentence edited to a wrong figure, and a word made bold, then 保存
    _select_in_editor(page, "全年执行数480万元")
    page.keyboard.type("全年执行数450万元")
    _select_in_editor(page, "结余20万元")
    page.get_by_role("button", name="加粗").click()
    page.get_by_role("button", name="保存").click()
    status = page.locator("#report-status")
    expect(status).to_contain_text("已保存；与自评表核对发现 1 处不一致")
    finding = page.locator("#report-findings li")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("XC04")
    expect(finding).to_contain_text("全年执行数 450万元")
    expect(finding).to_contain_text("全年执行数 480 万元")
    expect(page.locator("#report-checks-none")).to_be_hidden()
    expect(editor.locator("b", has_text="结余20万元")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "report-cross-check.png"), full_page=True)

    # the saved text is what the page shows again
    page.reload()
    expect(editor).to_contain_text("全年执行数450万元")
    expect(page.locator("#report-findings li")).to_contain_text("XC04")
    context.close()
