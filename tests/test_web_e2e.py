"""End to end in a real browser: ``jixiao serve`` on a fresh SQLite database with the demo
users, driven by Playwright through Debian's Chromium (never a downloaded browser).

The story of the issue, as people would click it:
- the 填报 user of seed 001's unit (株洲市芦淞区科技和工业信息化局) uploads seed 001 on the
  upload page and opens the table it made;
- FD02 sits on the 执行得分 cell (written 9; 1451.29 / 1452.61 = 99.91% of 分值 10 is 9.99,
  as the finding's own message says); the user types the right score into the cell, the
  form re-renders from the server and the marker goes without a page load; then 提交审核;
- 审核 (shenhe) returns it with a comment, the 填报 user submits it again, 审核 approves;
- the history shows the edit (old → new) and every step, the return with its comment;
- another unit's 填报 user gets 404 for the page, the API and a PATCH, and changes nothing;
- that user's upload of the unit's report is refused (the reason shown), the unit's
  corrected upload becomes 第2版 of the one record and the page compares the versions; an
  administrator deletes it into the trail;
- a review season (issue 12.2, 12.3): the unit submits two tables (asked first: errors are
  open), the reviewer finds them in 待审核 (counted in the menu), decides findings one by
  one (需修改 / 已核实无误 / 可忽略 with comments), notes a cell, returns one table; the unit
  sees the notice on its list, corrects and submits again; the reviewer approves both in one
  batch (asked first), publishes one (asked first), and downloads the signed opinion, which
  is opened as a PDF (page images in tests/artifacts/e2e/) and read for internal field names
  and for its conclusion.

A step that asks first shows the browser's confirmation dialog: every page here accepts
it, and keeps what it asked (``asked``).

A screenshot of the page with FD02 marked goes to tests/artifacts/e2e/ for a person to see.
"""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect, sync_playwright

from jixiao.cli.serve import DEMO_PASSWORD, add_demo_users, demo_logins, sample_units
from jixiao.service import Service
from jixiao.store import open_store
from tests.conftest import ROOT, SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="没有 /usr/bin/chromium（Debian 的 chromium 包）：运行 scripts/install-system-packages",
)

SEED_001 = next((SAMPLES / "reports").glob("001_*.txt"))
ARTIFACTS = ROOT / "tests" / "artifacts" / "e2e"
TIMEOUT_MS = 15_000


@dataclass(frozen=True, slots=True)
class Site:
    url: str
    filler: str  # the 填报 login of seed 001's unit
    other: str  # a 填报 login of another unit
    reviewer: str
    admin: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jixiao serve 退出（{server.returncode}）：\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"jixiao serve 60 秒内没有响应：\n{log.read_text()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``jixiao serve`` on a new database holding only the demo users (nothing imported:
    seed 001 comes in through the upload page)."""
    folder = tmp_path_factory.mktemp("e2e")
    database = f"sqlite:///{folder / 'jixiao.db'}"
    units = sample_units(Service())
    logins = demo_logins(units.values())
    with open_store(database) as store:
        add_demo_users(store, logins)
    fillers = {login.unit: login.name for login in logins if login.role == "填报"}
    filler = fillers[units[SEED_001]]
    other = next(name for unit, name in fillers.items() if unit != units[SEED_001])
    reviewer = next(login.name for login in logins if login.role == "审核")
    admin = next(login.name for login in logins if login.role == "管理员")
    with serving(database, folder) as url:
        yield Site(url, filler, other, reviewer, admin)


@contextlib.contextmanager
def serving(database: str, folder: Path) -> Iterator[str]:
    """``jixiao serve`` on ``database`` in a process of its own (its log in ``folder``),
    its address while it runs; stopped with Ctrl-C as a user stops it."""
    port, log = _free_port(), folder / "serve.log"
    command = [
        sys.executable,
        "-c",
        "import sys; from jixiao.cli.main import main; sys.exit(main(sys.argv[1:]))",
    ]
    command += ["serve", "--db", database, "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log)
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield launched
        finally:
            launched.close()


# The questions of confirmation dialogs, by page (accepted as a person who means it would)
ASKED: dict[int, list[str]] = {}


def asked(page: Page) -> list[str]:
    return ASKED.setdefault(id(page), [])


def _accept(page: Page) -> None:
    def answer(dialog: Dialog) -> None:
        asked(page).append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)


def signed_in(browser: Browser, url: str, name: str) -> Page:
    """A page of a fresh browser profile (its own cookies) on the server at ``url``, logged
    in as ``name`` through the login form; close its ``context`` when done."""
    context = browser.new_context(
        base_url=url, locale="zh-CN", viewport={"width": 1440, "height": 1000}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/evaluations$"))
    return page


@pytest.fixture(scope="module")
def session(browser: Browser, site: Site) -> Iterator[Any]:
    """``session(name)``: a fresh browser profile (its own cookies) logged in as ``name``
    through the login form, accepting confirmation dialogs; every profile is closed at the
    end."""
    contexts: list[BrowserContext] = []

    def open_as(name: str) -> Page:
        page = signed_in(browser, site.url, name)
        contexts.append(page.context)
        _accept(page)
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def uploaded(session: Any, site: Site) -> int:
    """Seed 001 uploaded on the upload page by its unit's 填报 user: the new table's id."""
    page = session(site.filler)
    page.locator("header.top nav").get_by_role("link", name="上传", exact=True).click()
    page.locator("#upload-files").set_input_files(str(SEED_001))
    expect(page.locator("#chosen")).to_contain_text(SEED_001.name)
    page.locator("#upload-button").click()
    row = page.locator("#upload-results tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text("已导入")
    link = row.get_by_role("link", name="表1")
    href = link.get_attribute("href") or ""
    number = re.fullmatch(r"/evaluations/(\d+)", href)
    assert number is not None, href
    page.context.close()
    return int(number.group(1))


def _history(page: Page) -> list[list[str]]:
    """The rows of the history table: 时间, 用户, 操作, 字段, 原值, 新值, 意见."""
    rows = page.locator("section.history tbody tr")
    return [
        [cell.strip() for cell in rows.nth(k).locator("td").all_inner_texts()]
        for k in range(rows.count())
    ]


def _step(page: Page, to: str, comment: str = "") -> None:
    """Take a workflow step with its button (the page reloads after it)."""
    if comment:
        page.locator("#workflow-comment").fill(comment)
    with page.expect_navigation():
        page.locator(f'button.step[data-to="{to}"]').click()


def test_fd02_fixed_in_place_then_returned_resubmitted_and_approved(
    session: Any, site: Site, uploaded: int
) -> None:
    filler = session(site.filler)
    filler.goto(f"/evaluations/{uploaded}")
    cell = filler.locator('#evaluation-form td[data-path="funds.score"]')
    marker = cell.locator("a.mark", has_text="FD02")
    expect(cell).to_have_class(re.compile(r"\bsev-error\b"))
    expect(marker).to_have_count(1)
    expect(cell.locator(".edit")).to_have_text("9")
    # the explanation beside the form, linked to the cell, says what the score should be
    explained = filler.locator(f'aside.findings a.goto[data-cell="{cell.get_attribute("id")}"]')
    message = explained.filter(has_text="执行得分").inner_text()
    due = re.search(r"应为 ([\d.]+)", message)
    assert due is not None, message
    assert due.group(1) == "9.99"  # 10 × 1451.29 / 1452.61 = 9.9909…
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    filler.screenshot(path=str(ARTIFACTS / "evaluation-fd02.png"), full_page=True)

    # edit the cell as a person does: click, replace the text, Enter (saves on leaving)
    filler.evaluate("window.__sameDocument = true")
    cell.locator(".edit").click()
    filler.keyboard.press("ControlOrMeta+A")
    filler.keyboard.type(due.group(1))
    filler.keyboard.press("Enter")
    expect(filler.locator("#save-status")).to_have_text("已保存")
    expect(marker).to_have_count(0)
    expect(cell).not_to_have_class(re.compile(r"\bsev-error\b"))
    expect(cell.locator(".edit")).to_have_text(due.group(1))
    assert filler.evaluate("window.__sameDocument === true"), "the page was reloaded"
    # the counts above the form were redrawn with it: as many errors as the list shows
    errors = filler.locator("aside.findings li.finding.sev-error")
    expect(filler.locator("#finding-counts .count-error")).to_have_text(f"{errors.count()} 错误")
    expect(filler.locator("aside.findings")).not_to_contain_text("FD02")
    filler.screenshot(path=str(ARTIFACTS / "evaluation-fixed.png"), full_page=True)

    _step(filler, "submitted")
    expect(filler.locator(".workflow .badge")).to_have_text("已提交")
    expect(filler.locator(".edit")).to_have_count(0)  # a submitted table is not editable

    reviewer = session(site.reviewer)
    reviewer.goto(f"/evaluations/{uploaded}")
    reviewer.locator('button.step[data-to="returned"]').click()  # no reason: refused
    expect(reviewer.locator("#workflow-status")).to_contain_text("请先在意见栏写明退回原因")
    reason = "请补充完成技术合同交易额超额完成的原因"
    _step(reviewer, "returned", reason)
    expect(reviewer.locator(".workflow .badge")).to_have_text("已退回")

    filler.reload()
    expect(filler.locator("#comment-list")).to_contain_text(reason)
    _step(filler, "submitted")
    expect(filler.locator(".workflow .badge")).to_have_text("已提交")

    reviewer.reload()
    _step(reviewer, "approved")
    expect(reviewer.locator(".workflow .badge")).to_have_text("已审核")

    rows = [row[1:] for row in _history(reviewer)]  # without the time
    edits = [row for row in rows if row[1] == "修改"]
    assert [site.filler, "修改", "资金：得分", "9", "9.99", ""] in edits
    steps = [row for row in rows if row[1] == "流程"]
    assert steps == [
        [site.filler, "流程", "状态", "草稿", "已提交", ""],
        [site.reviewer, "流程", "状态", "已提交", "已退回", reason],
        [site.filler, "流程", "状态", "已退回", "已提交", ""],
        [site.reviewer, "流程", "状态", "已提交", "已审核", ""],
    ]
    assert rows[0][1] == "导入"


def test_another_units_filler_is_refused(session: Any, site: Site, uploaded: int) -> None:
    other = session(site.other)
    response = other.goto(f"/evaluations/{uploaded}")
    assert response is not None and response.status == 404
    expect(other.locator("body")).not_to_contain_text("芦淞")
    expect(other.locator("#evaluation-form")).to_have_count(0)
    assert other.request.get(f"/api/evaluations/{uploaded}").status == 404
    owner = session(site.filler)
    before = owner.request.get(f"/api/evaluations/{uploaded}").json()
    token = other.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    assert token
    patched = other.request.patch(
        f"/api/evaluations/{uploaded}",
        data={"changes": [{"path": "funds.score", "value": 0}]},
        headers={"X-CSRF-Token": token},
    )
    assert patched.status == 404, patched.text()
    assert "芦淞" not in patched.text()
    listed = other.request.get("/api/evaluations").json()
    assert uploaded not in [item["id"] for item in listed["items"]]
    after = owner.request.get(f"/api/evaluations/{uploaded}").json()
    assert after["version"] == before["version"]
    assert after["evaluation"]["funds"] == before["evaluation"]["funds"]


def test_another_units_report_is_refused_and_a_corrected_one_is_the_next_version(
    session: Any, site: Site, tmp_path: Path
) -> None:
    """Another unit's clerk uploads seed 001's unit's report: refused, the reason on the
    upload page, nothing stored. The unit uploads it, then a corrected copy (第1个指标's
    actual 20 → 21): one record, 第2版 in its history, its versions compared on the page;
    an administrator deletes it (asked first) and it leaves the list for the trail."""
    year = 2014  # a year no other test stores
    report = _report_of_year(tmp_path, year, "更正前")
    other = session(site.other)
    other.goto("/upload")
    other.locator("#upload-files").set_input_files(str(report))
    other.locator("#upload-button").click()
    row = other.locator("#upload-results tbody tr")
    expect(row.locator("td").nth(1)).to_have_text("失败")
    said = row.locator("td").nth(2)
    expect(said).to_contain_text("不是本单位")
    expect(said).to_contain_text("株洲市芦淞区科技和工业信息化局")
    expect(said).to_contain_text("请联系审核人员代为导入")
    expect(row.get_by_role("link")).to_have_count(0)
    other.screenshot(path=str(ARTIFACTS / "upload-refused.png"), full_page=True)
    assert other.request.get("/api/evaluations", params={"year": year}).json()["total"] == 0

    filler = session(site.filler)
    (first,) = _upload(filler, [report])
    text = report.read_text(encoding="utf-8")
    assert "\t16家\n\t20\n" in text  # 第1个指标: target 16家, actual 20
    corrected = tmp_path / "更正后.txt"
    corrected.write_text(text.replace("\t16家\n\t20\n", "\t16家\n\t21\n"), encoding="utf-8")
    (second,) = _upload(filler, [corrected])
    assert second == first
    expect(filler.locator("#upload-results tbody tr td").nth(2)).to_contain_text("新版本")
    listed = filler.request.get("/api/evaluations", params={"year": year}).json()
    assert listed["total"] == 1

    filler.goto(f"/evaluations/{first}")
    versions = filler.locator("#versions")
    expect(versions.locator("table").first.locator("tbody tr")).to_have_count(2)
    expect(versions.locator('tr[data-revision="2"]')).to_contain_text("更正后.txt")
    expect(versions.locator("#comparison-title")).to_have_text("第1版 → 第2版：1 处改动")
    change = versions.locator("table.comparison tbody tr")
    expect(change).to_have_count(1)
    assert change.locator("td").all_inner_texts() == ["第1个指标的“实际完成值”", "修改", "20", "21"]
    history = [row[2:] for row in _history(filler) if row[2] == "新版本"]
    assert history == [
        ["新版本", "", "第1版：更正前-2014.txt", "第2版：更正后.txt", "重新上传 更正后.txt"]
    ]
    versions.screenshot(path=str(ARTIFACTS / "versions-compared.png"))
    # any two: the second against the first
    versions.locator('select[name="old"]').select_option("2")
    versions.locator('select[name="new"]').select_option("1")
    with filler.expect_navigation():
        versions.get_by_role("button", name="比较").click()
    expect(versions.locator("#comparison-title")).to_have_text("第2版 → 第1版：1 处改动")

    admin = session(site.admin)
    admin.goto(f"/evaluations/{first}")
    admin.locator("#delete-reason").fill("演示数据，重复上传")
    before = len(asked(admin))
    with admin.expect_navigation(url=re.compile(r"/evaluations$")):
        admin.get_by_role("button", name="删除这张自评表").click()
    assert "确定删除“株洲市芦淞区科技和工业信息化局（2014年度）”吗" in asked(admin)[before]
    expect(admin.locator("#flash")).to_contain_text("已删除")
    assert admin.request.get("/api/evaluations", params={"year": year}).json()["total"] == 0
    admin.goto("/admin/trail")
    expect(admin.locator("table.trail tbody tr").first).to_contain_text("演示数据，重复上传")
    expect(admin.locator("table.trail tbody tr").first).to_contain_text("第2版")


def test_many_files_go_up_in_batches_with_a_result_each(
    session: Any, site: Site, tmp_path: Path
) -> None:
    """Twelve files: one request starts the background batch (an import job), every file's
    result listed as it settles, the broken one marked failed with its reason, the bar at the
    end. The unit's clerk uploads its own unit's report of eleven years (another unit's
    would be refused; the same year again would be a new version of one record): eleven new
    records."""
    files = [_report_of_year(tmp_path, year) for year in range(2000, 2011)]
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"this is no zip")
    files.append(broken)
    page = session(site.filler)
    page.goto("/upload")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#upload-files").set_input_files([str(p) for p in files])
    page.locator("#upload-button").click()
    expect(page.locator("#upload-status")).to_contain_text("完成：12 个文件，失败 1 个")
    rows = page.locator("#upload-results tbody tr")
    expect(rows).to_have_count(12)
    states = rows.locator("td:nth-child(2)").all_inner_texts()
    assert states.count("已导入") == 11 and states.count("失败") == 1
    assert "损坏.docx" in rows.nth(11).inner_text()
    assert [url.rsplit("/", 1)[-1] for url in posts] == ["imports"]
    assert page.locator("#upload-progress").get_attribute("value") == "100"


def _report_of_year(folder: Path, year: int, name: str = "报告") -> Path:
    """Seed 001 (its unit's report of 2023) made the same unit's report of ``year``, saved
    in ``folder`` as ``{name}-{year}.txt``: a record of its own, where the unit's report of
    a year already stored would become that record's next version."""
    path = folder / f"{name}-{year}.txt"
    path.write_text(SEED_001.read_text(encoding="utf-8").replace("2023", str(year)), "utf-8")
    return path


def _upload(page: Page, files: list[Path]) -> list[int]:
    """Upload on the upload page; the first table of each file, in order."""
    page.goto("/upload")
    page.locator("#upload-files").set_input_files([str(p) for p in files])
    page.locator("#upload-button").click()
    rows = page.locator("#upload-results tbody tr")
    expect(rows).to_have_count(len(files))
    ids = []
    for k in range(len(files)):
        expect(rows.nth(k).locator("td").nth(1)).to_have_text("已导入")
        href = rows.nth(k).get_by_role("link", name="表1").get_attribute("href") or ""
        ids.append(int(href.rsplit("/", 1)[-1]))
    return ids


def _finding_item(page: Page, code: str) -> Any:
    return (
        page.locator("aside.findings li.finding")
        .filter(has=page.locator(".code", has_text=code))
        .first
    )


def _pdf_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_review_season_decisions_return_batch_and_publish(
    session: Any, site: Site, tmp_path: Path
) -> None:
    from jixiao.render.pdf import convert_batch
    from tests.test_web_review import INTERNAL, _docx_text

    # two records of the unit: the report of two other years
    files = [_report_of_year(tmp_path, year, "审核季") for year in (2021, 2022)]
    filler = session(site.filler)
    first, second = _upload(filler, files)
    for table in (first, second):  # submitted: the unit is asked first, errors being open
        filler.goto(f"/evaluations/{table}")
        _step(filler, "submitted")
        expect(filler.locator(".workflow .badge")).to_have_text("已提交")
    assert any("错误未改正" in q and "确定提交审核吗" in q for q in asked(filler))

    reviewer = session(site.reviewer)
    reviewer.locator("#menu-review").click()
    waiting = int(reviewer.locator("#menu-review .menu-count").inner_text())
    assert waiting >= 2
    expect(reviewer.locator("table.inbox tbody tr")).to_have_count(waiting)
    expect(reviewer.locator(f'tr[data-id="{first}"] td.when')).to_contain_text("-")

    # the reviewer decides findings one by one, with comments
    reviewer.goto(f"/evaluations/{first}")
    reviewer.evaluate("window.__sameDocument = true")
    decisions = (
        ("FD02", "需修改", "执行得分按执行率 99.91% 应为 9.99 分"),
        ("WT01", "已核实无误", "总分行分值按批复为 90"),
        ("TG01", "可忽略", ""),
    )
    for code, label, comment in decisions:
        item = _finding_item(reviewer, code)
        item.locator(".decide-comment").fill(comment)
        item.get_by_role("button", name=label, exact=True).click()
        expect(reviewer.locator("#save-status")).to_have_text(f"已记录：{label}")
        expect(_finding_item(reviewer, code).locator(".decision .badge")).to_have_text(label)
    assert reviewer.evaluate("window.__sameDocument === true"), "the page was reloaded"
    expect(_finding_item(reviewer, "WT01")).to_contain_text("总分行分值按批复为 90")
    # a note on a cell no finding marks
    reviewer.locator('#evaluation-form td[data-path="indicators[6].actual"]').click()
    expect(reviewer.locator("#note-target")).to_have_text("第7个指标的“实际完成值”")
    reviewer.locator("#note-text").fill("请附技术合同登记证明")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="添加批注").click()
    expect(reviewer.locator("#note-list")).to_contain_text("请附技术合同登记证明")
    reason = "执行得分有误，请按审核意见修改后重新报送"
    _step(reviewer, "returned", reason)
    expect(reviewer.locator(".workflow .badge")).to_have_text("已退回")
    reviewer.screenshot(path=str(ARTIFACTS / "review-decided.png"), full_page=True)

    # the unit sees the notice on its list, with the reason, and the count in the menu
    filler.goto("/evaluations")
    notice = filler.locator("#returned-notice")
    expect(notice).to_contain_text(reason)
    expect(notice).to_contain_text("1 条问题需修改")
    expect(filler.locator("#menu-returned .menu-count")).to_have_text("1")
    filler.screenshot(path=str(ARTIFACTS / "returned-notice.png"), full_page=True)
    notice.get_by_role("link").first.click()
    expect(_finding_item(filler, "FD02").locator(".decision")).to_contain_text("需修改")
    cell = filler.locator('#evaluation-form td[data-path="funds.score"]')
    cell.locator(".edit").click()
    filler.keyboard.press("ControlOrMeta+A")
    filler.keyboard.type("9.99")
    filler.keyboard.press("Enter")
    expect(filler.locator("#save-status")).to_have_text("已保存")
    expect(filler.locator("aside.findings")).not_to_contain_text("FD02")
    _step(filler, "submitted")
    expect(filler.locator(".workflow .badge")).to_have_text("已提交")

    # both approved in one batch, with one comment; asked first (errors not decided)
    reviewer.goto("/review")
    for table in (first, second):
        reviewer.locator(f'input[name="ids"][value="{table}"]').check()
    expect(reviewer.locator("#batch-count")).to_have_text("2")
    reviewer.locator("#batch-comment").fill("同意")
    before = len(asked(reviewer))
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="批量审核通过").click()
    question = asked(reviewer)[before:]
    assert len(question) == 1 and "确定将这 2 张自评表全部审核通过吗" in question[0], question
    expect(reviewer.locator(f'tr[data-id="{first}"]')).to_have_count(0)
    expect(reviewer.locator(f'tr[data-id="{second}"]')).to_have_count(0)

    # 公开 asks first
    reviewer.goto(f"/evaluations/{first}")
    _step(reviewer, "published")
    expect(reviewer.locator(".workflow .badge")).to_have_text("已公开")
    assert "不能撤回" in asked(reviewer)[-1]

    # the signed opinion, downloaded and opened as the unit would
    with reviewer.expect_download() as download:
        reviewer.locator("nav.exports a", has_text="审核意见（Word）").click()
    opinion = tmp_path / "审核意见.docx"
    download.value.save_as(opinion)
    (pdf,) = convert_batch([opinion], tmp_path)
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(pages / "审核意见")],
        check=True,
        timeout=120,
    )
    for png in sorted(pages.glob("*.png")):
        (ARTIFACTS / f"opinion-{png.name}").write_bytes(png.read_bytes())
    text = _pdf_text(pdf)
    assert not INTERNAL.findall(text), INTERNAL.findall(text)
    flat = re.sub(r"\s+", "", text)
    assert re.search(r"审核结论：审核通过，已于\d{4}年\d{1,2}月\d{1,2}日公开。", flat), flat[-400:]
    assert "审核意见：同意" in flat and f"审核人：{site.reviewer}" in flat
    # the cells' words as Word holds them (a PDF's text runs across the table's columns)
    words = _docx_text(opinion.read_bytes())
    assert "已核实无误：总分行分值按批复为 90" in words and "可忽略" in words
    assert "需修改：执行得分按执行率 99.91% 应为 9.99 分" not in words  # FD02 corrected: gone
    assert "请附技术合同登记证明" in words
    assert "应为：57亿元" not in flat and "年度指标值：57亿元" in flat
