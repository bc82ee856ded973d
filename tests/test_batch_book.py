"""Batch export as one workbook (issue 12.5): the tables the list's filters choose (year,
department, state) as one xlsx, a 汇总 sheet and each table's official form as a sheet of
its own, laid out as the table's own export lays it out."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Role, Store, open_store
from tests.conftest import SAMPLES
from tests.test_jobs import wait_for
from tests.web_client import PASSWORD, As

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNIT = "株洲市芦淞区科技和工业信息化局"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "jixiao.db")) as opened:
        service = Service()
        for path in REPORTS[:3]:
            assert import_file(opened, service, path, unit=UNIT).error is None
        opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
        opened.add_user("admin", Role.ADMIN, PASSWORD)
        yield opened


def _book(browser: As, **filters: str) -> tuple[dict[str, object], object]:
    asked = browser.send("POST", "/api/exports", data={"format": "book", **filters})
    assert asked.status_code == 202, asked.text
    done = wait_for(browser, asked.json()["id"])
    assert done["failed"] == 0, done
    got = browser.get(f"/api/jobs/{done['id']}/download")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in got.headers["content-disposition"]
    return done, load_workbook(io.BytesIO(got.content))


def test_one_workbook_of_the_lists_tables(store: Store) -> None:
    reviewer, admin = As(store, "reviewer"), As(store, "admin")
    listed = reviewer.get("/api/evaluations", params={"top": 1, "size": 200}).json()["items"]
    submitted = listed[0]["id"]
    step = {"to": "submitted", "confirm": True}
    answer = admin.send("POST", f"/api/evaluations/{submitted}/transitions", json=step)
    assert answer.status_code == 200, answer.text
    with reviewer.client:
        _, book = _book(reviewer)
        summary = book["汇总"]
        rows = list(summary.iter_rows(values_only=True))
        assert book.sheetnames[0] == "汇总" and rows[0][:5] == (
            "编号",
            "年度",
            "主管部门",
            "单位",
            "名称",
        )
        assert sorted(r[0] for r in rows[1:]) == sorted(i["id"] for i in listed)
        # a figure: the recomputed total of each table, as the list has it
        by_id = {i["id"]: i for i in listed}
        for row in rows[1:]:
            assert Decimal(str(row[9])) == Decimal(str(by_id[row[0]]["total"]))
        # a sheet per table (a fund's sub-directions after it), each as its own export's
        first = reviewer.get(f"/api/evaluations/{rows[1][0]}/export", params={"format": "xlsx"})
        own = load_workbook(io.BytesIO(first.content))
        own_sheet = next(s for s in own.worksheets if not s.title.startswith("基础数据表"))
        book_sheet = book.worksheets[1]
        assert book_sheet.title.startswith("1 ")
        cells = [[c.value for c in row] for row in own_sheet.iter_rows()]
        assert cells == [[c.value for c in row] for row in book_sheet.iter_rows()]
        assert any(isinstance(v, int | float) for row in cells for v in row)
        assert len(book.sheetnames) >= len(listed) + 1

        # the list's state filter: the submitted table alone
        done, only = _book(reviewer, state="submitted")
        assert "已提交" in str(done["title"])
        kept = list(only["汇总"].iter_rows(values_only=True))[1:]
        assert [r[0] for r in kept] == [submitted] and kept[0][6] == "已提交"
        bad = reviewer.send("POST", "/api/exports", data={"format": "book", "state": "nope"})
        assert bad.status_code == 422 and "状态无法识别" in bad.json()["error"]["message"]


def test_the_lists_export_buttons_carry_its_filters(store: Store) -> None:
    page = As(store, "reviewer").get("/evaluations", params={"year": 2023, "state": "draft"})
    form = page.text.split('id="list-export"')[1].split("</form>")[0]
    assert '<input type="hidden" name="year" value="2023">' in form
    assert '<input type="hidden" name="state" value="draft">' in form
    assert 'name="department"' not in form  # no filter, no field
    assert 'value="book">一个 Excel 工作簿' in form and 'value="pdf"' in form
