"""The report written in the web app (生成报告): one text per table, with who drafted it and
when, who saved it last and when. Drafting again replaces the text (the page asks first);
a save names the revision it was made on, and one made on an older revision is refused
(someone saved meanwhile), so that no save overwrites another unseen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import aliased

from jixiao.store.documents import now, user_id
from jixiao.store.errors import ConflictError, StoreError
from jixiao.store.schema import evaluations, report_texts, users


@dataclass(frozen=True, slots=True)
class ReportText:
    evaluation_id: int
    html: str
    revision: int
    created_by: str | None
    created_at: datetime
    updated_by: str | None
    updated_at: datetime


_HAS_TEXT = select(report_texts.c.id).where(report_texts.c.evaluation_id == bindparam("id"))


def has_text(connection: Connection, evaluation_id: int) -> bool:
    """Whether the table's report was drafted (its text not read)."""
    return connection.execute(_HAS_TEXT, {"id": evaluation_id}).first() is not None


def report_text(connection: Connection, evaluation_id: int) -> ReportText | None:
    """The stored text of the table's report, or None when none was drafted."""
    drafter, saver = aliased(users), aliased(users)
    row = connection.execute(
        select(
            report_texts,
            drafter.c.name.label("drafter"),
            saver.c.name.label("saver"),
        )
        .select_from(
            report_texts.outerjoin(drafter, report_texts.c.created_by == drafter.c.id).outerjoin(
                saver, report_texts.c.updated_by == saver.c.id
            )
        )
        .where(report_texts.c.evaluation_id == evaluation_id)
    ).first()
    if row is None:
        return None
    return ReportText(
        evaluation_id,
        row.html,
        row.revision,
        row.drafter,
        row.created_at,
        row.saver,
        row.updated_at,
    )


def draft_text(connection: Connection, evaluation_id: int, html: str, user: str) -> ReportText:
    """Store ``html`` as the table's freshly drafted report (in place of any earlier text)."""
    _require_table(connection, evaluation_id)
    who, at = user_id(connection, user), now()
    found = report_text(connection, evaluation_id)
    if found is None:
        connection.execute(
            insert(report_texts).values(
                evaluation_id=evaluation_id,
                html=html,
                revision=1,
                created_by=who,
                created_at=at,
                updated_by=who,
                updated_at=at,
            )
        )
    else:
        connection.execute(
            update(report_texts)
            .where(report_texts.c.evaluation_id == evaluation_id)
            .values(
                html=html,
                revision=found.revision + 1,
                created_by=who,
                created_at=at,
                updated_by=who,
                updated_at=at,
            )
        )
    stored = report_text(connection, evaluation_id)
    assert stored is not None
    return stored


def save_text(
    connection: Connection,
    evaluation_id: int,
    html: str,
    user: str,
    expected_revision: int | None = None,
) -> ReportText:
    """Store the edited ``html`` of the table's report; ``StoreError`` when none was
    drafted, ``ConflictError`` when it was saved since ``expected_revision``."""
    _require_table(connection, evaluation_id)
    found = report_text(connection, evaluation_id)
    if found is None:
        raise StoreError("这张自评表还没有生成报告，请先生成报告")
    if expected_revision is not None and expected_revision != found.revision:
        raise ConflictError(
            f"报告已由 {found.updated_by or '他人'} 于 {found.updated_at:%Y-%m-%d %H:%M} 保存过，"
            "请复制您的修改后刷新页面再保存"
        )
    changed = connection.execute(
        update(report_texts)
        .where(
            report_texts.c.evaluation_id == evaluation_id,
            report_texts.c.revision == found.revision,
        )
        .values(
            html=html,
            revision=found.revision + 1,
            updated_by=user_id(connection, user),
            updated_at=now(),
        )
    )
    if changed.rowcount != 1:
        raise ConflictError("报告刚被他人保存过，请复制您的修改后刷新页面再保存")
    stored = report_text(connection, evaluation_id)
    assert stored is not None
    return stored


def _require_table(connection: Connection, evaluation_id: int) -> None:
    if connection.scalar(select(evaluations.c.id).where(evaluations.c.id == evaluation_id)) is None:
        raise StoreError(f"没有编号为 {evaluation_id} 的自评表")
