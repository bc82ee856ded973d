"""Changing a stored evaluation: a field edit or a state step, each with its history rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from jixiao.audit import Finding
from jixiao.loading import Loaded, LoadError, decode
from jixiao.model import Evaluation, FieldPath, FieldPathError
from jixiao.store import jsondata
from jixiao.store.documents import evaluation_columns, finding_row, now, severity_columns
from jixiao.store.errors import ConflictError, StoreError
from jixiao.store.listing import document_evaluations
from jixiao.store.policy import State, can_see, changes_refusal, is_correction, step_refusal
from jixiao.store.records import EditedDocument, Rescore, Rescored, User
from jixiao.store.schema import comments, documents, evaluations, findings, history
from jixiao.store.users import require_user

_FIXED = frozenset({"children", "source"})
TOTAL_WEIGHT = FieldPath.of("total", "weight")
DERIVED_NOTE = "由各项分值合计得出"


class Action:
    """What a history row records (``history.action``)."""

    IMPORT = "import"
    EDIT = "edit"  # a field the unit reports
    CORRECT = "correct"  # a field set at budget time, corrected (note: the reason given)
    DERIVED = "derived"  # a total worked out again from its parts
    STATE = "state"
    VERSION = "version"  # a new upload of the record (note: its file)


def spoken(path: FieldPath) -> str:
    """A field as a message names it (第3个指标的“实际完成值”), or 该字段 when people have
    no name for it."""
    return path.label() or "该字段"


def parse_path(text: str) -> FieldPath:
    """The field an edit names (``indicators[2].actual``); ``StoreError`` for a text that
    names none, or a part no edit may change (the sub-tables, the places in the file)."""
    try:
        path = FieldPath.parse(text)
    except FieldPathError as error:
        raise StoreError(str(error)) from None
    if not isinstance(path.parts[0], str):
        raise StoreError(f"字段路径无法识别：{text}（应以名称开头，如 funds.executed）")
    if any(part in _FIXED for part in path.parts):
        raise StoreError(f"{spoken(path)}不能直接修改")
    return path


def _locked_row(connection: Connection, evaluation_id: int) -> Any:
    row = connection.execute(select(evaluations).where(evaluations.c.id == evaluation_id)).first()
    if row is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
    return row


def _may_touch(user: User, row: Any) -> None:
    if not can_see(user, row.unit_id):
        raise StoreError(f"用户 {user.name} 不属于这张自评表的填报单位")


def _set(data: Any, path: FieldPath, value: Any) -> Any:
    """Put ``value`` at ``path`` in ``data``; the old value is returned."""
    node = data
    parts = path.parts
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        missing = StoreError(f"{spoken(FieldPath(parts[: depth + 1]))}不存在")
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                raise missing
        elif not isinstance(node, dict) or (not last and part not in node):
            raise missing
        if last:
            old = node.get(part) if isinstance(node, dict) else node[part]
            node[part] = value
            return old
        node = node[part]
    return None


@dataclass(frozen=True, slots=True)
class PlannedEdit:
    """Field changes worked out, rescored and rechecked in a reading transaction; written by
    ``apply_edit`` in a short one, if no table of the document moved meanwhile."""

    row: Any  # the edited table's row as read
    user_id: int
    versions: dict[int, int]  # every table of the document as read: id → version
    evaluation: Evaluation
    values: dict[str, Any]
    changes: tuple[tuple[FieldPath, Any, Any], ...]  # (field, old, new)
    rescored: Rescored | None
    reason: str = ""  # given with the corrections of budget-time fields

    def history_rows(self, at: Any) -> list[dict[str, Any]]:
        """One history row per changed field: a correction with its reason, a total worked
        out again with what it follows."""
        rows = []
        for path, old, new in self.changes:
            note: str | None
            if path == TOTAL_WEIGHT:
                action, note = Action.DERIVED, DERIVED_NOTE
            elif is_correction(path):
                action, note = Action.CORRECT, self.reason or None
            else:
                action, note = Action.EDIT, None
            rows.append(
                {
                    "evaluation_id": self.row.id,
                    "user_id": self.user_id,
                    "at": at,
                    "action": action,
                    "field": str(path),
                    "old": jsondata.dumps(old),
                    "new": jsondata.dumps(new),
                    "note": note,
                }
            )
        return rows


def plan_edit(
    connection: Connection,
    evaluation_id: int,
    changes: Sequence[tuple[str, Any]],
    user_name: str,
    *,
    expected_version: int | None = None,
    rescore: Rescore | None = None,
    reason: str = "",
) -> PlannedEdit:
    """Change fields, the table validated as a whole after each, rescored once after the
    last; nothing written (the slow part, kept out of the write lock). Each field only as
    the user's rights allow (``policy.field_refusal``: a budget-time field corrected by its
    unit needs ``reason``); a weight changed, 总分行分值 follows as their sum."""
    user = require_user(connection, user_name)
    # The versions are read before anything they vouch for: under PostgreSQL's READ
    # COMMITTED each statement sees the latest commits, so a table read after them may be
    # newer than they say — and the write then finds them moved and plans again — but never
    # older (which would write stale data over another's edit).
    versions = _versions(connection, _locked_row(connection, evaluation_id).document_id)
    row = _locked_row(connection, evaluation_id)
    _may_touch(user, row)
    paths = [parse_path(field) for field, _ in changes]
    refused = changes_refusal(user, State(row.state), paths, reason)
    if refused is not None:
        raise StoreError(refused[1])
    if expected_version is not None and row.version != expected_version:
        raise ConflictError("这张自评表已被他人修改，请刷新后重试")
    data = jsondata.loads(row.data)
    done: list[tuple[FieldPath, Any, Any]] = []
    evaluation: Evaluation | None = None
    for path, (_, value) in zip(paths, changes, strict=True):
        done.append((path, _set(data, path, value), value))
        evaluation = _validated(evaluation_id, data, path)
    if evaluation is None:
        raise StoreError("没有要修改的字段")
    if any(path.leaf == "weight" for path in paths):
        derived = _derived_total_weight(evaluation)
        if derived is not None and derived != evaluation.total.weight:
            done.append((TOTAL_WEIGHT, _set(data, TOTAL_WEIGHT, derived), derived))
            evaluation = _validated(evaluation_id, data, TOTAL_WEIGHT)
    values: dict[str, Any] = {"data": jsondata.dumps(data), **evaluation_columns(evaluation)}
    rescored = None
    if rescore is not None:
        rescored = rescore(evaluation, _edited_document(connection, row, evaluation))
    return PlannedEdit(
        row, user.id, versions, evaluation, values, tuple(done), rescored, reason.strip()
    )


def _derived_total_weight(evaluation: Evaluation) -> Any:
    """总分行分值 as the sum of the funds' and the indicators' 分值; None when none is given."""
    weights = [evaluation.funds.weight, *(item.weight for item in evaluation.indicators)]
    given = [weight for weight in weights if weight is not None]
    return sum(given[1:], given[0]) if given else None


def _validated(evaluation_id: int, data: Any, path: FieldPath) -> Evaluation:
    try:
        return decode(Evaluation, Loaded(f"自评表{evaluation_id}", data))
    except LoadError as error:
        reasons = "；".join(_reason(p.path, p.message) for p in error.problems)
        raise StoreError(f"修改{spoken(path)}后自评表无效：{reasons}") from None


def _versions(connection: Connection, document_id: int, lock: bool = False) -> dict[int, int]:
    """The version of each table of a document; with ``lock``, the rows locked until the
    transaction ends (PostgreSQL; SQLite's writing transaction holds the whole database)."""
    query = select(evaluations.c.id, evaluations.c.version).where(
        evaluations.c.document_id == document_id
    )
    rows = connection.execute(query.with_for_update() if lock else query).all()
    return {r.id: r.version for r in rows}


def lock_document(connection: Connection, evaluation_id: int) -> None:
    """Hold every table of the evaluation's document until the transaction ends, so an edit
    worked out now cannot be overtaken (PostgreSQL; SQLite's writing transaction already
    holds the whole database)."""
    _versions(connection, _locked_row(connection, evaluation_id).document_id, lock=True)


def apply_edit(connection: Connection, plan: PlannedEdit) -> bool:
    """Write a planned edit (each field one version and one history row, old → new); False,
    writing nothing, when a table of its document changed since it was planned (its
    recheck would be stale)."""
    row = plan.row
    if _versions(connection, row.document_id, lock=True) != plan.versions:
        return False
    at = now()
    values = {**plan.values, "version": row.version + len(plan.changes), "updated_at": at}
    result = plan.rescored
    if result is not None:
        values.update(score=result.score, score_grade=result.score_grade)
        values.update(severity_columns(f.severity.value for f in result.findings))
        if result.document_findings is None:
            _replace_findings(connection, row, result.findings)
        else:
            _replace_document_findings(connection, row, result.document_findings)
    connection.execute(update(evaluations).where(evaluations.c.id == row.id).values(**values))
    connection.execute(insert(history), plan.history_rows(at))
    return True


def _reason(where: tuple[str | int, ...], message: str) -> str:
    """One reason an edited table is invalid, naming the field as the form does."""
    label = FieldPath(where).label() if where else ""
    return f"{label}{message}" if label else message


def _edited_document(connection: Connection, row: Any, edited: Evaluation) -> EditedDocument:
    """The edited table's document with every table as it now stands (sub-directions back
    under their parents) and the uploaded file."""
    top = document_evaluations(connection, row.document_id, {row.id: edited})
    document = connection.execute(
        select(documents.c.file_name, documents.c.content).where(documents.c.id == row.document_id)
    ).one()
    return EditedDocument(top, row.table_index, document.file_name, document.content or b"")


def _replace_findings(connection: Connection, row: Any, found: tuple[Finding, ...]) -> None:
    """The edited table's findings in place of its old ones."""
    connection.execute(delete(findings).where(findings.c.evaluation_id == row.id))
    rows = [
        {"document_id": row.document_id, "evaluation_id": row.id, **finding_row(f)} for f in found
    ]
    if rows:
        connection.execute(insert(findings), rows)


def _replace_document_findings(
    connection: Connection, row: Any, found: tuple[Finding, ...]
) -> None:
    """Every finding of the document replaced by a whole recheck; each other table's counts
    follow (the edited table's are written with its other columns)."""
    ids = dict(
        connection.execute(
            select(evaluations.c.table_index, evaluations.c.id).where(
                evaluations.c.document_id == row.document_id
            )
        ).all()
    )
    connection.execute(delete(findings).where(findings.c.document_id == row.document_id))
    rows = [
        {
            "document_id": row.document_id,
            "evaluation_id": ids.get(f.table.index) if f.table else None,
            **finding_row(f),
        }
        for f in found
    ]
    if rows:
        connection.execute(insert(findings), rows)
    for index, table_id in ids.items():
        if table_id == row.id:
            continue
        mine = (f.severity.value for f in found if f.table and f.table.index == index)
        connection.execute(
            update(evaluations).where(evaluations.c.id == table_id).values(**severity_columns(mine))
        )


def transition(
    connection: Connection, evaluation_id: int, to: State, user_name: str, comment: str = ""
) -> State:
    """Move the evaluation one step (only the allowed steps, by the allowed roles)."""
    user = require_user(connection, user_name)
    row = _locked_row(connection, evaluation_id)
    current = State(row.state)
    refused = step_refusal(user.role, current, to, comment)
    if refused is not None:
        raise StoreError(refused[1])
    _may_touch(user, row)
    text = comment.strip()
    at = now()
    changed = connection.execute(
        update(evaluations)
        .where(evaluations.c.id == evaluation_id, evaluations.c.state == current.value)
        .values(state=to.value, version=row.version + 1, updated_at=at)
    )
    if changed.rowcount != 1:
        raise ConflictError("这张自评表的状态已被他人改变，请刷新后重试")
    connection.execute(
        insert(history).values(
            evaluation_id=evaluation_id,
            user_id=user.id,
            at=at,
            action=Action.STATE,
            field="state",
            old=jsondata.dumps(current.value),
            new=jsondata.dumps(to.value),
        )
    )
    if text:
        connection.execute(
            insert(comments).values(
                evaluation_id=evaluation_id, user_id=user.id, step=to.value, text=text, at=at
            )
        )
    return to
