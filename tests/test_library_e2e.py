"""The indicator library in a real browser: a 填报 user adding an indicator row on its table
is offered the library's names as it types, sees the usual target, unit and weight of the
one it picks, takes them, and the row is added. A screenshot of the suggestion goes to
tests/artifacts/e2e/ for a person to see."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from jixiao.cli.serve import add_demo_users, demo_logins, sample_units
from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import open_store
from tests.test_web_e2e import ARTIFACTS, CHROMIUM, SEED_001, browser, serving, signed_in

__all__ = ["browser"]  # the fixture, shared with the other end-to-end tests
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, int]]:
    """``jixiao serve`` with the demo users and seed 001 stored for its unit: the address,
    the unit's 填报 login and the table's id."""
    folder = tmp_path_factory.mktemp("library-e2e")
    database = f"sqlite:///{folder / 'jixiao.db'}"
    service = Service()
    units = sample_units(service)
    logins = demo_logins(units.values())
    with open_store(database) as store:
        add_demo_users(store, logins)
        result = import_file(store, service, SEED_001, unit=units[SEED_001])
        assert result.error is None
        (table,) = [item.id for item in store.evaluations().items]
    filler = next(x.name for x in logins if x.role == "填报" and x.unit == units[SEED_001])
    with serving(database, folder) as url:
        yield url, filler, table


def test_the_library_suggests_while_a_row_is_typed(
    browser: Browser, site: tuple[str, str, int]
) -> None:
    url, filler, table = site
    page = signed_in(browser, url, filler)
    context = page.context
    page.goto(f"/evaluations/{table}")
    form = page.locator("#new-row-form")
    form.locator('input[name="level2"]').fill("经济效益指标")
    form.locator('input[name="level2"]').dispatch_event("change")
    name = form.locator('input[name="name"]')
    name.fill("规模工业")
    options = page.locator("#library-names option")
    expect(options.first).to_have_attribute("value", "规模工业增加值增长率")
    name.fill("规模工业增加值增长率")
    hint = page.locator("#new-row-suggestion")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("常用指标值 8.5%")
    expect(hint).to_contain_text("分值 5")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#new-row").screenshot(path=str(Path(ARTIFACTS) / "library-suggestion.png"))
    page.locator("#new-row-use").click()
    expect(form.locator('input[name="target"]')).to_have_value("8.5%")
    expect(form.locator('select[name="level1"]')).to_have_value("效益指标")  # the entry's
    name.fill("规模工业增加值增长率（本年新增）")
    form.get_by_role("button", name="添加").click()
    cell = page.locator("table.form td", has_text="规模工业增加值增长率（本年新增）")
    expect(cell).to_have_count(1)
    context.close()
