"""The finance bureau's dashboard as a handful of aggregate queries (SQLite and PostgreSQL).

Everything is counted per top-level evaluation (a fund's sub-direction tables belong to
their fund): its department, year, state and recomputed score and grade are the fund's;
the findings of its sub-direction tables count towards it. A department-kind table names
its department in 预算部门名称 (``name``) and often leaves 主管部门 blank, so the
department of a table is 主管部门, else (for department tables) its name. That department,
execution rates and finding counts come from the summary columns every import and edit
keep (migration 0003), never from parsing ``data``; findings are read only to rank codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)

from jixiao.audit import CATALOGUE
from jixiao.store.policy import State
from jixiao.store.schema import evaluations, findings, history, units

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
    state: State | None = None
    total: Decimal | None = None  # sum of the recomputed totals (复核)
    declared_total: Decimal | None = None  # sum of the totals the units wrote (填报)
    declared_avg: Decimal | None = None
    avg_total: Decimal | None = None
    grade_gaps: int = 0  # tables whose written grade is not the recomputed one


def department_of(table: Any = evaluations) -> ColumnElement[Any]:
    """The department a table is counted under (``reporting_department``: 主管部门, else
    a department table's own name), else a placeholder."""
    return func.coalesce(table.c.reporting_department, literal(NO_DEPARTMENT))


def _roots(
    year: int | None, department: str | None, table: Any = evaluations, state: State | None = None
) -> list[ColumnElement[bool]]:
    """The chosen top-level tables (of one state, when ``state`` is given: a record counts
    once, its earlier versions are not tables); the index on (parent, year, department)
    finds them."""
    clauses: list[ColumnElement[bool]] = [table.c.parent_id.is_(None)]
    if state is not None:
        clauses.append(table.c.state == state.value)
    if year is not None:
        clauses.append(table.c.year == year)
    if department == NO_DEPARTMENT:
        clauses.append(
            or_(table.c.reporting_department.is_(None), table.c.reporting_department == department)
        )
    elif department is not None:
        clauses.append(table.c.reporting_department == department)
    return clauses


def _average(total: Any, count: Any) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(str(total)) / int(count)).quantize(_CENT)


@dataclass(slots=True)
class _Tally:
    """The chosen top-level tables counted in one pass: by department (with their
    recomputed totals), by recomputed grade and by execution-rate bin."""

    departments: dict[str, dict[str, Any]]
    grades: dict[str, int]
    bins: dict[int, int]  # bin number (-1: rate unknown) → tables
    total: Decimal | None  # sum of the recomputed totals
    scored: int  # tables with a recomputed total
    declared: Decimal | None = None  # sum of the written totals (填报)
    declared_count: int = 0  # tables with a written total
    grade_gaps: int = 0  # tables whose written grade differs from the recomputed one

    @property
    def evaluations(self) -> int:
        return sum(self.grades.values())


def _tally(
    connection: Connection,
    year: int | None,
    department: str | None,
    edges: Sequence[Decimal],
    state: State | None = None,
) -> _Tally:
    rate = evaluations.c.execution_rate  # None when budget or executed is unknown
    whens: list[tuple[ColumnElement[bool], int]] = [(rate.is_(None), -1)]
    whens += [(rate < float(edge), k) for k, edge in enumerate(edges)]
    slot = case(*whens, else_=len(edges))
    key = department_of()
    grade = func.coalesce(evaluations.c.score_grade, literal(NO_GRADE))
    score, written = evaluations.c.score, evaluations.c.total
    written_grade, score_grade = evaluations.c.grade, evaluations.c.score_grade
    both = and_(written_grade.is_not(None), score_grade.is_not(None))
    gap = case((and_(both, written_grade != score_grade), 1), else_=0)
    rows = connection.execute(
        select(
            key,
            grade,
            slot,
            func.count(),
            func.sum(score),
            func.count(score),
            func.sum(written),
            func.count(written),
            func.sum(gap),
        )
        .where(*_roots(year, department, state=state))
        .group_by(key, grade, slot)
    )
    tally = _Tally({}, {}, {}, None, 0)
    for name, graded, k, n, total, scored, declared, declared_count, gaps in rows:
        if declared is not None:
            tally.declared = Decimal(str(declared)) + (tally.declared or 0)
            tally.declared_count += int(declared_count)
        tally.grade_gaps += int(gaps or 0)
        entry = tally.departments.setdefault(str(name), {"evaluations": 0, "total": None})
        entry["evaluations"] += int(n)
        tally.grades[str(graded)] = tally.grades.get(str(graded), 0) + int(n)
        tally.bins[int(k)] = tally.bins.get(int(k), 0) + int(n)
        if total is not None:
            exact = Decimal(str(total))
            entry["total"] = exact + (entry["total"] or 0)
            entry["scored"] = entry.get("scored", 0) + int(scored)
            tally.total = exact + (tally.total or 0)
            tally.scored += int(scored)
    for entry in tally.departments.values():
        entry["avg_total"] = _average(entry.pop("total"), entry.pop("scored", 0))
    tally.grades = dict(sorted(tally.grades.items()))
    return tally


def _rate_bins(counts: dict[int, int], edges: Sequence[Decimal]) -> tuple[RateBin, ...]:
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


# made once: an alias copies every column of the table, which cost more than the query
_ROOT, _CHILD = evaluations.alias("root"), evaluations.alias("child")


def _members(year: int | None, department: str | None, state: State | None = None) -> Any:
    """Every table that counts for the chosen top-level tables: each of them and its
    sub-direction tables, with the top-level table's department and state and the table's
    own finding counts. Two index-driven selects glued together: a join on
    ``coalesce(parent_id, id)`` would visit every table (and every finding) first."""
    root, child = _ROOT, _CHILD

    def part(table: Any) -> Any:
        return select(
            table.c.id.label("id"),
            department_of(root).label("department"),
            root.c.state.label("state"),
            table.c.errors.label("errors"),
            (table.c.errors + table.c.warnings + table.c.infos).label("findings"),
        )

    roots = part(root).where(*_roots(year, department, root, state))
    children = (
        part(child)
        .select_from(child.join(root, child.c.parent_id == root.c.id))
        .where(*_roots(year, department, root, state))
    )
    return union_all(roots, children).subquery("members")


def _top_findings(
    connection: Connection,
    year: int | None,
    department: str | None,
    limit: int,
    state: State | None = None,
) -> tuple[FindingCount, ...]:
    members = _members(year, department, state)
    count = func.count().label("count")
    rows = connection.execute(
        select(findings.c.code, func.max(findings.c.severity), count)
        .select_from(members.join(findings, findings.c.evaluation_id == members.c.id))
        .group_by(findings.c.code)
        .order_by(count.desc(), findings.c.code)
        .limit(limit)
    )
    out = []
    for code, severity, n in rows:
        rule = CATALOGUE.rules.get(code)
        out.append(FindingCount(code, rule.title if rule else code, str(severity), int(n)))
    return tuple(out)


def _departments(
    connection: Connection,
    year: int | None,
    department: str | None,
    tally: _Tally,
    state: State | None = None,
) -> dict[str, dict[str, Any]]:
    """The tally's departments with their findings: errors, all, and those still open."""
    out = tally.departments
    members = _members(year, department, state)
    still_open = func.sum(case((members.c.state.in_(OPEN_STATES), members.c.findings), else_=0))
    for name, n_errors, n_open, n_all in connection.execute(
        select(
            members.c.department,
            func.sum(members.c.errors),
            still_open,
            func.sum(members.c.findings),
        ).group_by(members.c.department)
    ):
        entry = out.setdefault(str(name), {"evaluations": 0, "avg_total": None})
        entry.update(errors=int(n_errors or 0), open=int(n_open or 0), findings=int(n_all))
    return out


def _summary(year: int, tally: _Tally, per_department: dict[str, Any]) -> YearSummary:
    errors = sum(d.get("errors", 0) for d in per_department.values())
    found = sum(d.get("findings", 0) for d in per_department.values())
    average = _average(tally.total, tally.scored)
    return YearSummary(year, tally.evaluations, average, errors, found, tally.grades)


def _choices(connection: Connection) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Every year and every department of the top-level tables (for the filters); both
    from the index on (parent, year, department) alone."""
    roots = evaluations.c.parent_id.is_(None)
    year = evaluations.c.year
    years = connection.scalars(
        select(year).where(roots, year.is_not(None)).distinct().order_by(year.desc())
    )
    key = department_of()
    names = connection.scalars(select(key).where(roots).distinct())
    return tuple(int(y) for y in years), tuple(sorted(str(n) for n in names))


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
    state: State | None = None,
    rate_edges: Sequence[Decimal] = DEFAULT_RATE_EDGES,
    top: int = 10,
) -> Dashboard:
    """The dashboard for one year (or all years), one department (or all) and one state
    (or all): each record once, as the list counts its top-level tables."""
    tally = _tally(connection, year, department, rate_edges, state)
    current = _departments(connection, year, department, tally, state)
    previous_rows: dict[str, dict[str, Any]] = {}
    summary = previous = None
    if year is not None:
        before = _tally(connection, year - 1, department, rate_edges, state)
        previous_rows = _departments(connection, year - 1, department, before, state)
        summary = _summary(year, tally, current)
        previous = _summary(year - 1, before, previous_rows)
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
    years, names = _choices(connection)
    return Dashboard(
        year=year,
        department=department,
        evaluations=tally.evaluations,
        grades=tally.grades,
        execution_rates=_rate_bins(tally.bins, rate_edges),
        top_findings=_top_findings(connection, year, department, top, state),
        departments=departments,
        current=summary,
        previous=previous,
        years=years,
        department_names=names,
        state=state,
        total=tally.total,
        declared_total=tally.declared,
        declared_avg=_average(tally.declared, tally.declared_count),
        avg_total=_average(tally.total, tally.scored),
        grade_gaps=tally.grade_gaps,
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
