"""Who may do what: the roles, the states of a table, the steps between them, and the one
place that says what a user may see and change.

A 填报 (filler) user sees and changes only its own unit's tables; 审核 (reviewer) users
see every table and take the review steps but change no figure; an 管理员 (admin) may do
both. A table is changed only as a draft or once returned. The store, the API and the
pages all ask here, so the rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.store.records import User


class Role(StrEnum):
    FILLER = "filler"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


ROLE_LABELS = {Role.FILLER: "填报", Role.REVIEWER: "审核", Role.ADMIN: "管理员"}
STATE_LABELS = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.RETURNED: "已退回",
    State.APPROVED: "已审核",
    State.PUBLISHED: "已公开",
}

# (from, to) → who may take the step.
TRANSITIONS: dict[tuple[State, State], frozenset[Role]] = {
    (State.DRAFT, State.SUBMITTED): frozenset({Role.FILLER, Role.ADMIN}),
    (State.SUBMITTED, State.RETURNED): frozenset({Role.REVIEWER, Role.ADMIN}),
    (State.SUBMITTED, State.APPROVED): frozenset({Role.REVIEWER, Role.ADMIN}),
    (State.RETURNED, State.SUBMITTED): frozenset({Role.FILLER, Role.ADMIN}),
    (State.APPROVED, State.PUBLISHED): frozenset({Role.REVIEWER, Role.ADMIN}),
}
EDITORS = frozenset({Role.FILLER, Role.ADMIN})
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
NEEDS_COMMENT = frozenset({State.RETURNED})  # a return says why


class Refusal(StrEnum):
    """Why a step or an edit is refused; the web answers each with its own status."""

    STATE = "state"  # not from this state
    ROLE = "forbidden"  # not by this user
    MISSING = "invalid"  # something the step needs is not given


@dataclass(frozen=True, slots=True)
class Reach:
    """The tables a user may see: every table, or (``restricted``) its unit's alone."""

    restricted: bool
    unit_id: int | None = None
    unit: str | None = None


def scope_for(user: User) -> Reach:
    """What ``user`` sees: a filler its own unit's tables (none without a unit), others all."""
    if user.role is Role.FILLER:
        return Reach(True, user.unit_id, user.unit)
    return Reach(False)


def can_see(user: User, unit_id: int | None) -> bool:
    """Whether ``user`` may see a table of the unit ``unit_id``."""
    reach = scope_for(user)
    return not reach.restricted or (reach.unit_id is not None and unit_id == reach.unit_id)


def edit_refusal(user: User, state: State) -> tuple[Refusal, str] | None:
    """Why ``user`` may not change a table it sees in ``state``; None when it may."""
    if user.role not in EDITORS:
        return Refusal.ROLE, "审核人员不能修改自评表，请退回给填报单位修改"
    if state not in EDITABLE:
        return (
            Refusal.STATE,
            f"自评表处于“{state.label}”状态，不能修改（只有草稿或已退回的可以修改）",
        )
    return None


def can_edit(user: User, unit_id: int | None, state: State) -> bool:
    """Whether ``user`` may change a table of ``unit_id`` in ``state``."""
    return can_see(user, unit_id) and edit_refusal(user, state) is None


def steps(role: Role, state: State) -> list[State]:
    """The states a user of ``role`` may move a table in ``state`` to."""
    return [to for (start, to), roles in TRANSITIONS.items() if start is state and role in roles]


def step_refusal(
    role: Role, current: State, to: State, comment: str = ""
) -> tuple[Refusal, str] | None:
    """Why a user of ``role`` may not move a table from ``current`` to ``to`` (with
    ``comment``); None when it may."""
    roles = TRANSITIONS.get((current, to))
    if roles is None:
        return Refusal.STATE, f"不能从“{current.label}”改为“{to.label}”"
    if role not in roles:
        allowed = "、".join(sorted(r.label for r in roles))
        return Refusal.ROLE, f"“{current.label}”改为“{to.label}”需由{allowed}人员操作"
    if to in NEEDS_COMMENT and not comment.strip():
        return Refusal.MISSING, f"改为“{to.label}”时请写明原因"
    return None
