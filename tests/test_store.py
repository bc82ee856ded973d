"""The store on SQLite and on PostgreSQL (conftest.postgres_url: JIXIAO_TEST_PG or a throwaway
server, skipped without PostgreSQL): migrations, imports of the seeds, idempotence, rollback,
edits with history, workflow, users."""

from __future__ import annotations

import dataclasses
import io
import sys
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from jixiao.audit import AuditSettings, run_audit
from jixiao.cli.main import main
from jixiao.document import load_evaluation
from jixiao.ingest import parse_file
from jixiao.service import Service
from jixiao.service.audit import _tables
from jixiao.service.store import edit_evaluation, import_file, import_files
from jixiao.store import (
    EvaluationFilter,
    ImportStatus,
    Role,
    State,
    Store,
    StoreError,
    head_revision,
    jsondata,
    open_store,
)
from jixiao.store import documents as store_documents
from jixiao.store.schema import metadata
from tests.conftest import SAMPLES, postgres_schema

REPORTS = sorted((SAMPLES / "reports").glob("*.txt"))
YAMLS = sorted(SAMPLES.glob("*.yaml"))
ZHUZHOU_2022 = REPORTS[0]  # 株洲市2022年度科技发展专项: a fund and its 6 支出方向
UNIT = "株洲市科学技术局"
PASSWORD = "correct horse 42"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "jixiao.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url"), "t") as schema_url:
        yield schema_url


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    with open_store(url) as opened:
        yield opened


@pytest.fixture(scope="module")
def service() -> Service:
    return Service()


def people(store: Store) -> None:
    store.add_user("filler", Role.FILLER, PASSWORD, unit=UNIT, display_name="张三")
    store.add_user("reviewer", Role.REVIEWER, PASSWORD)
    store.add_user("other", Role.FILLER, PASSWORD, unit="岳阳市科学技术局")


def test_migrations_create_the_schema_from_empty(url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with open_store(url) as store:
        assert set(store.counts()) == set(metadata.tables)
        assert all(count == 0 for count in store.counts().values())
        with store.reading() as connection:
            context = MigrationContext.configure(connection)
            assert context.get_current_revision() == head_revision()
            # the migrations build exactly what schema.py declares
            assert compare_metadata(context, metadata) == []
            if store.engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with open_store(url) as again:  # opening again migrates nothing and loses nothing
        assert again.counts()["documents"] == 0


def test_migrations_go_down_and_up_again(url: str, service: Service) -> None:
    """Every migration can be undone (with data in the tables) and redone."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    from jixiao.store.database import _alembic_config

    with open_store(url) as store:
        people(store)
        import_file(store, service, REPORTS[1], unit=UNIT)
        with store.engine.begin() as connection:
            config = _alembic_config(connection)
            command.downgrade(config, "0002")
            assert MigrationContext.configure(connection).get_current_revision() == "0002"
            command.upgrade(config, "head")
        assert store.counts()["evaluations"] == 1 and store.counts()["users"] == 3


def test_import_the_five_seed_reports(store: Store, service: Service) -> None:
    results = list(import_files(store, service, REPORTS, unit=UNIT))
    assert [r.error for r in results] == [None] * 5
    # tables per report, counted from the 绩效自评表 titles in each file
    assert [r.outcome.evaluations for r in results if r.outcome] == [7, 1, 0, 1, 2]
    counts = store.counts()
    assert counts["documents"] == 5 and counts["evaluations"] == 11
    assert counts["units"] == 1
    for path, result in zip(REPORTS, results, strict=True):
        assert result.outcome is not None
        checked = service.check(path)
        found = Counter(f.code for f in checked.findings)
        assert result.outcome.findings == sum(found.values())
        with store.reading() as connection:
            stored = Counter(
                row.code
                for row in connection.execute(
                    text("SELECT code FROM findings WHERE document_id = :d"),
                    {"d": result.outcome.document_id},
                )
            )
            content = connection.execute(
                text("SELECT content FROM documents WHERE id = :d"),
                {"d": result.outcome.document_id},
            ).scalar()
        assert stored == found
        assert content == path.read_bytes()


def test_a_stored_evaluation_reads_back_unchanged(store: Store, service: Service) -> None:
    outcome = import_file(store, service, ZHUZHOU_2022).outcome
    assert outcome is not None
    parsed = parse_file(ZHUZHOU_2022)
    assert parsed.report is not None
    fund = parsed.report.evaluations[0]
    page = store.evaluations(EvaluationFilter(top_level=True))
    assert page.total == 1
    stored = store.evaluation(page.items[0].id)
    assert stored.evaluation == fund  # every figure, text, source and all six 支出方向
    summary = stored.summary
    assert (summary.name, summary.department, summary.year, summary.kind) == (
        "株洲市2022年度科技发展专项",
        "株洲市科学技术局",
        2022,
        "project",
    )
    assert summary.state is State.DRAFT and summary.total == Decimal(98)
    assert stored.evaluation.funds.annual_budget == Decimal("4465.5")
    assert summary.score == service.score(fund).total
    assert [h.action for h in stored.history] == ["import"]


def test_import_the_sample_yamls(store: Store, service: Service) -> None:
    results = list(import_files(store, service, YAMLS))
    assert [r.error for r in results] == [None] * len(YAMLS)
    for path, result in zip(YAMLS, results, strict=True):
        assert result.outcome is not None
        evaluation = load_evaluation(path)
        assert result.outcome.evaluations == len(evaluation.walk())
        with store.reading() as connection:
            first = connection.execute(
                text("SELECT id FROM evaluations WHERE document_id = :d AND table_index = 1"),
                {"d": result.outcome.document_id},
            ).scalar_one()
        assert store.evaluation(first).evaluation == evaluation


def test_the_same_file_twice_is_recognised(store: Store, service: Service, tmp_path: Path) -> None:
    first = import_file(store, service, REPORTS[4]).outcome
    before = store.counts()
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(REPORTS[4].read_bytes())
    for again in (import_file(store, service, REPORTS[4]), import_file(store, service, copy)):
        assert again.outcome is not None and first is not None
        assert again.outcome.status is ImportStatus.EXISTS
        assert again.outcome.document_id == first.document_id
        assert again.outcome.file_name == REPORTS[4].name
    assert store.counts() == before
    # also when the check before reading is skipped (two imports racing)
    from jixiao.service.store import prepare

    new = prepare(service, REPORTS[4], REPORTS[4].read_bytes(), AuditSettings())
    assert store.import_document(new).status is ImportStatus.EXISTS
    assert store.counts() == before


def test_a_failure_midway_leaves_nothing(
    store: Store, service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store_documents, "_insert_findings", broken)
    with pytest.raises(RuntimeError):
        import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    assert all(count == 0 for count in store.counts().values())
    monkeypatch.undo()
    result = import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    assert result.outcome is not None and result.outcome.status is ImportStatus.IMPORTED


def test_a_bad_file_fails_with_its_place(store: Store, service: Service, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: project\nyear: 二〇二二\n", encoding="utf-8")
    result = import_file(store, service, bad)
    assert result.outcome is None and result.error is not None
    assert "bad.yaml:2" in result.error and "year" in result.error
    assert store.counts()["documents"] == 0


def _fund_id(store: Store) -> int:
    return store.evaluations(EvaluationFilter(top_level=True, search="科技发展专项")).items[0].id


def test_an_edit_writes_history_in_one_transaction(store: Store, service: Service) -> None:
    people(store)
    import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    fund = _fund_id(store)
    store.edit(fund, "funds.executed", Decimal("4400.25"), "filler")
    store.edit(fund, "indicators[0].actual", "21家", "filler")
    stored = store.evaluation(fund)
    assert stored.evaluation.funds.executed == Decimal("4400.25")
    assert stored.evaluation.indicators[0].actual == "21家"
    assert len(stored.evaluation.children) == 6  # the 支出方向 are still attached
    edits = [h for h in stored.history if h.action == "edit"]
    assert [(h.user, str(h.path), h.old, h.new) for h in edits] == [
        ("filler", "funds.executed", Decimal("4465.5"), Decimal("4400.25")),
        ("filler", "indicators[0].actual", "20家", "21家"),
    ]
    assert stored.summary.version == 3
    # a value of the wrong type is refused and changes nothing
    with pytest.raises(
        StoreError, match="修改资金：全年执行数后自评表无效：资金：全年执行数应为数字"
    ):
        store.edit(fund, "funds.executed", "很多", "filler")
    with pytest.raises(StoreError, match="不存在"):
        store.edit(fund, "indicators[99].actual", "1", "filler")
    with pytest.raises(StoreError):
        store.edit(fund, "children", [], "filler")
    with pytest.raises(StoreError, match="单位"):
        store.edit(fund, "name", "别的名称", "other")  # a filler of another unit
    after = store.evaluation(fund)
    assert after.history == stored.history and after.evaluation == stored.evaluation


def test_an_edit_through_the_service_rescores(
    store: Store, service: Service, tmp_path: Path
) -> None:
    people(store)
    import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    fund = _fund_id(store)
    before = store.evaluation(fund).summary.score
    assert before is not None
    # 2000 of 4465.5 万元 spent: the execution score, and so the total, must drop
    edited = edit_evaluation(store, service, fund, "funds.executed", Decimal("2000"), "filler")
    stored = store.evaluation(fund)
    assert stored.summary.score == service.score(edited).total
    assert stored.summary.score is not None and stored.summary.score < before
    # the findings are those of the whole report rechecked with the edit (narrative and
    # sub-directions included), for this table
    report = parse_file(ZHUZHOU_2022).report
    assert report is not None
    fund_table = dataclasses.replace(edited, children=report.evaluations[0].children)
    report = dataclasses.replace(report, evaluations=(fund_table,))
    found = run_audit(_tables(service, report.evaluations), report, AuditSettings())
    expected = Counter(f.code for f in found if f.table and f.table.index == 1)
    assert Counter(f.code for f in stored.findings) == expected
    assert "XC04" in expected  # a narrative check: the table alone would not give it
    with store.reading() as connection:
        count = connection.execute(
            text("SELECT COUNT(*) FROM findings WHERE evaluation_id = :e"), {"e": fund}
        ).scalar()
    assert count == len(stored.findings)


def _table_id(store: Store, index: int) -> int:
    with store.reading() as connection:
        found = connection.execute(
            text("SELECT id FROM evaluations WHERE table_index = :i"), {"i": index}
        ).scalar()
    assert isinstance(found, int)
    return found


def _codes(store: Store, evaluation_id: int) -> Counter[str]:
    return Counter(f.code for f in store.evaluation(evaluation_id).findings)


def test_an_edit_settles_a_cross_table_finding_on_another_table(
    store: Store, service: Service
) -> None:
    """Seed 000 claims 技术合同交易额占GDP比重 8.53 % in 支出方向 表3 and 表5 (XC02 on 表3);
    once 表5 no longer claims it, 表3's finding must go though 表3 itself was not edited."""
    people(store)
    import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    third, fifth = _table_id(store, 3), _table_id(store, 5)
    before = store.evaluation(third).findings
    assert any(f.code == "XC02" and f.indicator == "技术合同交易额占GDP比重" for f in before)
    items = store.evaluation(fifth).evaluation.indicators
    claimed = next(i for i, item in enumerate(items) if item.name == "技术合同交易额占GDP比重")
    other = _codes(store, _table_id(store, 2))
    name = f"indicators[{claimed}].name"  # set at budget time: corrected with a reason
    edit_evaluation(
        store, service, fifth, name, "本方向技术合同占比", "filler", reason="指标名称抄错"
    )
    after = store.evaluation(third).findings
    assert not any(f.code == "XC02" and f.indicator == "技术合同交易额占GDP比重" for f in after)
    assert len(after) == len(before) - 1
    assert _codes(store, _table_id(store, 2)) == other  # the other tables keep theirs
    with store.reading() as connection:
        counted = connection.execute(
            text("SELECT errors + warnings + infos FROM evaluations WHERE id = :i"), {"i": third}
        ).scalar()
    assert counted == len(after)  # the list's counts follow


def test_correcting_the_execution_score_keeps_the_narrative_findings(
    store: Store, service: Service
) -> None:
    """Seed 001: fixing FD02 (9 → 9.99) removes FD02, shows SC02 (the written total 95 no
    longer adds up) and keeps XC04 (the narrative's 全年预算 192.31 vs the table's 1452.61)."""
    store.add_user("lusong", Role.FILLER, PASSWORD, unit="芦淞")
    import_file(store, service, REPORTS[1], unit="芦淞")
    (table,) = store.evaluations(EvaluationFilter()).items
    assert {"FD02", "XC04"} <= set(_codes(store, table.id))
    edit_evaluation(store, service, table.id, "funds.score", Decimal("9.99"), "lusong")
    codes = _codes(store, table.id)
    assert "FD02" not in codes and codes["XC04"] == 1 and codes["SC02"] == 1


def test_state_changes_follow_the_workflow(store: Store, service: Service) -> None:
    people(store)
    import_file(store, service, ZHUZHOU_2022, unit=UNIT)
    fund = _fund_id(store)
    forbidden = [
        (State.APPROVED, "reviewer", "draft → approved skips submission"),
        (State.PUBLISHED, "reviewer", "draft → published"),
        (State.SUBMITTED, "reviewer", "reviewers do not submit"),
        (State.SUBMITTED, "other", "a filler of another unit"),
    ]
    for to, user, why in forbidden:
        with pytest.raises(StoreError):
            store.transition(fund, to, user)
            pytest.fail(why)
    store.transition(fund, State.SUBMITTED, "filler")
    with pytest.raises(StoreError, match="不能修改"):
        store.edit(fund, "name", "改名", "filler")
    with pytest.raises(StoreError):
        store.transition(fund, State.APPROVED, "filler")  # fillers do not approve
    with pytest.raises(StoreError, match="原因"):
        store.transition(fund, State.RETURNED, "reviewer")  # a return says why
    store.transition(fund, State.RETURNED, "reviewer", "执行率与资金表不一致，请核实")
    store.edit(fund, "funds.executed", Decimal("4465.50"), "filler")
    store.transition(fund, State.SUBMITTED, "filler", "已核实")
    store.transition(fund, State.APPROVED, "reviewer")
    with pytest.raises(StoreError):
        store.transition(fund, State.DRAFT, "reviewer")
    store.transition(fund, State.PUBLISHED, "reviewer")
    for to in State:
        with pytest.raises(StoreError):
            store.transition(fund, to, "reviewer")  # published is the end
    stored = store.evaluation(fund)
    assert stored.summary.state is State.PUBLISHED
    steps = [(h.old, h.new) for h in stored.history if h.action == "state"]
    assert steps == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
        ("approved", "published"),
    ]
    assert [(c.user, c.step, c.text) for c in stored.comments] == [
        ("reviewer", State.RETURNED, "执行率与资金表不一致，请核实"),
        ("filler", State.SUBMITTED, "已核实"),
    ]


def test_passwords(store: Store) -> None:
    people(store)
    user = store.verify_password("filler", PASSWORD)
    assert user is not None
    assert (user.role, user.unit, user.display_name) == (Role.FILLER, UNIT, "张三")
    assert store.verify_password("filler", PASSWORD + "x") is None
    assert store.verify_password("nobody", PASSWORD) is None
    with store.reading() as connection:
        stored_hash = connection.execute(
            text("SELECT password_hash FROM users WHERE name = 'filler'")
        ).scalar_one()
    assert stored_hash.startswith("$argon2") and PASSWORD not in stored_hash
    from datetime import datetime

    assert store.failed_logins(datetime(2000, 1, 1), name="filler") == 1
    assert store.counts()["login_attempts"] == 3
    with pytest.raises(StoreError, match="已存在"):
        store.add_user("filler", Role.ADMIN, PASSWORD)
    with pytest.raises(StoreError, match="单位"):
        store.add_user("nounit", Role.FILLER, PASSWORD)
    with pytest.raises(StoreError, match="至少"):
        store.add_user("short", Role.ADMIN, "1234")


def test_the_list_filters_searches_and_pages(store: Store, service: Service) -> None:
    list(import_files(store, service, REPORTS))
    everything = store.evaluations(per_page=100)
    assert everything.total == 11
    # 004 holds 岳阳市科学技术局's 2024 department table and its 市级专项资金 project table
    yueyang = store.evaluations(EvaluationFilter(year=2024))
    assert sorted((e.kind, e.name) for e in yueyang.items) == [
        ("department", "岳阳市科学技术局"),
        ("project", "市级专项资金"),
    ]
    assert store.evaluations(EvaluationFilter(year=2024, kind="project")).total == 1
    found = store.evaluations(EvaluationFilter(search="芦淞"))
    assert [e.name for e in found.items] == ["株洲市芦淞区科技和工业信息化局"]
    assert store.evaluations(EvaluationFilter(search="100%_")).total == 0  # no wildcards
    assert store.evaluations(EvaluationFilter(department="株洲市科学技术局")).total == 7
    assert store.evaluations(EvaluationFilter(top_level=True)).total == 5
    assert store.evaluations(EvaluationFilter(state=State.SUBMITTED)).total == 0
    graded = store.evaluations(EvaluationFilter(grade="优"))
    assert all(e.score_grade == "优" for e in graded.items)
    pages = [store.evaluations(page=n, per_page=3) for n in (1, 2, 3, 4)]
    assert pages[0].pages == 4
    ids = [e.id for p in pages for e in p.items]
    assert sorted(ids) == sorted(e.id for e in everything.items) and len(set(ids)) == 11


def test_a_newer_database_is_refused(url: str) -> None:
    with open_store(url) as store, store.writing() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="升级 jixiao"):
        open_store(url)


def test_decimals_keep_their_digits() -> None:
    data = {"a": Decimal("9.0"), "b": [Decimal("0.10"), 3, None, "文字"], "c": Decimal("1E+2")}
    text_ = jsondata.dumps(data)
    assert text_ == '{"a":9.0,"b":[0.10,3,null,"文字"],"c":1E+2}'
    back = jsondata.loads(text_)
    assert str(back["a"]) == "9.0" and str(back["b"][0]) == "0.10" and back["c"] == 100


def test_cli_import_and_user_add(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    code = main(["import", str(SAMPLES / "reports"), str(bad), "--db", url, "--unit", UNIT])
    out, err = capsys.readouterr()
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == 6
    assert sum(line.startswith("导入") for line in lines) == 5
    assert lines[-1].startswith("失败") and "bad.json" in lines[-1]
    assert "导入 5 个" in err and "失败 1 个" in err
    code = main(["import", str(REPORTS[1]), "--db", url])
    out, _ = capsys.readouterr()
    assert code == 0 and out.startswith("已存在")
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = main(["user", "add", "li", "--role", "审核", "--password-stdin", "--db", url])
    out, _ = capsys.readouterr()
    assert code == 0 and "li" in out and "审核" in out
    with open_store(url) as store:
        user = store.verify_password("li", PASSWORD)
        assert user is not None and user.role is Role.REVIEWER
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = main(["user", "add", "wang", "--role", "填报", "--password-stdin", "--db", url])
    _, err = capsys.readouterr()
    assert code == 2 and "单位" in err


def test_the_demo_loads_each_sample_table_once(store: Store, service: Service) -> None:
    from jixiao.cli.serve import load_demo

    logins = load_demo(store, service)
    assert [login.name for login in logins] == [
        *("unit1", "unit2", "unit3", "unit4", "shenhe", "admin")
    ]
    listed = store.evaluations(EvaluationFilter(), per_page=100).items
    seen = Counter((item.name, item.year, item.kind, item.parent_id) for item in listed)
    assert len(listed) == 11 and max(seen.values()) == 1  # 000: 7 tables, 001, 003, 004: 2
    again = load_demo(store, service)  # a second start imports nothing and adds no one
    assert again == logins and len(store.evaluations(EvaluationFilter(), per_page=100).items) == 11
    assert store.verify_password("unit2", "jixiao-demo") is not None


def test_has_errors_counts_the_reports_own_errors(store: Store, service: Service) -> None:
    """A table whose own findings are no errors still has errors when its report has (seed
    004's 基础数据表 XC05); the list's filter must not call it clean."""
    people(store)
    import_file(store, service, REPORTS[4], unit="岳阳市科学技术局")
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE findings SET severity = 'warning' WHERE evaluation_id IS NOT NULL")
        )
    erroneous = store.listed(EvaluationFilter(), has_errors=True).items
    assert len(erroneous) == 2
    assert all(dict(item.report_counts)["error"] == 2 for item in erroneous)
    assert store.listed(EvaluationFilter(), has_errors=False).items == ()


def test_the_same_project_unit_and_year_again_is_a_new_version(
    store: Store, service: Service, tmp_path: Path
) -> None:
    """Seed 004 uploaded, then a corrected copy: the same two records, now at version 2,
    the first version kept as it stood (with its edit), the file's report findings not
    counted twice; a submitted record is not replaced, and nothing of that file is kept."""
    people(store)
    unit = "岳阳市科学技术局"
    store.add_user("yueyang", Role.FILLER, PASSWORD, unit=unit)
    first = import_file(store, service, REPORTS[4], unit=unit, user="yueyang").outcome
    assert first is not None
    ids = sorted(i.id for i in store.evaluations(EvaluationFilter()).items)
    edit_evaluation(store, service, ids[0], "goals.actual", "已完成", "yueyang")
    before = store.counts()
    corrected = tmp_path / "更正版.txt"
    corrected.write_text(REPORTS[4].read_text(encoding="utf-8") + "\n更正版。\n", encoding="utf-8")
    second = import_file(store, service, corrected, unit=unit, user="yueyang").outcome
    assert second is not None and second.status is ImportStatus.IMPORTED
    assert second.replaced == 2
    assert sorted(i.id for i in store.evaluations(EvaluationFilter()).items) == ids
    after = store.counts()
    assert after["evaluations"] == before["evaluations"] and after["documents"] == 2
    assert after["evaluation_versions"] == 2 and after["findings"] == before["findings"]
    stored = store.evaluation(ids[0])
    assert stored.summary.document_id == second.document_id
    assert stored.evaluation.goals.actual != "已完成"  # the new file's data
    steps = [(h.action, h.old, h.new) for h in stored.history]
    assert steps[-1] == ("version", "第1版：" + REPORTS[4].name, "第2版：更正版.txt")
    from jixiao.store.versions import version_data, versions_of

    with store.reading() as connection:
        kept = versions_of(connection, ids[0])
        assert [(v.revision, v.file_name, v.current) for v in kept] == [
            (1, REPORTS[4].name, False),
            (2, "更正版.txt", True),
        ]
        assert version_data(connection, ids[0], 1)["goals"]["actual"] == "已完成"
    # submitted: a third upload is refused whole
    store.transition(ids[0], State.SUBMITTED, "yueyang")
    third = tmp_path / "第三版.txt"
    third.write_text(corrected.read_text(encoding="utf-8") + "再改。\n", encoding="utf-8")
    refused = import_file(store, service, third, unit=unit, user="yueyang")
    assert refused.outcome is None and refused.error is not None
    assert "已提交" in refused.error and "撤回" in refused.error
    assert store.counts() == {**after, "history": after["history"] + 1}


def test_the_demo_puts_tables_in_every_state(store: Store, service: Service) -> None:
    """Each role has work on its first visit: 已提交 tables for the reviewer, a table 已退回
    with its reason for its unit, and 草稿, 已审核, 已公开 ones; a second start changes none."""
    from jixiao.cli.serve import RETURNED_BECAUSE, load_demo

    load_demo(store, service)
    listed = store.evaluations(EvaluationFilter(), per_page=100).items
    states = Counter(item.state for item in listed)
    assert set(states) == set(State)
    returned = [item for item in listed if item.state is State.RETURNED]
    assert [item.unit for item in returned] == ["株洲市芦淞区科技和工业信息化局"]
    said = store.evaluation(returned[0].id).comments
    assert [(c.user, c.step, c.text) for c in said] == [
        ("shenhe", State.RETURNED, RETURNED_BECAUSE)
    ]
    before = store.counts()
    load_demo(store, service)
    assert store.counts() == before
