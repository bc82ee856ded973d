"""The indicator library (指标库): the 三级指标 the stored tables use under each 二级指标,
near-duplicate names merged, with how often each is used and its usual targets, units and
weights, by year and department.

Names are merged by ``values.names.indicator_key`` (spaces, punctuation, numbering, a unit in
brackets, 数量/数, 满意率/满意度, a counting word at the end): “高新技术企业数量（家）” and
“高新技术企业数” are one entry shown by its most used spelling, the others listed as 其他写法.
Categories are the 一级 / 二级 names as written, cleaned of weights and spaces. A unit is
what the target states (家, %, 亿元…); a target that states none (a date, a sentence) has
none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.scoring.scheme import clean_category
from jixiao.store.library import LibraryTable
from jixiao.values import ValueKind, parse_value
from jixiao.values.names import indicator_key

SHOWN = 5  # usual targets, units, weights and departments listed per indicator
NO_CATEGORY = "（未填）"


@dataclass(slots=True)
class _Entry:
    names: Counter[str] = field(default_factory=Counter)
    tables: set[int] = field(default_factory=set)
    uses: int = 0
    years: Counter[int] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)
    targets: Counter[str] = field(default_factory=Counter)
    units: Counter[str] = field(default_factory=Counter)
    weights: Counter[Decimal] = field(default_factory=Counter)


def _unit(target: str) -> str | None:
    value = parse_value(target)
    if value.kind is not ValueKind.QUANTITY or value.quantity is None:
        return None
    unit = f"{value.quantity.magnitude or ''}{value.quantity.unit or ''}"
    return unit or None


def _weight(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number.normalize() if number.is_finite() else None


def _category(text: Any) -> str:
    return clean_category(str(text)) if text else NO_CATEGORY


def _display(names: Counter[str]) -> str:
    """The spelling most used; of equals, the shortest, then the first in order."""
    return min(names, key=lambda n: (-names[n], len(n), n))


def _top(counter: Counter[Any], label: str) -> list[dict[str, Any]]:
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{label: key, "count": n} for key, n in ordered[:SHOWN]]


def build_library(
    tables: Iterable[LibraryTable],
    *,
    level2: str | None = None,
    query: str | None = None,
) -> dict[str, Any]:
    """The library as data (``/api/library``): categories in the order first met, each
    with its indicators, most used first. ``level2`` keeps one 二级指标; ``query`` keeps
    indicators whose name (any spelling) holds it, normalised alike."""
    entries: dict[tuple[str, str], dict[str, _Entry]] = {}
    wanted_level2 = clean_category(level2) if level2 else None
    wanted = indicator_key(query) if query else ""
    counted: set[int] = set()
    for table in tables:
        for row in table.indicators:
            name = str(row.get("name") or "").strip()
            key = indicator_key(name)
            if not key:
                continue
            category = (_category(row.get("level1")), _category(row.get("level2")))
            if wanted_level2 is not None and category[1] != wanted_level2:
                continue
            entry = entries.setdefault(category, {}).setdefault(key, _Entry())
            entry.names[name] += 1
            entry.uses += 1
            entry.tables.add(table.id)
            counted.add(table.id)
            if table.year is not None:
                entry.years[table.year] += 1
            if table.department:
                entry.departments[table.department] += 1
            target = " ".join(str(row.get("target") or "").split())
            if target:
                entry.targets[target] += 1
                unit = _unit(target)
                if unit:
                    entry.units[unit] += 1
            weight = _weight(row.get("weight"))
            if weight is not None:
                entry.weights[weight] += 1
    categories = []
    for (level1, second), found in entries.items():
        items = [
            _entry_data(entry)
            for key, entry in found.items()
            if not wanted or any(wanted in indicator_key(n) for n in entry.names) or wanted in key
        ]
        if not items:
            continue
        items.sort(key=lambda item: (-item["count"], item["name"]))
        categories.append(
            {
                "level1": level1,
                "level2": second,
                "count": sum(item["count"] for item in items),
                "indicators": items,
            }
        )
    return {"tables": len(counted), "categories": categories}


def _entry_data(entry: _Entry) -> dict[str, Any]:
    name = _display(entry.names)
    return {
        "name": name,
        "aliases": sorted(n for n in entry.names if n != name),
        "count": entry.uses,
        "tables": len(entry.tables),
        "years": {str(y): n for y, n in sorted(entry.years.items(), reverse=True)},
        "departments": _top(entry.departments, "name"),
        "targets": _top(entry.targets, "text"),
        "units": _top(entry.units, "unit"),
        "weights": _top(entry.weights, "weight"),
    }
