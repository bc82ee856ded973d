"""The finance bureau's dashboard: GET /dashboard (page) and GET /api/dashboard (JSON).

The aggregates are SQL (``jixiao.store.dashboard``); a result is kept until any evaluation
changes (the store's change stamp), so repeated views of a large province cost one tiny
query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse

from jixiao.store import STATE_LABELS, Role, State, Store, User
from jixiao.store.dashboard import NO_GRADE, UNKNOWN, Dashboard, dashboard, stamp
from jixiao.web import deps
from jixiao.web._errors import ApiError
from jixiao.web.form import SEVERITY_LABELS
from jixiao.web.pages import GRADES, query_string, render
from jixiao.web.svg import Bar, bar_chart

router = APIRouter()

Reviewer = Annotated[User, Depends(deps.require_role(Role.REVIEWER, Role.ADMIN))]
GRADE_COLOURS = {"优": "#2e7d32", "良": "#1565c0", "中": "#ef6c00", "差": "#c62828"}
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}
_CACHE_SIZE = 64
_lock = threading.Lock()


class Shown:
    """A computed dashboard and what its two views make of it, each made once (the JSON
    of a province's dashboard took longer to build than the cached answer to find)."""

    def __init__(self, board: Dashboard) -> None:
        self.board = board

    @cached_property
    def data(self) -> dict[str, Any]:
        return to_data(self.board)

    @cached_property
    def charts(self) -> dict[str, Any]:
        return charts(self.board)


_cache: OrderedDict[tuple[Any, ...], Shown] = OrderedDict()


def _year(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        year = int(text)
    except ValueError:
        raise ApiError(422, "invalid", f"年度“{text}”不是整数", {"year": text}) from None
    return deps.held(year, "年度", "year")


def _state(text: str | None) -> State | None:
    if text is None or not text.strip():
        return None
    try:
        return State(text.strip())
    except ValueError:
        allowed = "、".join(f"{s.value}（{s.label}）" for s in State)
        raise ApiError(
            422, "invalid", f"状态“{text}”无法识别，可选：{allowed}", {"state": text}
        ) from None


def load(
    store: Store, year: int | None, department: str | None, state: State | None = None
) -> Shown:
    """The dashboard, recomputed only when an evaluation changed since the last time."""
    with store.reading() as connection:
        key = (id(store), year, department, state, stamp(connection))
        with _lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
                return found
        result = Shown(dashboard(connection, year, department, state=state))
    with _lock:
        _cache[key] = result
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_data(result: Dashboard) -> dict[str, Any]:
    """The JSON of GET /api/dashboard."""
    data = asdict(result)
    data["previous_year"] = data.pop("previous")
    data["current_year"] = data.pop("current")
    data["state"] = result.state.value if result.state else None
    return dict(_plain(data))


def _ordered_grades(grades: dict[str, int]) -> list[tuple[str, int]]:
    known = [(g, grades[g]) for g in GRADES if g in grades]
    return known + [(g, n) for g, n in grades.items() if g not in GRADES]


def charts(result: Dashboard) -> dict[str, Any]:
    grades = [
        Bar(g, n, GRADE_COLOURS.get(g, "#777"), f"{g}：{n} 张")
        for g, n in _ordered_grades(result.grades)
    ]
    rates = [
        Bar(
            b.label,
            b.count,
            "#999" if b.label == UNKNOWN else "#3b6fb6",
            f"{b.label}：{b.count} 张",
        )
        for b in result.execution_rates
    ]
    findings = [
        Bar(f"{f.code} {f.title}", f.count, SEVERITY_COLOURS.get(f.severity, "#777"))
        for f in result.top_findings
    ]
    return {
        "grades": bar_chart(grades, title="等级分布"),
        "rates": bar_chart(rates, title="预算执行率分布"),
        "findings": bar_chart(findings, title="最常见的问题", width=640),
    }


def _change(now: Decimal | None, before: Decimal | None) -> str:
    if now is None or before is None:
        return "—"
    delta = now - before
    return f"+{delta}" if delta > 0 else str(delta)


@router.get("/api/dashboard", tags=["看板"], summary="看板数据", dependencies=[deps.LANE])
def dashboard_data(
    request: Request,
    user: Reviewer,
    year: str | None = None,
    department: str | None = None,
    state: str | None = None,
) -> JSONResponse:
    store: Store = deps.get_store(request)
    return JSONResponse(load(store, _year(year), department or None, _state(state)).data)


@router.get(
    "/dashboard", response_class=HTMLResponse, include_in_schema=False, dependencies=[deps.LANE]
)
def dashboard_page(
    request: Request,
    user: Reviewer,
    year: str | None = None,
    department: str | None = None,
    state: str | None = None,
) -> HTMLResponse:
    store: Store = deps.get_store(request)
    shown = load(store, _year(year), department or None, _state(state))
    result = shown.board
    return render(
        request,
        "dashboard.html",
        user,
        "看板",
        active="dashboard",
        data=result,
        charts=shown.charts,
        errors=sum(d.errors for d in result.departments),
        open=sum(d.open for d in result.departments),
        query=query_string({"year": year, "department": department, "state": state}),
        # the list of the same tables: its 共 N 张 is the 自评表 count here
        listed=query_string({"year": year, "state": state, "top": "1"}),
        states={s.value: label for s, label in STATE_LABELS.items()},
        grade_names=[*GRADES, NO_GRADE],
        severity_labels=SEVERITY_LABELS,
        change=_change,
    )
