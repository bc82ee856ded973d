"""The reviewer's desk in the store itself (jixiao.store.review through ``Store``): who may
decide findings and when, a decision kept by its finding's key through a recheck, the
questions steps ask, a batch taken table by table, the counts and notices the pages show."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import Decision
from jixiao.service import Service
from jixiao.service.store import edit_evaluation, import_file
from jixiao.store import Role, State, Store, StoreError, open_store
from jixiao.store.errors import NeedsConfirmation
from jixiao.store.policy import Reach
from jixiao.store.review import finding_key
from tests.test_web_review import SEED_001

UNIT = "株洲市芦淞区科技和工业信息化局"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(str(tmp_path / "jixiao.db")) as opened:
        opened.add_user("clerk", Role.FILLER, "correct horse 42", unit=UNIT)
        opened.add_user("reviewer", Role.REVIEWER, "correct horse 42", display_name="王审核")
        assert import_file(opened, Service(), SEED_001, unit=UNIT).error is None
        yield opened


def _table(store: Store) -> int:
    return store.evaluations().items[0].id


def _finding(store: Store, table: int, code: str) -> int:
    return next(f.id for f in store.evaluation(table).findings if f.code == code)


def test_who_decides_when_and_the_decision_outlives_a_recheck(store: Store) -> None:
    table = _table(store)
    fd02 = _finding(store, table, "FD02")
    with pytest.raises(StoreError, match="已提交"):  # a draft is not under review
        store.decide(table, fd02, Decision.IGNORED, "", "reviewer")
    with pytest.raises(NeedsConfirmation, match="3 条错误未改正"):
        store.transition(table, State.SUBMITTED, "clerk", confirmed=False)
    assert store.evaluation(table).summary.state is State.DRAFT  # nothing moved
    store.transition(table, State.SUBMITTED, "clerk", confirmed=True)
    with pytest.raises(StoreError, match="只有审核人员"):
        store.decide(table, fd02, Decision.IGNORED, "", "clerk")
    wt01 = _finding(store, table, "WT01")
    made = store.decide(table, wt01, Decision.VERIFIED, "  按批复为 90  ", "reviewer")
    assert made is not None and (made.comment, made.user) == ("按批复为 90", "王审核")
    key = next(finding_key(f) for f in store.evaluation(table).findings if f.id == wt01)
    assert set(store.decisions(table)) == {key}

    # returned, corrected by the unit: every finding worked out again, WT01's decision kept
    store.transition(table, State.RETURNED, "reviewer", "请修改执行得分")
    edit_evaluation(store, Service(), table, "funds.score", Decimal("9.99"), "clerk")
    again = store.evaluation(table)
    assert "FD02" not in {f.code for f in again.findings}
    assert key in {finding_key(f) for f in again.findings}
    assert store.decisions(table)[key].decision is Decision.VERIFIED
    assert [h.action for h in again.history].count("decision") == 1


def test_a_batch_is_taken_table_by_table_and_asks_once(store: Store) -> None:
    table = _table(store)
    store.transition(table, State.SUBMITTED, "clerk")
    with pytest.raises(NeedsConfirmation, match="确定将这 2 张自评表全部审核通过吗"):
        store.transition_many([table, table + 999], State.APPROVED, "reviewer", confirmed=False)
    done = dict(store.transition_many([table, 10**6], State.APPROVED, "reviewer", "同意"))
    assert done[table] is State.APPROVED and isinstance(done[10**6], StoreError)
    step = store.last_step(table, (State.APPROVED,))
    assert step is not None and (step.by, step.comment) == ("王审核", "同意")
    with pytest.raises(NeedsConfirmation, match="不能撤回"):
        store.transition(table, State.PUBLISHED, "reviewer", confirmed=False)


def test_counts_inbox_and_the_units_notices(store: Store) -> None:
    table = _table(store)
    mine = Reach(True, store.user("clerk").unit_id, UNIT)  # type: ignore[union-attr]
    everyone = Reach(False)
    assert store.state_counts(mine) == {State.DRAFT: 1}
    assert store.state_counts(Reach(True, None)) == {}  # a clerk without a unit sees none
    store.transition(table, State.SUBMITTED, "clerk")
    items, total = store.inbox()
    assert total == 1 and items[0].submitted_by == "clerk" and items[0].rounds == 1
    assert items[0].progress.decided == 0 and items[0].progress.undecided_errors == 3
    store.decide(table, _finding(store, table, "FD02"), Decision.NEEDS_CHANGE, "", "reviewer")
    store.transition(table, State.RETURNED, "reviewer", "请修改")
    assert store.state_counts(everyone)[State.RETURNED] == 1
    (notice,) = store.returned(mine)
    assert (notice.by, notice.comment, notice.needs_change) == ("王审核", "请修改", 1)
    assert store.returned(Reach(True, None)) == []
    assert store.inbox() == ([], 0)
    with pytest.raises(StoreError, match="排序方式"):
        store.inbox("nonsense")
