"""Background jobs on the embedded SQLite (the web app's own threads run them, issue 14):
an import batch that returns at once and is followed by its job, every file settled once
(a failing one alone), the job found again from a new browser; an item whose worker died is
run again and stores nothing twice; an item that kills every worker fails alone; a change
of the audit settings rescores every table, each table's history saying why; a batch
export makes a zip of the tables and a summary, downloaded by whoever asked for it.

The same job functions on PostgreSQL with procrastinate workers, several servers and a
worker killed mid-batch: tests/test_province_scale.py."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.service.jobs import Context, run_item
from jixiao.service.queue import InProcess
from jixiao.store import Role, Store, open_store
from jixiao.store import jobs as stored_jobs
from jixiao.store.jobs import MAX_ATTEMPTS, ItemState
from tests.conftest import SAMPLES
from tests.web_client import PASSWORD, As, zipped

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNIT_A = "株洲市芦淞区科技和工业信息化局"
WAIT = 120.0  # seconds a job may take on a loaded machine


def variant(report: Path, n: int) -> bytes:
    """The seed report with a line of its own at the end: other bytes, the same tables."""
    return report.read_bytes() + f"\n附：第{n}份\n".encode()


def wait_for(browser: As, job_id: int, timeout: float = WAIT) -> dict[str, Any]:
    """The job once finished, asked for as the upload page asks."""
    deadline = time.monotonic() + timeout
    while True:
        answer = browser.get(f"/api/jobs/{job_id}")
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        if body["state"] == "finished":
            return body
        assert time.monotonic() < deadline, f"后台任务 {job_id} 未在 {timeout} 秒内完成：{body}"
        time.sleep(0.2)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "jixiao.db")) as opened:
        opened.add_user("filler_a", Role.FILLER, PASSWORD, unit=UNIT_A)
        opened.add_user("reviewer", Role.REVIEWER, PASSWORD)
        opened.add_user("admin", Role.ADMIN, PASSWORD)
        yield opened


def test_an_upload_returns_at_once_and_its_job_imports_each_file_once(store: Store) -> None:
    reviewer = As(store, "reviewer")
    with reviewer.client:  # the app's lifespan: its job threads
        archive = zipped(
            {
                "报告/000.txt": REPORTS[0].read_bytes(),
                "报告/001.txt": REPORTS[1].read_bytes(),
                "报告/坏文件.docx": b"this is not a word file",
                "说明.exe": b"MZ",
            }
        )
        files = [
            ("files", ("批量.zip", archive, "application/zip")),
            ("files", ("again.txt", REPORTS[1].read_bytes(), "text/plain")),
        ]
        started = reviewer.send("POST", "/api/imports", files=files)
        assert started.status_code == 202, started.text
        job = started.json()
        assert job["kind"] == "import" and job["total"] == 5
        assert job["waiting"] is None  # this server's own threads run it
        # refused on arrival: settled before any worker looks
        assert job["state"] in {"queued", "running"}
        assert any(i["file"] == "批量.zip/说明.exe" for i in job["items"])
        done = wait_for(reviewer, job["id"])
    results = {i["file"]: i for i in done["items"]}
    assert [i["position"] for i in done["items"]] == list(range(5))  # in the order sent
    assert results["批量.zip/报告/000.txt"]["status"] == "imported"
    assert len(results["批量.zip/报告/000.txt"]["evaluations"]) == 7
    assert results["批量.zip/报告/001.txt"]["status"] == "imported"
    # the same bytes twice in one batch: stored once, whichever ran first
    twice = {results["批量.zip/报告/001.txt"]["status"], results["again.txt"]["status"]}
    assert twice == {"imported", "exists"} or twice == {"imported"}
    bad = results["批量.zip/报告/坏文件.docx"]
    assert bad["status"] == "failed" and "坏文件.docx" in bad["message"]
    assert "不支持" in results["批量.zip/说明.exe"]["message"]
    assert done["failed"] == 2 and done["settled"] == 5
    assert store.counts()["documents"] == 2
    assert store.counts()["job_items"] == 5
    with store.reading() as connection:  # the bytes are let go once imported
        left = connection.exec_driver_sql(
            "SELECT count(*) FROM job_items WHERE content IS NOT NULL"
        ).scalar()
    assert left == 0

    # a reload (a new browser of the same user) finds the job, and only the news after
    again = As(store, "reviewer")
    (mine,) = again.get("/api/jobs", params={"kind": "import"}).json()["jobs"]
    assert mine["id"] == done["id"] and mine["settled"] == 5
    later = again.get(f"/api/jobs/{done['id']}", params={"after": 2}).json()
    assert [i["position"] for i in later["items"]] == [3, 4]
    # nobody else's
    other = As(store, "filler_a")
    assert other.get(f"/api/jobs/{done['id']}").status_code == 404
    assert other.get("/api/jobs", params={"kind": "import"}).json()["jobs"] == []
    assert other.get("/api/jobs", params={"kind": "nonsense"}).status_code == 422


def test_more_files_join_the_batch_and_a_clerk_files_only_its_unit(store: Store) -> None:
    clerk = As(store, "filler_a")
    with clerk.client:
        first = clerk.send(
            "POST", "/api/imports", files=[("files", ("a.txt", REPORTS[1].read_bytes()))]
        ).json()
        more = clerk.send(
            "POST",
            "/api/imports",
            files=[("files", ("b.txt", REPORTS[0].read_bytes()))],
            data={"job": str(first["id"])},
        )
        assert more.status_code == 202 and more.json()["id"] == first["id"]
        done = wait_for(clerk, first["id"])
        # another's job takes no files
        reviewer = As(store, "reviewer")
        refused = reviewer.send(
            "POST",
            "/api/imports",
            files=[("files", ("c.txt", REPORTS[2].read_bytes()))],
            data={"job": str(first["id"])},
        )
        assert refused.status_code == 404
    results = {i["file"]: i for i in done["items"]}
    assert results["a.txt"]["status"] == "imported"
    assert results["b.txt"]["status"] == "failed"  # 株洲市科学技术局's, not unit A's
    assert "株洲市科学技术局" in results["b.txt"]["message"]


def _queued_item(store: Store, content: bytes, label: str = "x.txt") -> int:
    reviewer = store.user("reviewer")
    assert reviewer is not None
    with store.writing() as connection:
        job_id = stored_jobs.create_job(connection, "import", "测试", {"unit": None}, reviewer.id)
        (item_id,) = stored_jobs.add_items(
            connection, job_id, [stored_jobs.NewItem(label, content)]
        )
    return item_id


def _state(store: Store, item_id: int) -> tuple[str, str | None, int]:
    with store.reading() as connection:
        row = connection.exec_driver_sql(
            f"SELECT state, message, attempts FROM job_items WHERE id = {item_id}"
        ).one()
    return row[0], row[1], row[2]


def test_an_item_whose_worker_died_runs_again_and_stores_nothing_twice(store: Store) -> None:
    item = _queued_item(store, REPORTS[4].read_bytes())
    # a worker claimed it and died (a process that no longer exists) before settling it
    with store.writing() as connection:
        assert stored_jobs.claim(connection, item, "this-host-is-gone:1") is not None
    assert _state(store, item)[0] == ItemState.RUNNING
    runner = InProcess(store)
    try:
        assert runner.resume() == 1  # its claimer is not alive here
        deadline = time.monotonic() + WAIT
        while _state(store, item)[0] == ItemState.RUNNING:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        runner.close()
    state, message, attempts = _state(store, item)
    assert (state, attempts) == (ItemState.IMPORTED, 2), message
    counted = store.counts()
    # the queue hands it out once more (a retry after the write): nothing happens
    run_item(Context.of(store), item)
    assert store.counts() == counted and _state(store, item) == (state, message, attempts)
    assert counted["documents"] == 1 and counted["evaluations"] == 2


def test_an_item_that_kills_every_worker_fails_alone(store: Store) -> None:
    item = _queued_item(store, REPORTS[1].read_bytes(), "致命.txt")
    for attempt in range(MAX_ATTEMPTS):
        with store.writing() as connection:
            assert stored_jobs.claim(connection, item, f"gone:{attempt}") is not None
    run_item(Context.of(store), item)  # one attempt too many: settled, not run
    state, message, attempts = _state(store, item)
    assert state == ItemState.FAILED and attempts == MAX_ATTEMPTS + 1
    assert message is not None and "致命.txt" in message and "意外退出" in message
    assert store.counts()["documents"] == 0


AUDIT_WITHOUT_NM01 = b"rules:\n  NM01:\n    enabled: false\n"


def test_new_audit_settings_rescore_every_table_with_the_reason_in_its_history(
    store: Store,
) -> None:
    admin = As(store, "admin")
    with admin.client:
        started = admin.send(
            "POST", "/api/imports", files=[("files", (r.name, r.read_bytes())) for r in REPORTS]
        ).json()
        wait_for(admin, started["id"])
        before = {
            i["id"]: i for i in admin.get("/api/evaluations", params={"size": 200}).json()["items"]
        }
        with store.reading() as connection:
            nm01 = connection.exec_driver_sql(
                "SELECT count(*) FROM findings WHERE code = 'NM01'"
            ).scalar()
        assert nm01 and nm01 > 0  # seed 000's cut-off names
        saved = admin.send(
            "PUT", "/api/settings", files={"audit_file": ("audit.yaml", AUDIT_WITHOUT_NM01)}
        )
        assert saved.status_code == 200, saved.text
        rescore = saved.json()["rescore"]
        assert rescore["kind"] == "rescore" and "审核设置改为上传的 audit.yaml" in rescore["reason"]
        done = wait_for(admin, rescore["id"])
        assert done["failed"] == 0
        with store.reading() as connection:
            assert (
                connection.exec_driver_sql(
                    "SELECT count(*) FROM findings WHERE code = 'NM01'"
                ).scalar()
                == 0
            )
        after = {
            i["id"]: i for i in admin.get("/api/evaluations", params={"size": 200}).json()["items"]
        }
        counts = ("errors", "warnings", "infos")
        changed = [i for i in after if any(after[i][c] != before[i][c] for c in counts)]
        assert changed
        history = admin.get(f"/api/evaluations/{changed[0]}/history").json()
        said = [h for h in history if h["action"] == "rescore"]
        assert len(said) == 1 and said[0]["note"] == rescore["reason"]
        assert said[0]["user"] == "admin"
        # the same settings again: nothing to change, nothing written
        again = admin.send("POST", "/api/jobs/rescore")
        assert again.status_code == 202
        wait_for(admin, again.json()["id"])
        history = admin.get(f"/api/evaluations/{changed[0]}/history").json()
        assert len([h for h in history if h["action"] == "rescore"]) == 1
        # only an administrator starts one
        assert As(store, "reviewer").send("POST", "/api/jobs/rescore").status_code == 403


def test_a_batch_export_makes_a_zip_of_the_tables_and_a_summary(store: Store) -> None:
    reviewer = As(store, "reviewer")
    with reviewer.client:
        started = reviewer.send(
            "POST", "/api/imports", files=[("files", (r.name, r.read_bytes())) for r in REPORTS]
        ).json()
        wait_for(reviewer, started["id"])
        page = reviewer.get("/exports")
        assert page.status_code == 200 and "批量导出" in page.text and "2022" in page.text
        asked = reviewer.send("POST", "/api/exports", data={"format": "xlsx", "year": "2022"})
        assert asked.status_code == 202, asked.text
        job = asked.json()
        assert job["title"] == "2022年度自评表-自评表"
        early = reviewer.get(f"/api/jobs/{job['id']}/download")
        assert early.status_code in {200, 409}  # 409 until it is made
        done = wait_for(reviewer, job["id"])
        assert done["failed"] == 0
        got = reviewer.get(f"/api/jobs/{job['id']}/download")
        assert got.status_code == 200
        assert "filename*=UTF-8''2022" in got.headers["content-disposition"]
        # nobody else downloads this one; a unit's clerk exports its own unit's tables only
        clerk = As(store, "filler_a")
        assert clerk.get(f"/api/jobs/{job['id']}/download").status_code == 404
        own = clerk.send("POST", "/api/exports", data={"format": "xlsx"}).json()
        wait_for(clerk, own["id"])
        mine = clerk.get(f"/api/jobs/{own['id']}/download")
        with zipfile.ZipFile(io.BytesIO(mine.content)) as archive:
            sheet = load_workbook(io.BytesIO(archive.read("汇总.xlsx"))).active
            units = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert units and set(units) == {UNIT_A}
        bad = reviewer.send("POST", "/api/exports", data={"format": "exe"})
        assert bad.status_code == 422 and "xlsx" in bad.json()["error"]["message"]
    listed = reviewer.get(
        "/api/evaluations", params={"year": 2022, "top_level": "true", "size": 200}
    ).json()
    with zipfile.ZipFile(io.BytesIO(got.content)) as archive:
        names = archive.namelist()
        summary = load_workbook(io.BytesIO(archive.read("汇总.xlsx"))).active
        rows = list(summary.iter_rows(values_only=True))
    tables = [n for n in names if n.endswith("-自评表.xlsx")]
    assert "汇总.xlsx" in names and len(tables) == len(rows) - 1
    assert rows[0][:5] == ("编号", "年度", "主管部门", "单位", "名称")
    assert {r[1] for r in rows[1:]} == {2022}
    top = [i for i in listed["items"] if i["parent_id"] is None]
    assert sorted(r[0] for r in rows[1:]) == sorted(i["id"] for i in top)


def test_a_worker_is_for_postgresql_and_says_so_on_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jixiao.cli.main import main

    assert main(["worker", "--db", str(tmp_path / "jixiao.db")]) == 2
    said = capsys.readouterr().err
    assert "只用于 PostgreSQL" in said and "jixiao serve" in said and "Traceback" not in said


def test_a_rescore_of_an_empty_store_is_done_at_once(store: Store) -> None:
    admin = As(store, "admin")
    started = admin.send("POST", "/api/jobs/rescore")
    assert started.status_code == 202
    body = started.json()
    assert body["total"] == 0 and body["state"] == "finished"
