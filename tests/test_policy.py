"""The access policy, written once: what each role sees, changes and may step to."""

from __future__ import annotations

import pytest

from jixiao.store import User
from jixiao.store.policy import (
    TRANSITIONS,
    Refusal,
    Role,
    State,
    can_edit,
    can_see,
    edit_refusal,
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
    assert steps(Role.FILLER, State.SUBMITTED) == []
    assert set(steps(Role.ADMIN, State.SUBMITTED)) == {State.RETURNED, State.APPROVED}
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
