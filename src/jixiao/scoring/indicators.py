"""Score one 三级指标 by the scheme's rules: 正向, 反向, 时效, 定性, 复合.

Every result names the rule it applied and can say in one line how it got its number;
where the direction or the attainment cannot be read, it says so instead of guessing.
This is the hot path of a province-wide run, so sentences are only assembled on demand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.model import Indicator
from jixiao.scoring.results import IndicatorScore, Rule
from jixiao.scoring.scheme import EXPONENTS, Key, Known, Scheme, Verdict
from jixiao.values import (
    Direction,
    Quantity,
    Tier,
    TimeValue,
    Value,
    ValueKind,
    align,
    assess,
    direction_of,
    pair_parts,
    parse_value,
)

ZERO = Decimal(0)
ONE = Decimal(1)
# Enum members as module constants: attribute lookups on an Enum class cost more than
# the arithmetic on this path.
QUANTITY, COMPOUND = ValueKind.QUANTITY, ValueKind.COMPOUND
EMPTY, UNREADABLE = ValueKind.EMPTY, ValueKind.UNREADABLE
TIME_KIND, QUALITATIVE_KIND = ValueKind.TIME, ValueKind.QUALITATIVE
POSITIVE, NEGATIVE = Direction.POSITIVE, Direction.NEGATIVE
EQUAL, UNKNOWN = Direction.EQUAL, Direction.UNKNOWN


def _verdict(
    rule: Rule,
    template: str,
    args: tuple[Any, ...],
    low: Decimal | None = None,
    high: Decimal | None = None,
    direction: Direction = UNKNOWN,
    ratio: Decimal | None = None,
    tier: Tier | None = None,
    over_achieved: bool = False,
    note: str | None = None,
) -> Verdict:
    """An ``IndicatorScore``'s fields after the indicator: what the memo keeps."""
    return (rule, template, args, low, high, direction, ratio, tier, over_achieved, note)


def _undetermined(reason: str, direction: Direction) -> Verdict:
    return (
        Rule.UNDETERMINED,
        "undetermined",
        (reason,),
        None,
        None,
        direction,
        None,
        None,
        False,
        None,
    )


def score_indicator(indicator: Indicator, scheme: Scheme) -> IndicatorScore:
    """Score one indicator; the verdict for the same values is remembered per scheme."""
    key = (indicator.target, indicator.actual, indicator.weight, indicator.level2)
    known = scheme.memo.get(key)
    if known is None:
        known = remember(indicator, scheme, key)
    # tuple.__new__ skips the named tuple's argument handling
    return _new_score(IndicatorScore, (indicator,) + known[0])


def remember(indicator: Indicator, scheme: Scheme, key: Key) -> Known:
    """Score ``indicator`` and keep the verdict under ``key`` (its target, actual, weight
    and 二级) with the point score it counts whatever score was reported, if it has one."""
    verdict = _score(indicator, scheme)
    low, high = verdict[3], verdict[4]
    point = high if low is not None and high is not None and low == high else None
    memo = scheme.memo
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    known = memo[key] = (verdict, point)
    return known


MEMO_LIMIT = 1 << 20
_new_score = tuple.__new__


def _score(indicator: Indicator, scheme: Scheme) -> Verdict:
    weight = indicator.weight
    if weight is None:
        return _undetermined("未填分值", UNKNOWN)
    target = parse_value(indicator.target)
    actual = parse_value(indicator.actual)
    t_kind, a_kind = target.kind, actual.kind
    if t_kind is QUANTITY and a_kind is QUANTITY:  # the common case first
        return _score_quantity(indicator.level2, weight, target, actual, scheme)
    if t_kind is EMPTY:
        return _undetermined("年度指标值为空", target.direction)
    if a_kind is EMPTY:
        return _undetermined("实际完成值为空", target.direction)
    if UNREADABLE in (t_kind, a_kind):
        bad = target if t_kind is UNREADABLE else actual
        return _undetermined(bad.reason or "数值无法识别", UNKNOWN)
    if t_kind is TIME_KIND:
        return _score_time(indicator, weight, target, actual, scheme)
    if QUALITATIVE_KIND in (t_kind, a_kind):
        return _score_qualitative(indicator, weight, scheme)
    if t_kind is COMPOUND and a_kind is COMPOUND:
        return _score_compound(indicator.level2, weight, target, actual, scheme)
    reason = f"目标（{target.describe()}）与实际（{actual.describe()}）形式不同"
    return _undetermined(reason, UNKNOWN)


def _tier_range(scheme: Scheme, tier: Tier, weight: Decimal) -> tuple[Decimal, Decimal]:
    low, high = scheme.qualitative[tier]
    return scheme.round_score(weight * low), scheme.round_score(weight * high)


def _score_qualitative(indicator: Indicator, weight: Decimal, scheme: Scheme) -> Verdict:
    tier, why = assess(indicator.actual or "", indicator.target)
    if tier is None:
        return _undetermined(why, Direction.QUALITATIVE)
    low, high = _tier_range(scheme, tier, weight)
    return _verdict(
        Rule.QUALITATIVE,
        "qualitative",
        (why, tier, low, high),
        low=low,
        high=high,
        direction=Direction.QUALITATIVE,
        tier=tier,
    )


def _score_time(
    indicator: Indicator, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> Verdict:
    assert target.time is not None
    if actual.kind is QUALITATIVE_KIND:
        return _score_qualitative(indicator, weight, scheme)
    if actual.time is None:
        reason = f"目标是时间（{target.time.describe()}），实际不是"
        return _undetermined(reason, Direction.TIME)
    on_time = _on_time(target.time, actual.time)
    if on_time is None:
        return _undetermined("目标与实际的时间无法比较", Direction.TIME)
    shown = (actual.time.describe(), target.time.describe())
    if on_time:
        full = scheme.round_score(weight)
        return _verdict(
            Rule.TIME,
            "time-met",
            (*shown, full),
            low=full,
            high=full,
            direction=Direction.TIME,
        )
    low, high = _tier_range(scheme, Tier.NOT_ACHIEVED, weight)
    return _verdict(
        Rule.TIME,
        "time-late",
        (*shown, low, high),
        low=low,
        high=high,
        direction=Direction.TIME,
        tier=Tier.NOT_ACHIEVED,
    )


def _on_time(target: TimeValue, actual: TimeValue) -> bool | None:
    if target.months is not None and actual.months is not None:
        return actual.months <= target.months
    t_key, a_key = target.key(), actual.key()
    if t_key is None or a_key is None:
        return None
    if (t_key[0] == 0) != (a_key[0] == 0):  # one side has no year: compare month and day
        return a_key[1:] <= t_key[1:]
    return a_key <= t_key


def _fraction(direction: Direction, t: Decimal, a: Decimal, scheme: Scheme) -> Decimal | None:
    """The share of the weight earned from aligned target ``t`` and actual ``a``."""
    if direction is POSITIVE:
        if a >= t:
            return ONE
        return max(a, ZERO) / t if t > 0 else ONE
    if direction is NEGATIVE:
        if a <= t:
            return ONE
        if t <= 0:
            return ZERO
        if scheme.reverse_formula == "linear":
            return max(ZERO, ONE - (a - t) / t)
        return t / a
    if direction is EQUAL:
        if a == t:
            return ONE
        return max(ZERO, ONE - abs(a - t) / t) if t > 0 else ZERO
    return None


NO_DIRECTION = "年度指标值未写比较符，且该类指标未配置默认方向，无法判定正向或反向"


def _rule_for(direction: Direction, scheme: Scheme) -> Rule:
    if direction is NEGATIVE:
        return Rule.NEGATIVE_LINEAR if scheme.reverse_formula == "linear" else Rule.NEGATIVE_RATIO
    return Rule.EQUAL if direction is EQUAL else Rule.POSITIVE


def _score_quantity(
    level2: str | None, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> Verdict:
    """Once per distinct pair of a province: the fields are unpacked and the common case
    (same unit and magnitude on both sides, 正向) done inline."""
    t_q, a_q = target.parts[0], actual.parts[0]
    t_num, t_scale, t_unit, t_mag, _, _, t_upper = t_q
    a_num, a_scale, a_unit, a_mag, _, _, _ = a_q
    if t_unit == a_unit and t_mag == a_mag:  # what align() does when no note is needed
        t, a, note = t_num * t_scale, a_num * a_scale, None
    else:
        aligned = align(t_q, a_q)
        if isinstance(aligned, str):
            return _undetermined(aligned, target.direction)
        t, a, note = aligned
    direction = target.direction
    if direction is UNKNOWN:
        direction = scheme.direction_for(level2)
        if direction is UNKNOWN and a == t:
            direction = EQUAL  # exactly on target: full marks whichever way is better
    if direction is POSITIVE:
        rule = Rule.POSITIVE
        t_top = t if t_upper is None else _top(t, t_q, a_q)
        ratio = a / t_top if t_top else None
        if a >= t or t <= 0:
            fraction, template = ONE, "met"
        else:
            # max(a, 0) ÷ t: already worked out as the ratio when t is no range's low end
            fraction = ratio if t_top is t and a >= 0 and ratio is not None else max(a, ZERO) / t
            template = "met" if fraction == ONE else "positive-short"
        over = ratio is not None and ratio >= scheme.over_achievement
    else:
        found = _fraction(direction, t, a, scheme)
        if found is None:
            return _undetermined(NO_DIRECTION, direction)
        fraction = found
        rule = _rule_for(direction, scheme)
        t_top = t if t_upper is None else _top(t, t_q, a_q)
        ratio = a / t_top if t_top else None
        if fraction == ONE:
            template = "met"
        else:
            template = "negative-over" if direction is NEGATIVE else "equal-off"
        over = False
    score = (weight * fraction).quantize(EXPONENTS[scheme.score_decimals], ROUND_HALF_UP)
    args = (direction, a_q, t_q, score, weight)
    return (rule, template, args, score, score, direction, ratio, None, over, note)


def _top(t: Decimal, t_q: Quantity, a_q: Quantity) -> Decimal:
    """A range target's upper end, aligned: exceeded is measured from it, attained from
    its low end."""
    top = align(t_q.top, a_q)
    return t if isinstance(top, str) else top.target


def _score_compound(
    level2: str | None, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> Verdict:
    pairs = pair_parts(target.parts, actual.parts)
    if isinstance(pairs, str):
        return _undetermined(pairs, target.direction)
    fractions: list[Decimal] = []
    for t_q, a_q in pairs:
        aligned = align(t_q, a_q)
        if isinstance(aligned, str):
            return _undetermined(f"{t_q.label or ''}{aligned}", target.direction)
        direction = direction_of(t_q.comparator)
        if direction is UNKNOWN:
            direction = scheme.direction_for(level2)
        if direction is UNKNOWN and aligned.actual == aligned.target:
            direction = EQUAL
        fraction = _fraction(direction, aligned.target, aligned.actual, scheme)
        if fraction is None:
            return _undetermined(NO_DIRECTION, direction)
        fractions.append(fraction)
    if scheme.compound == "min":
        combined, how = min(fractions), "取最低"
    else:
        combined, how = sum(fractions, ZERO) / len(fractions), "取平均"
    score = scheme.round_score(weight * combined)
    shares = "、".join(f"{(f * 100).quantize(Decimal('0.1'))}%" for f in fractions)
    return _verdict(
        Rule.COMPOUND,
        "compound",
        (shares, how, score),
        low=score,
        high=score,
        direction=target.direction,
    )
