"""Who may do what: the roles, the states of a table, the steps between them, and the one
place that says what a user may see and change.

A 填报 (filler) user sees and changes only its own unit's tables; 审核 (reviewer) users
see every table and take the review steps but change no figure the unit reports; an 管理员
(admin) may do both. A published table (已公开) is public already: every logged-in user may
read it and export it (``can_read``), whatever its unit; changing it still asks ``can_see``.
A table is changed only as a draft or once returned. The store, the API and the pages all
ask here, so the rule is written once.

Fields have rights of their own (``field_right``): what the unit reports (actuals, amounts
executed, scores, explanations) is the unit's to change; what was set at budget time
(targets, weights, year, unit) is corrected by the reviewer, or by the unit only with a
stated reason that the reviewer sees as a correction (原 → 新); totals worked out from other
fields (总分行分值) are never typed by anyone.

Only an administrator deletes a table (``delete_refusal``), with a reason; what is deleted
is kept whole in the trail (``store.trail``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from jixiao.model import FieldPath

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
    # 撤回: a submitted table the reviewer has not decided on goes back to its unit
    (State.SUBMITTED, State.DRAFT): frozenset({Role.FILLER, Role.ADMIN}),
    (State.SUBMITTED, State.RETURNED): frozenset({Role.REVIEWER, Role.ADMIN}),
    (State.SUBMITTED, State.APPROVED): frozenset({Role.REVIEWER, Role.ADMIN}),
    (State.RETURNED, State.SUBMITTED): frozenset({Role.FILLER, Role.ADMIN}),
    (State.APPROVED, State.PUBLISHED): frozenset({Role.REVIEWER, Role.ADMIN}),
}
EDITORS = frozenset({Role.FILLER, Role.ADMIN})
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
NEEDS_COMMENT = frozenset({State.RETURNED})  # a return says why
# Budget-time fields are corrected by the reviewer (or an admin) while the table is open or
# under review; not once it is approved or published
CORRECTABLE = frozenset({State.DRAFT, State.SUBMITTED, State.RETURNED})
CORRECTORS = frozenset({Role.REVIEWER, Role.ADMIN})


class FieldKind(StrEnum):
    """Who a field of a table belongs to."""

    REPORTED = "reported"  # what the unit reports: actuals, amounts executed, scores, notes
    BUDGET = "budget"  # set at budget time: targets, weights, year, unit, names
    DERIVED = "derived"  # worked out from other fields (总分行分值): never typed


# Set at budget time (the table's own header; a funds row's or an indicator's fields)
BUDGET_HEADER = frozenset({"kind", "year", "name", "department", "implementer"})
BUDGET_FUNDS = frozenset({"initial_budget", "weight"})
BUDGET_INDICATOR = frozenset({"level1", "level2", "name", "target", "weight"})
DERIVED_PATHS = frozenset({FieldPath.of("total", "weight")})


def field_kind(path: FieldPath) -> FieldKind:
    """Whose the field at ``path`` is (see the module's docstring)."""
    parts = path.parts
    if path in DERIVED_PATHS:
        return FieldKind.DERIVED
    head, leaf = parts[0], path.leaf
    budget = (
        (len(parts) == 1 and head in BUDGET_HEADER)
        or head == "level1_weights"
        or parts == ("goals", "expected")
        or (head == "funds" and leaf in BUDGET_FUNDS)
        or (head == "indicators" and len(parts) == 3 and leaf in BUDGET_INDICATOR)
    )
    return FieldKind.BUDGET if budget else FieldKind.REPORTED


class Refusal(StrEnum):
    """Why a step or an edit is refused; the web answers each with its own status."""

    STATE = "state"  # not from this state
    ROLE = "forbidden"  # not by this user
    MISSING = "invalid"  # something the step needs is not given
    REASON = "reason_required"  # a budget-time field corrected by its unit without a reason


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


# what every logged-in user may read, whatever its unit: what is published is public already
PUBLIC = frozenset({State.PUBLISHED})


def can_read(user: User, unit_id: int | None, state: State) -> bool:
    """Whether ``user`` may open and export a table of ``unit_id`` in ``state``: one it sees,
    or any published one. Whatever changes a table (an edit, a step, a comment) asks
    ``can_see``."""
    return state in PUBLIC or can_see(user, unit_id)


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


class Right(StrEnum):
    """What a user may do to one field of a table it sees."""

    EDIT = "edit"  # change it
    CORRECT = "correct"  # change it with a stated reason, shown to the reviewer (原 → 新)
    NONE = "none"


def field_right(user: User, state: State, path: FieldPath) -> tuple[Right, str]:
    """What ``user`` may do to the field at ``path`` of a table it sees in ``state``, with
    what the user is told: why it may not, or (``CORRECT``) what it must give."""
    refused = field_refusal(user, state, path, "")
    if refused is None:
        return Right.EDIT, ""
    if refused[0] is Refusal.REASON:
        return Right.CORRECT, refused[1]
    return Right.NONE, refused[1]


def field_refusal(
    user: User, state: State, path: FieldPath, reason: str
) -> tuple[Refusal, str] | None:
    """Why ``user`` may not change the field at ``path`` of a table it sees in ``state``
    (with the stated ``reason``, for a correction); None when it may."""
    kind = field_kind(path)
    name = path.label() or "该字段"
    if kind is FieldKind.DERIVED:
        return Refusal.ROLE, f"{name}由各项分值合计得出，不能直接填写"
    refused = edit_refusal(user, state)
    if kind is FieldKind.REPORTED:
        return refused
    if user.role in CORRECTORS:
        if state in CORRECTABLE:
            return None
        return Refusal.STATE, f"自评表处于“{state.label}”状态，不能再更正{name}"
    if refused is not None:
        return refused
    if reason.strip():
        return None
    return (
        Refusal.REASON,
        f"{name}在预算编制时确定，填报单位不能直接修改；如系录入错误，请写明更正原因"
        "（更正将标明原值和新值，供审核人员核对）",
    )


def changes_refusal(
    user: User, state: State, paths: Iterable[FieldPath], reason: str = ""
) -> tuple[Refusal, str] | None:
    """Why ``user`` may not make an edit of the fields ``paths`` (all or none)."""
    for path in paths:
        refused = field_refusal(user, state, path, reason)
        if refused is not None:
            return refused
    return None


def is_correction(path: FieldPath) -> bool:
    """Whether a change of ``path`` corrects what was set at budget time (kept and shown as
    such, 原 → 新, with its reason)."""
    return field_kind(path) is FieldKind.BUDGET


def can_edit(user: User, unit_id: int | None, state: State) -> bool:
    """Whether ``user`` may change a table of ``unit_id`` in ``state``."""
    return can_see(user, unit_id) and edit_refusal(user, state) is None


# who may delete a table (kept whole in the trail, with the reason given)
DELETERS = frozenset({Role.ADMIN})


def can_delete(user: User) -> bool:
    """Whether ``user`` may delete tables (giving a reason)."""
    return user.role in DELETERS


def delete_refusal(role: Role, reason: str) -> tuple[Refusal, str] | None:
    """Why a user of ``role`` may not delete a table, giving ``reason``; None when it may."""
    if role not in DELETERS:
        return Refusal.ROLE, "只有管理员可以删除自评表；如需作废，请联系管理员"
    if not reason.strip():
        return Refusal.MISSING, "删除自评表时请写明原因（记入删除记录）"
    return None


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
