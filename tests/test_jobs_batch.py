"""The files of an import batch stored together and a rescore worked out a run of documents
at a time (issue 14's speed), on the embedded SQLite (tests/test_province_scale.py runs the
same on PostgreSQL with real workers): whatever the batch holds, every file ends as it does
imported one at a time (the same outcome and message, tables, findings, versions, history);
a file that cannot be stored with the others fails alone with its message; a batch whose
worker died is run again one file at a time; a rescore uses the report's other parts kept
at import, not the file read again.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, update

from jixiao.document.evaluation_file import dump_json, evaluation_to_data
from jixiao.model import Evaluation, Funds, Indicator
from jixiao.service.jobs import (
    BATCH_BYTES,
    BATCH_FILES,
    Context,
    run_item,
    run_items,
    start_rescore,
)
from jixiao.store import Role, Store, open_store
from jixiao.store import jobs as stored_jobs
from jixiao.store.jobs import ItemState
from jixiao.store.schema import documents
from tests.conftest import postgres_schema
from tests.test_jobs import REPORTS, variant

UNIT = "株洲市芦淞区科技和工业信息化局"


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    """Two stores with the same people: one for the batch, one for one file at a time
    (SQLite files, or two schemas of the test PostgreSQL)."""
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            urls = [str(tmp_path / "batch.db"), str(tmp_path / "alone.db")]
        else:
            server = request.getfixturevalue("postgres_url")
            urls = [stack.enter_context(postgres_schema(server, name)) for name in ("b", "a")]
        batch, alone = (stack.enter_context(open_store(url)) for url in urls)
        for store in (batch, alone):
            store.add_user("reviewer", Role.REVIEWER, "password-1234")
        yield batch, alone


def queued(store: Store, files: list[tuple[str, bytes]]) -> list[int]:
    reviewer = store.user("reviewer")
    assert reviewer is not None
    with store.writing() as connection:
        job_id = stored_jobs.create_job(connection, "import", "测试", {"unit": None}, reviewer.id)
        return stored_jobs.add_items(
            connection, job_id, [stored_jobs.NewItem(name, content) for name, content in files]
        )


def json_file(name: str, year: int, actual: str) -> bytes:
    """An evaluation file (JSON) of one project of UNIT."""
    evaluation = Evaluation(
        kind="project",
        name=name,
        department=UNIT,
        year=year,
        funds=Funds(annual_budget=Decimal(100), executed=Decimal(90), weight=Decimal(10)),
        indicators=(
            Indicator(
                level1="产出指标",
                level2="数量指标",
                name="培训人数",
                target=f"≥{100 + (year - 2023) * 20}人",  # below last year's actual
                actual=actual,
                weight=Decimal(50),
                score=Decimal(50),
            ),
            Indicator(
                level1="满意度指标",
                level2="服务对象满意度指标",
                name="满意度",
                target="≥90%",
                actual="95%",
                weight=Decimal(40),
                score=Decimal(40),
            ),
        ),
    )
    return dump_json(evaluation_to_data(evaluation, sources=False)).encode("utf-8")


def _rows(connection: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.exec_driver_sql(sql).all()]


def picture(store: Store) -> dict[str, Any]:
    """What the store holds, by file name rather than by id (ids differ between stores)."""
    with store.reading() as connection:
        return {
            "items": _rows(
                connection,
                "SELECT label, state, message FROM job_items ORDER BY position",
            ),
            "tables": sorted(
                _rows(
                    connection,
                    "SELECT d.file_name, e.table_index, e.name, e.year, e.score, e.score_grade,"
                    " e.errors, e.warnings, e.infos, e.revision, e.version"
                    " FROM evaluations e JOIN documents d ON d.id = e.document_id",
                ),
                key=repr,
            ),
            "findings": Counter(
                _rows(
                    connection,
                    "SELECT d.file_name, f.code, f.message FROM findings f"
                    " JOIN documents d ON d.id = f.document_id",
                )
            ),
            "versions": _rows(connection, "SELECT count(*) FROM evaluation_versions"),
            "history": Counter(_rows(connection, "SELECT action, note FROM history")),
            "documents": sorted(_rows(connection, "SELECT file_name FROM documents")),
        }


def both_ways(stores: tuple[Store, Store], files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """The files imported as one batch into the first store and one at a time into the
    second: what each holds then, which must be the same."""
    batch, alone = stores
    run_items(Context.of(batch), queued(batch, files), "test:1")
    context = Context.of(alone)
    for item_id in queued(alone, files):
        run_item(context, item_id, "test:2")
    together, apart = picture(batch), picture(alone)
    assert together == apart
    return together


def test_a_batch_ends_as_its_files_imported_one_at_a_time(stores: tuple[Store, Store]) -> None:
    files = [(f"报告/{r.name}", r.read_bytes()) for r in REPORTS]
    files += [
        ("again.txt", REPORTS[1].read_bytes()),  # the same bytes twice in one batch
        ("第二版.txt", variant(REPORTS[0], 2)),  # the next version of a record of the batch
        ("第三版.txt", variant(REPORTS[0], 3)),
        ("坏文件.docx", b"this is not a word file"),
    ]
    held = both_ways(stores, files)
    states = {label: state for label, state, _ in held["items"]}
    assert states["again.txt"] == ItemState.EXISTS
    assert states["坏文件.docx"] == ItemState.FAILED
    assert states["第三版.txt"] == ItemState.IMPORTED
    assert "新版本" in dict((label, message) for label, _, message in held["items"])["第三版.txt"]
    assert held["versions"][0][0] > 0


def test_last_years_tables_come_from_the_store_and_from_the_batch(
    stores: tuple[Store, Store],
) -> None:
    for store in stores:  # last year's table of one project, stored before the batch
        context = Context.of(store)
        for item_id in queued(store, [("2023甲.json", json_file("甲项目", 2023, "150人"))]):
            run_item(context, item_id)
    held = both_ways(stores, [("2024甲.json", json_file("甲项目", 2024, "60人"))])
    compared = {name for name, code, _ in held["findings"] if code.startswith("TG")}
    assert "2024甲.json" in compared  # looked for with the batch's other tables at once
    files = [
        ("2023乙.json", json_file("乙项目", 2023, "150人")),  # last year's of the next file:
        ("2024乙.json", json_file("乙项目", 2024, "40人")),  # the batch stores it first
    ]
    held = both_ways(stores, files)
    compared = {name for name, code, _ in held["findings"] if code.startswith("TG")}
    assert "2024乙.json" in compared


def test_a_file_that_cannot_be_stored_with_the_batch_fails_alone(
    stores: tuple[Store, Store],
) -> None:
    for store in stores:  # a record submitted: no new version of it replaces it
        run_items(Context.of(store), queued(store, [("v1.txt", variant(REPORTS[0], 1))]))
        with store.writing() as connection:
            connection.exec_driver_sql("UPDATE evaluations SET state = 'submitted'")
    files = [
        ("其他.txt", REPORTS[2].read_bytes()),
        ("v2.txt", variant(REPORTS[0], 2)),
        ("又一份.txt", REPORTS[3].read_bytes()),
    ]
    held = both_ways(stores, files)
    said = {label: (state, message) for label, state, message in held["items"]}
    assert said["v2.txt"][0] == ItemState.FAILED and "已提交" in said["v2.txt"][1]
    assert said["其他.txt"][0] == said["又一份.txt"][0] == ItemState.IMPORTED


def test_a_batch_whose_worker_died_is_run_again_one_file_at_a_time(
    stores: tuple[Store, Store],
) -> None:
    store = stores[0]
    ids = queued(store, [(r.name, r.read_bytes()) for r in REPORTS[:3]])
    with store.writing() as connection:  # claimed together by a worker that then died
        claims, alone, left = stored_jobs.claim_batch(
            connection, ids, "gone:1", BATCH_BYTES, BATCH_FILES
        )
    assert [c.item_id for c in claims] == ids and alone == left == []
    with store.writing() as connection:  # tried before: never in a batch again
        assert stored_jobs.claim_batch(connection, ids, "test:1", BATCH_BYTES, BATCH_FILES) == (
            [],
            ids,
            [],
        )
    run_items(Context.of(store), ids, "test:1")
    with store.reading() as connection:
        rows = _rows(connection, "SELECT state, attempts, claimed_by FROM job_items")
    assert rows == [(ItemState.IMPORTED, 2, "test:1")] * 3
    assert store.counts()["documents"] == 3


def test_a_rescore_uses_the_parts_kept_at_import_not_the_file(
    stores: tuple[Store, Store],
) -> None:
    store = stores[0]
    run_items(Context.of(store), queued(store, [(r.name, r.read_bytes()) for r in REPORTS]))
    before = picture(store)
    with store.writing() as connection:
        kept = connection.exec_driver_sql("SELECT count(report_parts) FROM documents").scalar()
        assert kept == len(REPORTS)
        # a file that could no longer be read: the narrative's findings stay all the same
        connection.execute(update(documents).values(content=b"\0"))
    context = Context.of(store)

    def rescore() -> None:
        def enqueue(store: Store, write: Any) -> list[int]:
            with store.writing() as connection:
                ids: list[int] = write(connection)
            run_items(context, ids)
            return ids

        start_rescore(store, enqueue, None, "测试")

    rescore()
    after = picture(store)
    assert after["findings"] == before["findings"] and after["tables"] == before["tables"]
    assert not any(action == "rescore" for action, _ in after["history"])
    # a file stored before the parts were kept: read once by the rescore, kept from then on
    with store.writing() as connection:
        connection.exec_driver_sql("UPDATE documents SET report_parts = NULL")
        for document in REPORTS:
            connection.execute(
                update(documents)
                .where(documents.c.file_name == document.name)
                .values(content=document.read_bytes())
            )
    rescore()
    with store.reading() as connection:
        missing = connection.exec_driver_sql(
            "SELECT count(*) FROM documents WHERE report_parts IS NULL"
            " AND id IN (SELECT document_id FROM evaluations)"
        ).scalar()
    assert missing == 0
    assert picture(store)["findings"] == before["findings"]
