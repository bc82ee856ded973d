"""Put a target and an actual on the same footing: units across magnitudes, labelled parts."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from jixiao.values.parse import CLASSIFIERS
from jixiao.values.types import Quantity


class Aligned(NamedTuple):
    """Two comparable numbers in the same base unit, and any assumption made to get there."""

    target: Decimal
    actual: Decimal
    note: str | None = None


_new_aligned = tuple.__new__


def _unit_text(q: Quantity) -> str:
    return f"{q.magnitude or ''}{q.unit or ''}"


def align(target: Quantity, actual: Quantity) -> Aligned | str:
    """Compare 260亿 with 308.6亿元 or 50万 with 60万; a reason string when they cannot be."""
    t_bare = target.unit is None and target.magnitude is None
    a_bare = actual.unit is None and actual.magnitude is None
    if a_bare and not t_bare:
        note = f"实际值“{actual.number}”未写单位，按目标单位“{_unit_text(target)}”理解"
        return Aligned(target.value, actual.number * target.scale, note)
    if t_bare and not a_bare:
        note = f"目标值“{target.number}”未写单位，按实际单位“{_unit_text(actual)}”理解"
        return Aligned(target.number * actual.scale, actual.value, note)
    if target.unit != actual.unit and not _compatible_units(target.unit, actual.unit):
        return f"目标单位“{_unit_text(target)}”与实际单位“{_unit_text(actual)}”不同，无法比较"
    # the common case, on every indicator of a province: no note, plain tuple creation
    return _new_aligned(Aligned, (target.number * target.scale, actual.number * actual.scale, None))


def _compatible_units(a: str | None, b: str | None) -> bool:
    """A missing unit beside a magnitude (260亿 vs 308.6亿元), or two measure words (家/个)."""
    if a is None or b is None:
        return True
    return a in CLASSIFIERS and b in CLASSIFIERS


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _labels_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return a in b or b in a or _shared_prefix(a, b) >= 2


def pair_parts(
    targets: tuple[Quantity, ...], actuals: tuple[Quantity, ...]
) -> list[tuple[Quantity, Quantity]] | str:
    """Pair the parts of compound values (省级平台2个以上 ↔ 省级15个) by label, else by order."""
    pairs: list[tuple[Quantity, Quantity]] = []
    unused = list(actuals)
    for target in targets:
        match = next((a for a in unused if _labels_match(target.label, a.label)), None)
        if match is None:
            break
        pairs.append((target, match))
        unused.remove(match)
    else:
        return pairs
    if len(targets) == len(actuals):
        return list(zip(targets, actuals, strict=True))
    return f"目标有{len(targets)}项数值，实际有{len(actuals)}项，无法逐项对应"
