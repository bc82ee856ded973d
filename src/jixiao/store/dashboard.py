"""The finance bureau's dashboard as a handful of aggregate queries (SQLite and PostgreSQL).

Everything is counted per top-level evaluation (a fund's sub-direction tables belong to
their fund): its department, year, state and recomputed score and grade are the fund's;
the findings of its sub-direction tables count towards it. A department-kind table names
its department in 预算部门名称 (``name``) and often leaves 主管部门 blank, so the
department of a table is 主管部门, else (for department tables) its name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB

from jixiao.audit import CATALOGUE
from jixiao.store.schema import State, evaluations, findings, history, units

# Execution-rate bins (percent): [0, 60), [60, 80), … [100, ∞); a locality may pass others.
DEFAULT_RATE_EDGES: tuple[Decimal, ...] = tuple(Decimal(x) for x in ("60", "80", "90", "95", "100"))
NO_DEPARTMENT = "（未填部门）"
UNKNOWN = "未知"
NO_GRADE = "未评定"
OPEN_STATES = (State.DRAFT.value, State.SUBMITTED.value, State.RETURNED.value)
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RateBin:
    label: str
    low: Decimal | None  # inclusive, percent; None for the "unknown" bin
    high: Decimal | None  # exclusive; None when open-ended
    count: int


@dataclass(frozen=True, slots=True)
class FindingCount:
    code: str
    title: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    department: str
    evaluations: int
    avg_total: Decimal | None  # average recomputed 总分
    errors: int  # findings of severity error
    open: int  # findings in evaluations not yet approved
    previous_evaluations: int = 0
    previous_avg_total: Decimal | None = None


@dataclass(frozen=True, slots=True)
class YearSummary:
    year: int
    evaluations: int
    avg_total: Decimal | None
    errors: int
    findings: int
    grades: dict[str, int]


@dataclass(frozen=True, slots=True)
class Dashboard:
    year: int | None
    department: str | None
    evaluations: int
    grades: dict[str, int]
    execution_rates: tuple[RateBin, ...]
    top_findings: tuple[FindingCount, ...]
    departments: tuple[DepartmentRow, ...]
    current: YearSummary | None  # the chosen year, when one is chosen
    previous: YearSummary | None  # the year before it
    years: tuple[int, ...]  # every year in the store (for the filter)
    department_names: tuple[str, ...]


def department_of(table: Any = evaluations) -> ColumnElement[Any]:
    """主管部门, else the name of a department table, else a placeholder."""
    named = case((table.c.kind == "department", table.c.name), else_=None)
    return func.coalesce(table.c.department, named, literal(NO_DEPARTMENT))


def _roots(
    year: int | None, department: str | None, table: Any = evaluations
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [table.c.parent_id.is_(None)]
    if year is not None:
        clauses.append(table.c.year == year)
    if department is not None:
        clauses.append(department_of(table) == department)
    return clauses


def _average(total: Any, count: Any) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(str(total)) / int(count)).quantize(_CENT)


def _json_number(connection: Connection, *path: str) -> ColumnElement[Any]:
    """A number inside the evaluation's JSON ``data`` (text column), on either database."""
    if connection.dialect.name == "postgresql":
        document: Any = cast(evaluations.c.data, JSONB)
    else:
        document = type_coerce(evaluations.c.data, JSON)
    return document[path].as_float()  # type: ignore[no-any-return]


def _grades(connection: Connection, where: list[ColumnElement[bool]]) -> dict[str, int]:
    grade = func.coalesce(evaluations.c.score_grade, literal(NO_GRADE))
    rows = connection.execute(
        select(grade, func.count()).where(*where).group_by(grade).order_by(grade)
    )
    return {str(g): int(n) for g, n in rows}


def _rate_bins(
    connection: Connection, where: list[ColumnElement[bool]], edges: Sequence[Decimal]
) -> tuple[RateBin, ...]:
    budget = _json_number(connection, "funds", "annual_budget")
    executed = _json_number(connection, "funds", "executed")
    rate = executed * 100.0 / budget
    known = and_(budget.is_not(None), budget > 0, executed.is_not(None))
    whens: list[tuple[ColumnElement[bool], int]] = [(~known, -1)]
    whens += [(rate < float(edge), k) for k, edge in enumerate(edges)]
    slot = case(*whens, else_=len(edges))
    counts = {
        int(k): int(n)
        for k, n in connection.execute(select(slot, func.count()).where(*where).group_by(slot))
    }
    bounds: list[Decimal | None] = [Decimal(0), *edges, None]
    out = []
    for k in range(len(edges) + 1):
        low, high = bounds[k], bounds[k + 1]
        label = f"{low}%以上" if high is None else f"{low}–{high}%"
        if k == 0 and high is not None:
            label = f"低于{high}%"
        out.append(RateBin(label, low, high, counts.get(k, 0)))
    out.append(RateBin(UNKNOWN, None, None, counts.get(-1, 0)))
    return tuple(out)


def _per_table(*keys: Any, extra: tuple[Any, ...] = ()) -> Any:
    """Findings counted per table first (on the findings index), then joined to the
    table and its top-level table ``root``: a few rows per table instead of every finding."""
    errors = func.sum(case((findings.c.severity == "error", 1), else_=0))
    per = (
        select(
            findings.c.evaluation_id.label("eid"),
            *keys,
            *extra,
            func.count().label("n"),
            errors.label("errors"),
        )
        .where(findings.c.evaluation_id.is_not(None))
        .group_by(findings.c.evaluation_id, *keys)
        .subquery("per")
    )
    table = evaluations.alias("e")
    root = evaluations.alias("root")
    joined = per.join(table, per.c.eid == table.c.id).join(
        root, root.c.id == func.coalesce(table.c.parent_id, table.c.id)
    )
    return per, joined, root


def _top_findings(
    connection: Connection, year: int | None, department: str | None, limit: int
) -> tuple[FindingCount, ...]:
    per, joined, root = _per_table(
        findings.c.code, extra=(func.max(findings.c.severity).label("sev"),)
    )
    count = func.sum(per.c.n).label("count")
    rows = connection.execute(
        select(per.c.code, func.max(per.c.sev), count)
        .select_from(joined)
        .where(*_roots(year, department, root))
        .group_by(per.c.code)
        .order_by(count.desc(), per.c.code)
        .limit(limit)
    )
    out = []
    for code, severity, n in rows:
        rule = CATALOGUE.rules.get(code)
        out.append(FindingCount(code, rule.title if rule else code, str(severity), int(n)))
    return tuple(out)


def _departments(
    connection: Connection, year: int | None, department: str | None
) -> dict[str, dict[str, Any]]:
    key = department_of()
    rows = connection.execute(
        select(key, func.count(), func.sum(evaluations.c.score), func.count(evaluations.c.score))
        .where(*_roots(year, department))
        .group_by(key)
    )
    out: dict[str, dict[str, Any]] = {
        str(name): {"evaluations": int(n), "avg_total": _average(total, scored)}
        for name, n, total, scored in rows
    }
    per, joined, root = _per_table()
    root_key = department_of(root)
    still_open = func.sum(case((root.c.state.in_(OPEN_STATES), per.c.n), else_=0))
    for name, n_errors, n_open, n_all in connection.execute(
        select(root_key, func.sum(per.c.errors), still_open, func.sum(per.c.n))
        .select_from(joined)
        .where(*_roots(year, department, root))
        .group_by(root_key)
    ):
        entry = out.setdefault(str(name), {"evaluations": 0, "avg_total": None})
        entry.update(errors=int(n_errors or 0), open=int(n_open or 0), findings=int(n_all))
    return out


def _summary(
    connection: Connection, year: int, department: str | None, per_department: dict[str, Any]
) -> YearSummary:
    grades = _grades(connection, _roots(year, department))
    count = sum(grades.values())
    total = connection.execute(
        select(func.sum(evaluations.c.score), func.count(evaluations.c.score)).where(
            *_roots(year, department)
        )
    ).one()
    errors = sum(d.get("errors", 0) for d in per_department.values())
    found = sum(d.get("findings", 0) for d in per_department.values())
    return YearSummary(year, count, _average(*total), errors, found, grades)


def stamp(connection: Connection) -> tuple[Any, ...]:
    """Changes whenever an evaluation is added, edited, moved or deleted (for caching).

    Every import, edit and state step writes a history row, so the newest history id and
    the number and newest id of evaluations say it; all three come from indexes alone
    (``updated_at`` would mean reading every row, past its large ``data``).
    """
    row = connection.execute(
        select(
            select(func.count()).select_from(evaluations).scalar_subquery(),
            select(func.max(evaluations.c.id)).scalar_subquery(),
            select(func.max(history.c.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def dashboard(
    connection: Connection,
    year: int | None = None,
    department: str | None = None,
    *,
    rate_edges: Sequence[Decimal] = DEFAULT_RATE_EDGES,
    top: int = 10,
) -> Dashboard:
    """The dashboard for one year (or all years) and one department (or all)."""
    where = _roots(year, department)
    grades = _grades(connection, where)
    current = _departments(connection, year, department)
    previous_rows: dict[str, dict[str, Any]] = {}
    summary = previous = None
    if year is not None:
        previous_rows = _departments(connection, year - 1, department)
        summary = _summary(connection, year, department, current)
        previous = _summary(connection, year - 1, department, previous_rows)
    departments = tuple(
        DepartmentRow(
            department=name,
            evaluations=entry["evaluations"],
            avg_total=entry["avg_total"],
            errors=entry.get("errors", 0),
            open=entry.get("open", 0),
            previous_evaluations=previous_rows.get(name, {}).get("evaluations", 0),
            previous_avg_total=previous_rows.get(name, {}).get("avg_total"),
        )
        for name, entry in sorted(current.items(), key=lambda i: (-i[1].get("open", 0), i[0]))
    )
    years = tuple(
        int(y)
        for y in connection.scalars(
            select(evaluations.c.year)
            .where(evaluations.c.year.is_not(None), evaluations.c.parent_id.is_(None))
            .distinct()
            .order_by(evaluations.c.year.desc())
        )
    )
    key = department_of()
    names = tuple(
        str(n)
        for n in connection.scalars(
            select(key).where(evaluations.c.parent_id.is_(None)).distinct().order_by(key)
        )
    )
    return Dashboard(
        year=year,
        department=department,
        evaluations=sum(grades.values()),
        grades=grades,
        execution_rates=_rate_bins(connection, where, rate_edges),
        top_findings=_top_findings(connection, year, department, top),
        departments=departments,
        current=summary,
        previous=previous,
        years=years,
        department_names=names,
    )


def filter_choices(
    connection: Connection, unit: str | None = None
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The years and 主管部门 of the stored tables (of one unit's, for a 填报 user)."""
    source: Any = evaluations
    where: list[ColumnElement[bool]] = []
    if unit is not None:
        source = evaluations.join(units, evaluations.c.unit_id == units.c.id)
        where.append(units.c.name == unit)
    years = connection.scalars(
        select(evaluations.c.year)
        .select_from(source)
        .where(evaluations.c.year.is_not(None), *where)
        .distinct()
        .order_by(evaluations.c.year.desc())
    )
    names = connection.scalars(
        select(evaluations.c.department)
        .select_from(source)
        .where(evaluations.c.department.is_not(None), *where)
        .distinct()
        .order_by(evaluations.c.department)
    )
    return tuple(int(y) for y in years), tuple(str(n) for n in names)
