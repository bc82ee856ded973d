"""The access policy, written once: what each role sees, changes and may step to."""

from __future__ import annotations

import pytest

from jixiao.model import FieldPath
from jixiao.store import User
from jixiao.store.policy import (
    TRANSITIONS,
    FieldKind,
    Refusal,
    Right,
    Role,
    State,
    can_edit,
    can_see,
    changes_refusal,
    edit_refusal,
    field_kind,
    field_right,
    scope_for,
    step_refusal,
    steps,
)


def person(role: Role, unit_id: int | None = None) -> User:
    unit = None if unit_id is None else f"单位{unit_id}"
    return User(1, "someone", None, role, unit, unit_id, True)


FILLER, HOMELESS = person(Role.FILLER, 7), person(Role.FILLER)
REVIEWER, ADMIN = person(Role.REVIEWER), person(Role.ADMIN)


def test_a_filler_sees_only_its_own_units_tables() -> None:
    assert scope_for(FILLER).restricted and scope_for(FILLER).unit == "单位7"
    assert can_see(FILLER, 7) and not can_see(FILLER, 8) and not can_see(FILLER, None)
    assert not any(can_see(HOMELESS, unit) for unit in (None, 7))
    for everyone in (REVIEWER, ADMIN):
        assert not scope_for(everyone).restricted
        assert all(can_see(everyone, unit) for unit in (None, 7, 8))


@pytest.mark.parametrize("state", list(State))
def test_tables_are_changed_as_drafts_or_returned_by_their_fillers(state: State) -> None:
    open_ = state in (State.DRAFT, State.RETURNED)
    assert can_edit(FILLER, 7, state) is open_
    assert can_edit(ADMIN, 8, state) is open_
    assert not can_edit(FILLER, 8, state)
    assert not can_edit(REVIEWER, 7, state)
    refused = edit_refusal(REVIEWER, state)
    assert refused is not None and refused[0] is Refusal.ROLE and "审核人员" in refused[1]
    if not open_:
        refused = edit_refusal(FILLER, state)
        assert refused is not None and refused[0] is Refusal.STATE
        assert state.label in refused[1]


def test_the_steps_each_role_may_take() -> None:
    assert steps(Role.FILLER, State.DRAFT) == [State.SUBMITTED]
    assert steps(Role.REVIEWER, State.SUBMITTED) == [State.RETURNED, State.APPROVED]
    # 撤回: a submitted table not yet decided on goes back to its unit, by the unit
    assert steps(Role.FILLER, State.SUBMITTED) == [State.DRAFT]
    assert steps(Role.FILLER, State.APPROVED) == steps(Role.FILLER, State.RETURNED)[1:] == []
    assert set(steps(Role.ADMIN, State.SUBMITTED)) == {State.RETURNED, State.APPROVED, State.DRAFT}
    for (start, to), roles in TRANSITIONS.items():
        for role in Role:
            refused = step_refusal(role, start, to, "理由")
            assert (refused is None) is (role in roles), (start, to, role)


def test_refused_steps_say_why_in_chinese() -> None:
    assert step_refusal(Role.ADMIN, State.DRAFT, State.PUBLISHED) == (
        Refusal.STATE,
        "不能从“草稿”改为“已公开”",
    )
    assert step_refusal(Role.FILLER, State.SUBMITTED, State.APPROVED) == (
        Refusal.ROLE,
        "“已提交”改为“已审核”需由审核、管理员人员操作",
    )
    assert step_refusal(Role.REVIEWER, State.SUBMITTED, State.RETURNED, "  ") == (
        Refusal.MISSING,
        "改为“已退回”时请写明原因",
    )


BUDGET = (
    "year",
    "department",
    "implementer",
    "name",
    "goals.expected",
    "level1_weights.产出指标",
    "funds.weight",
    "funds.initial_budget",
    "funds.rows[2].weight",
    "indicators[0].target",
    "indicators[3].weight",
    "indicators[3].name",
)
REPORTED = (
    "funds.executed",
    "funds.annual_budget",
    "funds.rate",
    "funds.score",
    "funds.rows[2].executed",
    "goals.actual",
    "indicators[0].actual",
    "indicators[3].score",
    "indicators[3].deviation",
    "total.score",
    "grade",
)


def test_every_field_has_an_owner() -> None:
    assert {field_kind(FieldPath.parse(p)) for p in BUDGET} == {FieldKind.BUDGET}
    assert {field_kind(FieldPath.parse(p)) for p in REPORTED} == {FieldKind.REPORTED}
    assert field_kind(FieldPath.parse("total.weight")) is FieldKind.DERIVED


@pytest.mark.parametrize("state", list(State))
def test_field_rights_per_role_and_state(state: State) -> None:
    """What the unit reports is the unit's while the table is open; what was set at budget
    time is corrected by the reviewer (or admin) until approval, by the unit only with a
    reason; 总分行分值 by no one."""
    open_ = state in (State.DRAFT, State.RETURNED)
    under_review = open_ or state is State.SUBMITTED
    for text in REPORTED:
        path = FieldPath.parse(text)
        assert (field_right(FILLER, state, path)[0] is Right.EDIT) is open_
        assert (field_right(ADMIN, state, path)[0] is Right.EDIT) is open_
        assert field_right(REVIEWER, state, path)[0] is Right.NONE
    for text in BUDGET:
        path = FieldPath.parse(text)
        right, said = field_right(FILLER, state, path)
        assert right is (Right.CORRECT if open_ else Right.NONE), text
        if open_:
            assert "预算编制时确定" in said and "更正原因" in said and path.label() in said
            assert changes_refusal(FILLER, state, [path], "抄录时把 95% 写成了 59%") is None
            refused = changes_refusal(FILLER, state, [path], "  ")
            assert refused is not None and refused[0] is Refusal.REASON
        for corrector in (REVIEWER, ADMIN):
            expected = Right.EDIT if under_review else Right.NONE
            assert field_right(corrector, state, path)[0] is expected, (text, corrector.role)
    total = FieldPath.parse("total.weight")
    for person_ in (FILLER, REVIEWER, ADMIN):
        right, said = field_right(person_, state, total)
        assert right is Right.NONE and "合计得出" in said
    # an edit of several fields is refused as a whole for the first field refused
    mixed = [FieldPath.parse("indicators[0].actual"), FieldPath.parse("indicators[0].target")]
    if open_:
        refused = changes_refusal(FILLER, state, mixed)
        assert refused is not None and refused[0] is Refusal.REASON
