"""The reviewer's desk: decisions on findings, the 待审核 inbox, what a step must have
confirmed, the unit's notices of returned tables, and who concluded a review and when.

A decision (需修改 / 已核实无误 / 可忽略, with a comment) is kept by its finding's key — the
rule, the finding's place in the table and in the file — not by the finding's row, since
every edit works the findings out again: a decision stays with its finding for as long as
the finding stands, and one whose finding is gone (the unit corrected it) is no longer
counted. Each decision is also a history row (action ``decision``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from jixiao.audit import Decision
from jixiao.model.field_path import format_many
from jixiao.store import jsondata
from jixiao.store.documents import now
from jixiao.store.errors import StoreError
from jixiao.store.policy import Reach, Role, State
from jixiao.store.queries import _FROM, _SUMMARY, _stored_findings, _summary
from jixiao.store.records import EvaluationSummary, StoredFinding, User
from jixiao.store.schema import (
    comments,
    evaluations,
    finding_decisions,
    findings,
    history,
    units,
    users,
)
from jixiao.store.users import require_user

DECIDERS = frozenset({Role.REVIEWER, Role.ADMIN})
DECIDING = frozenset({State.SUBMITTED})  # findings are decided while the table is reviewed
COMMENT_LIMIT = 2000
SUBMITTED = jsondata.dumps(State.SUBMITTED.value)  # history.new of a submission


@dataclass(frozen=True, slots=True)
class StoredDecision:
    key: str
    code: str
    path: str | None
    decision: Decision
    comment: str
    user: str | None  # the reviewer as people know them (display name, else login)
    at: datetime


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the review of a table's findings has come."""

    findings: int
    decided: int
    needs_change: int  # decided 需修改 and still there
    undecided_errors: int

    @property
    def open(self) -> bool:
        return bool(self.needs_change or self.undecided_errors)


def finding_key(finding: StoredFinding) -> str:
    """What a decision is kept by: the rule, the finding's place in the table and in the
    file (the message only for a finding with neither, so its figures do not move it)."""
    place = format_many(finding.paths) or ""
    source = finding.source or {}
    where = "/".join(str(source.get(k)) for k in ("table", "row", "line"))
    text = "\n".join((finding.code, place, where, "" if place or source else finding.message))
    return hashlib.sha256(text.encode()).hexdigest()


def _who() -> Any:
    return func.coalesce(users.c.display_name, users.c.name)


_DECISIONS = (
    select(finding_decisions, _who().label("who"))
    .select_from(finding_decisions.outerjoin(users, users.c.id == finding_decisions.c.user_id))
    .where(finding_decisions.c.evaluation_id == bindparam("id"))
)


def decisions_of(connection: Connection, evaluation_id: int) -> dict[str, StoredDecision]:
    """The decisions made on a table's findings, by finding key."""
    rows = connection.execute(_DECISIONS, {"id": evaluation_id})
    return {
        r.key: StoredDecision(
            r.key, r.code, r.path, Decision(r.decision), r.comment or "", r.who, r.at
        )
        for r in rows
    }


def table_findings(connection: Connection, evaluation_id: int) -> tuple[StoredFinding, ...]:
    """A table's findings and its report's own (基础数据表, 正文): what its review decides."""
    document_id = connection.scalar(
        select(evaluations.c.document_id).where(evaluations.c.id == evaluation_id)
    )
    if document_id is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    return _stored_findings(
        connection,
        or_(
            findings.c.evaluation_id == evaluation_id,
            and_(findings.c.document_id == document_id, findings.c.evaluation_id.is_(None)),
        ),
    )


def progress(found: Iterable[StoredFinding], decided: Mapping[str, StoredDecision]) -> Progress:
    count = made = needs = errors = 0
    for finding in found:
        count += 1
        decision = decided.get(finding_key(finding))
        if decision is None:
            errors += finding.severity == "error"
            continue
        made += 1
        needs += decision.decision is Decision.NEEDS_CHANGE
    return Progress(count, made, needs, errors)


def decide_refusal(user: User, state: State) -> str | None:
    """Why ``user`` may not decide the findings of a table in ``state``; None when it may."""
    if user.role not in DECIDERS:
        return "只有审核人员可以处理审核发现"
    if state not in DECIDING:
        return f"自评表处于“{state.label}”状态：只有已提交、正在审核的自评表可以处理审核发现"
    return None


def decide(
    connection: Connection,
    evaluation_id: int,
    finding_id: int,
    decision: Decision | None,
    comment: str,
    user_name: str,
) -> StoredDecision | None:
    """Record (or with ``decision`` None, withdraw) the reviewer's decision on one finding of
    the table, with a history row; the decision as stored."""
    user = require_user(connection, user_name)
    row = connection.execute(
        select(evaluations.c.state, evaluations.c.document_id).where(
            evaluations.c.id == evaluation_id
        )
    ).first()
    if row is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    refused = decide_refusal(user, State(row.state))
    if refused is not None:
        raise StoreError(refused)
    text = comment.strip()
    if len(text) > COMMENT_LIMIT:
        raise StoreError(f"说明不能超过 {COMMENT_LIMIT} 字")
    finding = next(
        (f for f in table_findings(connection, evaluation_id) if f.id == finding_id), None
    )
    if finding is None:
        raise StoreError(f"这张自评表没有编号为 {finding_id} 的审核发现（可能已随修改重新检查）")
    key = finding_key(finding)
    where = and_(finding_decisions.c.evaluation_id == evaluation_id, finding_decisions.c.key == key)
    before = connection.execute(select(finding_decisions).where(where)).first()
    at = now()
    path = format_many(finding.paths)
    if decision is None:
        connection.execute(delete(finding_decisions).where(where))
    else:
        values = {
            "code": finding.code,
            "path": path,
            "decision": decision.value,
            "comment": text or None,
            "user_id": user.id,
            "at": at,
        }
        if before is None:
            connection.execute(
                insert(finding_decisions).values(evaluation_id=evaluation_id, key=key, **values)
            )
        else:
            connection.execute(update(finding_decisions).where(where).values(**values))
    old = {"decision": before.decision, "comment": before.comment} if before else None
    new = {"decision": decision.value, "comment": text or None} if decision else None
    if old is None and new is None:
        return None
    connection.execute(
        insert(history).values(
            evaluation_id=evaluation_id,
            user_id=user.id,
            at=at,
            action="decision",
            field=path if path and len(path) <= 200 else None,
            old=jsondata.dumps({"code": finding.code, **old} if old else None),
            new=jsondata.dumps({"code": finding.code, **new} if new else None),
        )
    )
    return decisions_of(connection, evaluation_id).get(key)


# ---- what a step must have confirmed -------------------------------------------------------


def confirmation(connection: Connection, evaluation_id: int, to: State) -> str | None:
    """The question a step asks before it is taken, or None: 公开 always (it cannot be
    undone); 审核通过 with findings decided 需修改 still there or errors not decided; 提交审核
    with errors still open."""
    if to is State.PUBLISHED:
        return "公开后，自评表将向社会公开，不能撤回。确定公开吗？"
    if to not in (State.APPROVED, State.SUBMITTED):
        return None
    found = table_findings(connection, evaluation_id)
    if to is State.SUBMITTED:
        errors = sum(1 for f in found if f.severity == "error")
        return f"这张自评表还有 {errors} 条错误未改正，确定提交审核吗？" if errors else None
    state = progress(found, decisions_of(connection, evaluation_id))
    if not state.open:
        return None
    return f"这张自评表还有{_open_text(state)}，确定审核通过吗？"


def _open_text(state: Progress) -> str:
    parts = []
    if state.needs_change:
        parts.append(f" {state.needs_change} 条标为“需修改”的问题未改正")
    if state.undecided_errors:
        parts.append(f" {state.undecided_errors} 条错误尚未处理")
    return "，".join(parts)


def batch_confirmation(
    connection: Connection, evaluation_ids: Sequence[int], to: State
) -> str | None:
    """One question for a batch step: the tables that would ask, named."""
    if to is State.PUBLISHED:
        return f"公开后，这 {len(evaluation_ids)} 张自评表将向社会公开，不能撤回。确定公开吗？"
    asking = []
    for evaluation_id in evaluation_ids:
        if to is State.APPROVED:
            try:
                found = table_findings(connection, evaluation_id)
            except StoreError:
                continue  # gone meanwhile: its own step says so
            state = progress(found, decisions_of(connection, evaluation_id))
            if state.open:
                name = connection.scalar(
                    select(evaluations.c.name).where(evaluations.c.id == evaluation_id)
                )
                asking.append(f"《{name or '未填名称'}》还有{_open_text(state)}")
    if not asking:
        return None
    return "；".join(asking) + f"。确定将这 {len(evaluation_ids)} 张自评表全部审核通过吗？"


# ---- the inbox, the menu's counts, the unit's notices ----------------------------------------


@dataclass(frozen=True, slots=True)
class InboxItem:
    summary: EvaluationSummary
    submitted_at: datetime | None
    submitted_by: str | None
    rounds: int  # how many times it was submitted (2: again after a return)
    errors: int
    warnings: int
    progress: Progress


WAITING = (State.SUBMITTED, State.APPROVED)  # 待审核, 待公开
SORTS = ("submitted", "-submitted", "name", "unit", "errors", "score", "-score")


def _submissions() -> Any:
    return (
        select(
            history.c.evaluation_id,
            func.max(history.c.at).label("submitted_at"),
            func.count().label("rounds"),
        )
        .where(history.c.action == "state", history.c.new == SUBMITTED)
        .group_by(history.c.evaluation_id)
        .subquery("submissions")
    )


def inbox(
    connection: Connection,
    sort: str = "submitted",
    page: int = 1,
    per_page: int = 50,
    state: State = State.SUBMITTED,
) -> tuple[list[InboxItem], int]:
    """The tables waiting for review (已提交; or, with ``state``, those approved and waiting
    to be published), oldest submission first unless ``sort`` says otherwise (``SORTS``); a
    page of them and how many there are."""
    if sort not in SORTS:
        raise StoreError(f"排序方式应为 {'、'.join(SORTS)} 之一")
    if state not in WAITING:
        raise StoreError("待处理列表只列出已提交或已审核的自评表")
    page, per_page = max(1, page), max(1, per_page)
    waiting = evaluations.c.state == state.value
    total = int(
        connection.scalar(select(func.count()).select_from(evaluations).where(waiting)) or 0
    )
    sub = _submissions()
    order = {
        "submitted": (sub.c.submitted_at.asc(),),
        "-submitted": (sub.c.submitted_at.desc(),),
        "name": (evaluations.c.name,),
        "unit": (units.c.name, evaluations.c.name),
        "errors": (evaluations.c.errors.desc(), evaluations.c.warnings.desc()),
        "score": (evaluations.c.score.asc(),),
        "-score": (evaluations.c.score.desc(),),
    }[sort]
    rows = connection.execute(
        select(
            *_SUMMARY,
            evaluations.c.errors,
            evaluations.c.warnings,
            sub.c.submitted_at,
            sub.c.rounds,
        )
        .select_from(_FROM.outerjoin(sub, sub.c.evaluation_id == evaluations.c.id))
        .where(waiting)
        .order_by(*order, evaluations.c.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    by = _submitters(connection, [r.id for r in rows])
    items = [
        InboxItem(
            _summary(r),
            r.submitted_at,
            by.get(r.id),
            int(r.rounds or 0),
            r.errors,
            r.warnings,
            progress(table_findings(connection, r.id), decisions_of(connection, r.id)),
        )
        for r in rows
    ]
    return items, total


def _submitters(connection: Connection, ids: list[int]) -> dict[int, str]:
    """Who submitted each table last."""
    if not ids:
        return {}
    rows = connection.execute(
        select(history.c.evaluation_id, _who().label("who"))
        .select_from(history.outerjoin(users, users.c.id == history.c.user_id))
        .where(
            history.c.evaluation_id.in_(ids),
            history.c.action == "state",
            history.c.new == SUBMITTED,
        )
        .order_by(history.c.id)
    )
    return {r.evaluation_id: r.who for r in rows}  # the last row of each wins


def state_counts(
    connection: Connection, reach: Reach, states: Collection[State] | None = None
) -> dict[State, int]:
    """How many tables the user sees in each state (the menu's counts), of ``states`` alone
    when given (counted on the states' index, not over every table)."""
    if reach.restricted and reach.unit_id is None:
        return {}
    query = _COUNTS[states is not None, reach.restricted]
    values = {"unit": reach.unit_id, "states": [state.value for state in states or ()]}
    return {State(state): int(n) for state, n in connection.execute(query, values)}


def _counts(of_states: bool, of_unit: bool) -> Any:
    query = select(evaluations.c.state, func.count()).group_by(evaluations.c.state)
    if of_states:
        query = query.where(evaluations.c.state.in_(bindparam("states", expanding=True)))
    if of_unit:
        query = query.where(evaluations.c.unit_id == bindparam("unit"))
    return query


# the menu's counts, asked on every page: each of the four queries built once
_COUNTS = {(s, u): _counts(s, u) for s in (False, True) for u in (False, True)}


@dataclass(frozen=True, slots=True)
class Returned:
    """A table sent back to its unit: when, by whom, why, and how many findings to change."""

    id: int
    name: str | None
    year: int | None
    at: datetime | None
    by: str | None
    comment: str
    needs_change: int


def returned(connection: Connection, reach: Reach) -> list[Returned]:
    """The tables the user's unit has back from review (已退回), latest first."""
    query = select(evaluations.c.id, evaluations.c.name, evaluations.c.year).where(
        evaluations.c.state == State.RETURNED.value
    )
    if reach.restricted:
        if reach.unit_id is None:
            return []
        query = query.where(evaluations.c.unit_id == reach.unit_id)
    out = []
    for row in connection.execute(query.order_by(evaluations.c.updated_at.desc()).limit(50)):
        step = last_step(connection, row.id, (State.RETURNED,))
        state = progress(table_findings(connection, row.id), decisions_of(connection, row.id))
        out.append(
            Returned(
                row.id,
                row.name,
                row.year,
                step.at if step else None,
                step.by if step else None,
                step.comment if step else "",
                state.needs_change,
            )
        )
    return out


# ---- who concluded the review --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """A workflow step as the opinion signs it: who took it, their unit, when, what they said."""

    to: State
    by: str | None
    unit: str | None
    at: datetime
    comment: str


def last_step(connection: Connection, evaluation_id: int, to: Iterable[State]) -> Step | None:
    """The latest step of the table into one of the states ``to``."""
    wanted = [jsondata.dumps(s.value) for s in to]
    row = connection.execute(
        select(history.c.new, history.c.at, history.c.user_id, _who().label("who"), units.c.name)
        .select_from(
            history.outerjoin(users, users.c.id == history.c.user_id).outerjoin(
                units, units.c.id == users.c.unit_id
            )
        )
        .where(
            history.c.evaluation_id == evaluation_id,
            history.c.action == "state",
            history.c.new.in_(wanted),
        )
        .order_by(history.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    state = State(jsondata.loads(row.new))
    said = connection.scalar(
        select(comments.c.text)
        .where(
            comments.c.evaluation_id == evaluation_id,
            comments.c.step == state.value,
            comments.c.at == row.at,
            comments.c.user_id == row.user_id,
        )
        .limit(1)
    )
    return Step(state, row.who, row.name, row.at, said or "")
