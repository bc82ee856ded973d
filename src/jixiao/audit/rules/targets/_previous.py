"""What TG03–TG05 share: this year's indicators beside last year's, matched by name.

An indicator is matched to last year's of the same name once names are normalised
(``values.names.indicator_key``: spaces, punctuation, numbering, units in brackets, 数量/数);
a name last year's table holds twice is matched to the one under the same 二级指标, else to
none. Numbers are read as the scoring reads them (``values.parse_value``) and compared in one
unit (``values.align``); a value that is not one plain number is left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from jixiao.audit.finding import Finding
from jixiao.audit.rule import Checked, Context, Rule
from jixiao.model import Evaluation, Indicator
from jixiao.scoring import Scheme
from jixiao.scoring.scheme import clean_category
from jixiao.values import Direction, Quantity, ValueKind, align, direction_of, parse_value
from jixiao.values.names import indicator_key

HUNDRED = Decimal(100)


class Pair(NamedTuple):
    """This year's indicator and last year's of the same name."""

    now: Indicator
    last: Indicator


def target_finding(
    rule: Rule, context: Context, pair: Pair, previous: Evaluation, **more: Any
) -> Finding:
    """A finding on this year's target, set beside last year's actual (TG03, TG04): the
    message's name, target, last year's actual and year filled in, ``more`` besides."""
    now, last = pair
    return rule.finding(
        context,
        indicator=now,
        field="target",
        expected=last.actual,
        actual=now.target,
        target=now.target,
        last_actual=last.actual,
        last=year_label(previous),
        **more,
    )


def year_label(previous: Evaluation) -> str:
    """How a message names last year: 上年（2023年）, or 上年 when the table gives no year."""
    return f"上年（{previous.year}年）" if previous.year else "上年"


def pairs(checked: Checked) -> Iterator[Pair]:
    """Each indicator of the table with last year's of the same name, in table order."""
    previous = checked.previous
    if previous is None:
        return
    by_key: dict[str, list[Indicator]] = {}
    for item in previous.indicators:
        key = indicator_key(item.name)
        if key:
            by_key.setdefault(key, []).append(item)
    for item in checked.evaluation.indicators:
        found = by_key.get(indicator_key(item.name)) if item.name else None
        if not found:
            continue
        if len(found) > 1:
            level2 = clean_category(item.level2 or "")
            found = [f for f in found if clean_category(f.level2 or "") == level2]
            if len(found) != 1:
                continue
        yield Pair(item, found[0])


def quantity(text: str | None) -> Quantity | None:
    """The one number a value states (a range's upper end), else None."""
    value = parse_value(text)
    if value.kind is not ValueKind.QUANTITY or value.quantity is None:
        return None
    return value.quantity.top


def direction(indicator: Indicator, scheme: Scheme) -> Direction:
    """Which way is better for the indicator, from its target as written (≥ / ≤), else from
    its 二级指标 in the scheme (a bare number)."""
    value = parse_value(indicator.target)
    if value.kind is not ValueKind.QUANTITY:
        return value.direction
    written = direction_of(value.comparator)
    return written if written is not Direction.UNKNOWN else scheme.direction_for(indicator.level2)


def compared(first: str | None, second: str | None) -> tuple[Decimal, Decimal] | None:
    """The two values as numbers in one unit, or None when either is not a plain number or
    their units differ (across two years, 20期 is no count of 人: measure words must agree)."""
    a, b = quantity(first), quantity(second)
    if a is None or b is None:
        return None
    if a.unit and b.unit and a.unit != b.unit:
        return None
    aligned = align(a, b)
    if isinstance(aligned, str):
        return None
    return aligned.target, aligned.actual


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percent of ``whole``, to one decimal."""
    return (part * HUNDRED / whole).quantize(Decimal("0.1"))
