"""The evaluations' summary columns (migration 0003): the execution rate and the finding
counts the dashboard and the list read instead of parsing ``data``. On SQLite and on
PostgreSQL (conftest.postgres_url).

Figures from the seed reports (src/jixiao/samples/reports), as in test_web_pages:
000 funds 4465.5 / 4465.5 (100%), 001 1451.29 / 1452.61 (99.91%), 003 executed blank
(unknown), 004 1725.06 / 1863.29 (92.58%) and 85 / 85 (100%).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import MetaData, insert, select, text

from jixiao.audit import AuditSettings
from jixiao.service import Service
from jixiao.service.store import edit_evaluation, import_file, prepare
from jixiao.store import EvaluationFilter, ImportStatus, Role, State, Store, open_store
from jixiao.store.dashboard import dashboard
from jixiao.store.database import _alembic_config, make_engine
from jixiao.store.schema import documents, evaluations, findings, metadata
from tests.conftest import SAMPLES, postgres_schema

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
UNITS = (
    "株洲市科学技术局",
    "芦淞区科工信局",
    "衡阳市科学技术局",
    "株洲市工信局",
    "岳阳市科学技术局",
)
PASSWORD = "correct horse 42"
SUMMARY = ("annual_budget", "executed", "execution_rate", "errors", "warnings", "infos")
# the tables a 0002 database holds data in, parents before children
COPIED = ("units", "users", "documents", "evaluations", "findings", "comments", "history")


@pytest.fixture(params=["sqlite", "postgresql"])
def urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh, empty databases on the same kind of server."""
    if request.param == "sqlite":
        yield str(tmp_path / "a.db"), str(tmp_path / "b.db")
        return
    server = request.getfixturevalue("postgres_url")
    with postgres_schema(server, "sa") as first, postgres_schema(server, "sb") as second:
        yield first, second


@pytest.fixture(scope="module")
def service() -> Service:
    return Service()


def fill(store: Store, service: Service) -> None:
    """The five seeds; the 芦淞 table rescored after an edit and approved, 岳阳's submitted."""
    for path, unit in zip(REPORTS, UNITS, strict=True):
        assert import_file(store, service, path, unit=unit).error is None
    store.add_user("filler", Role.FILLER, PASSWORD, unit=UNITS[1])
    store.add_user("yueyang", Role.FILLER, PASSWORD, unit=UNITS[4])
    store.add_user("reviewer", Role.REVIEWER, PASSWORD)
    store.add_user("admin", Role.ADMIN, PASSWORD)
    lusong = one(store, search="芦淞")
    edit_evaluation(store, service, lusong, "funds.executed", Decimal("1200"), "filler")
    store.transition(lusong, State.SUBMITTED, "filler")
    store.transition(lusong, State.APPROVED, "reviewer")
    store.transition(one(store, search="市级专项资金"), State.SUBMITTED, "yueyang")


def one(store: Store, **where: Any) -> int:
    found = store.evaluations(EvaluationFilter(**where)).items
    assert len(found) == 1, found
    return found[0].id


def summaries(store: Store) -> dict[int, tuple[Any, ...]]:
    with store.reading() as connection:
        rows = connection.execute(
            select(evaluations.c.id, *(evaluations.c[c] for c in SUMMARY)).order_by(
                evaluations.c.id
            )
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def places(store: Store) -> dict[tuple[str, int, int | None], int]:
    """Each table's id by (file, table number, its parent's table number)."""
    parent = evaluations.alias("parent")
    with store.reading() as connection:
        rows = connection.execute(
            select(
                documents.c.file_name,
                evaluations.c.table_index,
                parent.c.table_index,
                evaluations.c.id,
            ).select_from(
                evaluations.join(documents, documents.c.id == evaluations.c.document_id).outerjoin(
                    parent, parent.c.id == evaluations.c.parent_id
                )
            )
        )
        return {(name, index, above): number for name, index, above, number in rows}


def expected_summary(store: Store, evaluation_id: int) -> dict[str, Any]:
    """What the columns must say: the stored data's funds, the findings table's counts."""
    funds = store.evaluation(evaluation_id).evaluation.funds
    with store.reading() as connection:
        severities = Counter(
            connection.scalars(
                select(findings.c.severity).where(findings.c.evaluation_id == evaluation_id)
            )
        )
    rate = None
    if funds.annual_budget and funds.executed is not None:
        rate = pytest.approx(float(funds.executed) * 100 / float(funds.annual_budget))
    return {
        "annual_budget": funds.annual_budget,
        "executed": funds.executed,
        "execution_rate": rate,
        "errors": severities["error"],
        "warnings": severities["warning"],
        "infos": severities["info"],
    }


def actual_summary(store: Store, evaluation_id: int) -> dict[str, Any]:
    with store.reading() as connection:
        row = connection.execute(
            select(*(evaluations.c[c] for c in SUMMARY)).where(evaluations.c.id == evaluation_id)
        ).one()
    return dict(row._mapping)


def boards(store: Store) -> list[dict[str, Any]]:
    """The dashboard for all years, each year, each department and one of both."""
    with store.reading() as connection:
        whole = dashboard(connection)
        choices = [(None, None), *((y, None) for y in whole.years)]
        choices += [(None, d) for d in whole.department_names] + [(2024, "岳阳市科学技术局")]
        return [asdict(dashboard(connection, year, name)) for year, name in choices]


def at_0002(url: str) -> None:
    """An empty database as jixiao left it before 0003."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0002")
    finally:
        engine.dispose()


def copy_rows(source: Store, url: str) -> None:
    """Every row of ``source`` into the 0002 database at ``url``, in the columns it has."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection, source.reading() as reading:
            tables = MetaData()
            tables.reflect(connection, only=COPIED)
            for name in COPIED:
                target = tables.tables[name]
                origin = metadata.tables[name]
                columns = [origin.c[column.name] for column in target.columns]
                query = select(*columns).order_by(origin.c.id)
                rows = [dict(row._mapping) for row in reading.execute(query)]
                if rows:
                    connection.execute(insert(target), rows)
    finally:
        engine.dispose()


def test_upgrading_from_0002_gives_the_same_dashboard(
    urls: tuple[str, str], service: Service
) -> None:
    fresh_url, old_url = urls
    with open_store(fresh_url) as fresh:
        fill(fresh, service)
        expected, columns = boards(fresh), summaries(fresh)
        at_0002(old_url)
        copy_rows(fresh, old_url)
    with open_store(old_url) as upgraded:  # 0003 adds the columns and fills them in
        assert summaries(upgraded) == columns
        assert boards(upgraded) == expected
        with upgraded.reading() as connection:
            board = dashboard(connection)
    rates = {b.label: b.count for b in board.execution_rates}
    # 000, 003 (80 of 80) and 004's project at 100 %, 004's department at 92.58 %; the
    # 芦淞 table's edit put it at 1200 / 1452.61 = 82.6 %
    assert rates == {
        "低于60%": 0,
        "60–80%": 0,
        "80–90%": 1,
        "90–95%": 1,
        "95–100%": 0,
        "100%以上": 3,
        "未知": 0,
    }
    assert board.evaluations == 5
    assert sum(d.errors for d in board.departments) > 0
    lusong = next(d for d in board.departments if "芦淞" in d.department)
    assert lusong.open == 0  # approved: none of its findings is still open


def test_summary_columns_follow_import_and_edits(urls: tuple[str, str], service: Service) -> None:
    with open_store(urls[0]) as store:
        fill(store, service)
        every = list(summaries(store))
        assert len(every) == 11  # 000: a fund and 6 支出方向; 001; 003; 004: two tables
        for number in every:
            assert actual_summary(store, number) == expected_summary(store, number), number
        # an edit with a rescore: new funds figures, new findings, new counts
        yueyang = one(store, search="岳阳市科学技术局", kind="department")
        before = actual_summary(store, yueyang)
        edit_evaluation(store, service, yueyang, "funds.executed", Decimal("1863.29"), "yueyang")
        after = actual_summary(store, yueyang)
        assert after == expected_summary(store, yueyang)
        assert after["execution_rate"] == pytest.approx(100.0)
        assert before["execution_rate"] == pytest.approx(1725.06 * 100 / 1863.29)
        # an edit without rescoring keeps the findings, and their counts, but not the funds
        store.edit(yueyang, "funds.annual_budget", None, "yueyang")
        blank = actual_summary(store, yueyang)
        assert blank == expected_summary(store, yueyang)
        assert blank["annual_budget"] is None and blank["execution_rate"] is None
        assert [blank[c] for c in SUMMARY[3:]] == [after[c] for c in SUMMARY[3:]]
        # several fields in one transaction
        fund = one(store, search="科技发展专项", top_level=True)
        store.edit_many(
            fund,
            [("funds.annual_budget", Decimal("5000")), ("funds.executed", Decimal("2500"))],
            "admin",
        )
        assert actual_summary(store, fund) == expected_summary(store, fund)
        assert actual_summary(store, fund)["execution_rate"] == pytest.approx(50.0)
        # the list reads its counts from the columns; has_errors agrees with the findings
        listed = store.listed(EvaluationFilter(), per_page=50)
        for item in listed.items:
            counts = expected_summary(store, item.summary.id)
            assert (item.errors, item.warnings, item.infos) == (
                counts["errors"],
                counts["warnings"],
                counts["infos"],
            )
        erroneous = {i.summary.id for i in store.listed(EvaluationFilter(), has_errors=True).items}
        assert erroneous == {i.summary.id for i in listed.items if i.errors}
        assert len(erroneous) < len(listed.items)


def test_a_batch_import_stores_what_single_imports_do(
    urls: tuple[str, str], service: Service
) -> None:
    """``Store.import_documents`` (bulk loads): the same rows, ids and findings as one file
    at a time; copies within the batch and files stored before are only reported."""
    prepared = [prepare(service, path, path.read_bytes(), AuditSettings()) for path in REPORTS]
    with open_store(urls[0]) as single, open_store(urls[1]) as batch:
        for new in prepared:
            single.import_document(new)
        first = batch.import_documents(prepared[:2])
        outcomes = batch.import_documents([*prepared, prepared[3]])
        assert [o.status for o in first] == [ImportStatus.IMPORTED] * 2
        assert [o.status for o in outcomes] == [ImportStatus.EXISTS] * 2 + [
            ImportStatus.IMPORTED
        ] * 3 + [ImportStatus.EXISTS]
        assert outcomes[-1].document_id == outcomes[3].document_id
        assert [(o.evaluations, o.findings) for o in outcomes[:5]] == [
            (len([t for e in n.evaluations for t in e.walk()]), len(n.findings)) for n in prepared
        ]
        assert single.counts() == batch.counts()
        # the ids differ (a batch inserts level by level): compare table by table
        assert places(single).keys() == places(batch).keys()
        for place, number in places(single).items():
            one_by_one, together = single.evaluation(number), batch.evaluation(places(batch)[place])
            assert together.evaluation == one_by_one.evaluation
            assert actual_summary(batch, together.summary.id) == actual_summary(single, number)
            assert [f.code for f in together.findings] == [f.code for f in one_by_one.findings]
            for field in ("table_index", "kind", "year", "name", "score", "score_grade", "unit"):
                assert getattr(together.summary, field) == getattr(one_by_one.summary, field)
            assert (together.summary.parent_id is None) == (one_by_one.summary.parent_id is None)
        fund = one(batch, search="科技发展专项", top_level=True)
        assert len(batch.evaluation(fund).evaluation.children) == 6
        with batch.reading() as connection:
            parents = connection.execute(
                text("SELECT COUNT(*) FROM evaluations WHERE parent_id = :f"), {"f": fund}
            ).scalar()
        assert parents == 6
