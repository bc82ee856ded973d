"""A new table in the store, for a unit to fill on the evaluation page (新建自评表): the blank
official form, last year's table carried over, or the table a 绩效目标申报表 sets out.

The table is written as the evaluation document ``jixiao new`` writes (``document.template``)
and imported as any upload is (``service.store.import_bytes``): scored, checked, stored as a
草稿 of the unit with that document as its original file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from jixiao.audit import AuditSettings
from jixiao.document.template import (
    blank_evaluation,
    from_declaration,
    is_declaration,
    next_year,
    template_yaml,
)
from jixiao.model import Evaluation, Kind
from jixiao.service.facade import Service
from jixiao.service.reading import read_report
from jixiao.service.store import import_bytes
from jixiao.store import Store, User
from jixiao.store.policy import scope_for
from jixiao.store.records import EvaluationFilter

How = Literal["blank", "previous", "declaration"]


class ComposeError(Exception):
    """Why the table cannot be started (Chinese, naming the file or table)."""

    def __init__(self, message: str, existing: int | None = None) -> None:
        super().__init__(message)
        self.existing = existing  # the table already there for that project and year


@dataclass(frozen=True, slots=True)
class Started:
    id: int  # the new table's id
    message: str


def blank_table(service: Service, kind: Kind, year: int | None, unit: str | None) -> Evaluation:
    """The blank official form with the instance's scheme's weights; a project form names
    the unit as its 实施单位."""
    evaluation = blank_evaluation(kind, service.scheme(), year)
    if unit and kind == "project":
        return dataclasses.replace(evaluation, implementer=unit)
    if unit:
        return dataclasses.replace(evaluation, name=unit)
    return evaluation


def declared_table(service: Service, name: str, content: bytes) -> Evaluation:
    """The table of the first 绩效目标申报表 (or, failing one, the first table) of an
    uploaded file; ``ComposeError`` naming the file when it cannot be read or holds none."""
    read = read_report(content, name)
    if read.errors:
        raise ComposeError(read.error_text())
    tables = read.report.evaluations if read.report is not None else ()
    if not tables:
        raise ComposeError(f"{name}: 文件中没有找到绩效目标申报表（绩效目标表）")
    found = next((t for t in tables if is_declaration(t)), tables[0])
    if not found.indicators:
        raise ComposeError(
            f"{name}: 绩效目标申报表中没有读到绩效指标（一级、二级、三级指标和指标值）"
        )
    return from_declaration(found, service.scheme())


def existing_table(store: Store, evaluation: Evaluation, unit_id: int | None) -> int | None:
    """The stored table of the same unit, kind, year and name, if there is one."""
    if not evaluation.name or evaluation.year is None:
        return None
    wanted = "".join(evaluation.name.split())
    page = store.listed(
        EvaluationFilter(year=evaluation.year, kind=evaluation.kind, top_level=True),
        unit_id=unit_id,
        restrict=unit_id is not None,
        per_page=500,
    )
    for row in page.items:
        if "".join((row.summary.name or "").split()) == wanted:
            return row.summary.id
    return None


def store_new_table(
    store: Store,
    service: Service,
    settings: AuditSettings | None,
    user: User,
    evaluation: Evaluation,
    unit: str | None,
    origin: str,
) -> Started:
    """Store ``evaluation`` as a new 草稿 of ``unit`` (a clerk: its own unit); refused when
    the unit already has this project's table of that year."""
    clerk = scope_for(user).restricted
    if clerk:
        unit = user.unit
    unit_id = _unit_id(store, unit)
    found = existing_table(store, evaluation, unit_id) if unit_id is not None else None
    if found is not None:
        raise ComposeError(
            f"“{evaluation.name}”{evaluation.year}年度的自评表已经存在（编号 {found}），"
            "请打开它继续填写，不必新建",
            existing=found,
        )
    at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    text = template_yaml(evaluation, f"{origin}（{user.name} 于 {at} 在网页新建）")
    title = evaluation.name or evaluation.title or "自评表"
    name = f"新建-{''.join(title.split())[:60]}.yaml"
    result = import_bytes(
        store,
        service,
        name,
        text.encode("utf-8"),
        settings,
        unit,
        user.name,
        owner=user if clerk else None,
    )
    if result.outcome is None:
        raise ComposeError(result.error or "新建失败")
    tables = store.document_tables(result.outcome.document_id)
    if not tables:
        raise ComposeError("新建失败：没有生成自评表")
    return Started(tables[0].id, f"已新建{evaluation.title or '自评表'}")


def _unit_id(store: Store, unit: str | None) -> int | None:
    if not unit:
        return None
    return next((u.id for u in store.units() if u.name == unit), None)


def carried_table(store: Store, source_id: int) -> tuple[Evaluation, str]:
    """Last year's stored table ``source_id`` carried over to the next year (the caller
    has checked the user may see it), with its unit."""
    stored = store.evaluation(source_id)
    return next_year(stored.evaluation), stored.summary.unit or ""
