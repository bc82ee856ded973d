"""Score one 三级指标 by the scheme's rules: 正向, 反向, 时效, 定性, 复合.

Every result names the rule it applied and can say in one line how it got its number;
where the direction or the attainment cannot be read, it says so instead of guessing.
This is the hot path of a province-wide run, so sentences are only assembled on demand.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Indicator
from jixiao.scoring.results import IndicatorScore, Rule
from jixiao.scoring.scheme import Scheme
from jixiao.values import (
    Direction,
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


def _undetermined(indicator: Indicator, reason: str, direction: Direction) -> IndicatorScore:
    return IndicatorScore(
        indicator, Rule.UNDETERMINED, "undetermined", (reason,), direction=direction
    )


def score_indicator(indicator: Indicator, scheme: Scheme) -> IndicatorScore:
    """Score one indicator; the verdict for the same values is remembered per scheme."""
    key = (indicator.target, indicator.actual, indicator.weight, indicator.level2)
    memo = scheme.memo
    verdict = memo.get(key)
    if verdict is not None:  # tuple.__new__ skips the named tuple's argument handling
        return _new_score(IndicatorScore, (indicator, *verdict))
    result = _score(indicator, scheme)
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = result[1:]
    return result


MEMO_LIMIT = 1 << 20
_new_score = tuple.__new__


def _score(indicator: Indicator, scheme: Scheme) -> IndicatorScore:
    weight = indicator.weight
    if weight is None:
        return _undetermined(indicator, "未填分值", UNKNOWN)
    target = parse_value(indicator.target)
    actual = parse_value(indicator.actual)
    t_kind, a_kind = target.kind, actual.kind
    if t_kind is QUANTITY and a_kind is QUANTITY:  # the common case first
        return _score_quantity(indicator, weight, target, actual, scheme)
    if t_kind is EMPTY:
        return _undetermined(indicator, "年度指标值为空", target.direction)
    if a_kind is EMPTY:
        return _undetermined(indicator, "实际完成值为空", target.direction)
    if UNREADABLE in (t_kind, a_kind):
        bad = target if t_kind is UNREADABLE else actual
        return _undetermined(indicator, bad.reason or "数值无法识别", UNKNOWN)
    if t_kind is TIME_KIND:
        return _score_time(indicator, weight, target, actual, scheme)
    if QUALITATIVE_KIND in (t_kind, a_kind):
        return _score_qualitative(indicator, weight, scheme)
    if t_kind is COMPOUND and a_kind is COMPOUND:
        return _score_compound(indicator, weight, target, actual, scheme)
    reason = f"目标（{target.describe()}）与实际（{actual.describe()}）形式不同"
    return _undetermined(indicator, reason, UNKNOWN)


def _tier_range(scheme: Scheme, tier: Tier, weight: Decimal) -> tuple[Decimal, Decimal]:
    low, high = scheme.qualitative[tier]
    return scheme.round_score(weight * low), scheme.round_score(weight * high)


def _score_qualitative(indicator: Indicator, weight: Decimal, scheme: Scheme) -> IndicatorScore:
    tier, why = assess(indicator.actual or "", indicator.target)
    if tier is None:
        return _undetermined(indicator, why, Direction.QUALITATIVE)
    low, high = _tier_range(scheme, tier, weight)
    return IndicatorScore(
        indicator,
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
) -> IndicatorScore:
    assert target.time is not None
    if actual.kind is QUALITATIVE_KIND:
        return _score_qualitative(indicator, weight, scheme)
    if actual.time is None:
        reason = f"目标是时间（{target.time.describe()}），实际不是"
        return _undetermined(indicator, reason, Direction.TIME)
    on_time = _on_time(target.time, actual.time)
    if on_time is None:
        return _undetermined(indicator, "目标与实际的时间无法比较", Direction.TIME)
    shown = (actual.time.describe(), target.time.describe())
    if on_time:
        full = scheme.round_score(weight)
        return IndicatorScore(
            indicator,
            Rule.TIME,
            "time-met",
            (*shown, full),
            low=full,
            high=full,
            direction=Direction.TIME,
        )
    low, high = _tier_range(scheme, Tier.NOT_ACHIEVED, weight)
    return IndicatorScore(
        indicator,
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
    indicator: Indicator, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> IndicatorScore:
    t_q, a_q = target.parts[0], actual.parts[0]
    aligned = align(t_q, a_q)
    if isinstance(aligned, str):
        return _undetermined(indicator, aligned, target.direction)
    t, a, note = aligned
    direction = target.direction
    if direction is UNKNOWN:
        direction = scheme.direction_for(indicator.level2)
        if direction is UNKNOWN and a == t:
            direction = EQUAL  # exactly on target: full marks whichever way is better
    fraction = _fraction(direction, t, a, scheme)
    if fraction is None:
        return _undetermined(indicator, NO_DIRECTION, direction)
    score = scheme.round_score(weight * fraction)
    if t_q.upper is not None:  # a range: exceeded measured from its top, attained from its low
        top = align(t_q.top, a_q)
        t_top = t if isinstance(top, str) else top.target
    else:
        t_top = t
    ratio = a / t_top if t_top else None
    over = direction is POSITIVE and ratio is not None and ratio >= scheme.over_achievement
    if fraction == ONE:
        template = "met"
    elif direction is POSITIVE:
        template = "positive-short"
    else:
        template = "negative-over" if direction is NEGATIVE else "equal-off"
    rule = _rule_for(direction, scheme)
    fields = (
        indicator,
        rule,
        template,
        (direction, a_q, t_q, score, weight),
        score,
        score,
        direction,
        ratio,
        None,
        over,
        note,
    )
    return _new_score(IndicatorScore, fields)  # positional: this runs once per new value pair


def _score_compound(
    indicator: Indicator, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> IndicatorScore:
    pairs = pair_parts(target.parts, actual.parts)
    if isinstance(pairs, str):
        return _undetermined(indicator, pairs, target.direction)
    fractions: list[Decimal] = []
    for t_q, a_q in pairs:
        aligned = align(t_q, a_q)
        if isinstance(aligned, str):
            return _undetermined(indicator, f"{t_q.label or ''}{aligned}", target.direction)
        direction = direction_of(t_q.comparator)
        if direction is UNKNOWN:
            direction = scheme.direction_for(indicator.level2)
        if direction is UNKNOWN and aligned.actual == aligned.target:
            direction = EQUAL
        fraction = _fraction(direction, aligned.target, aligned.actual, scheme)
        if fraction is None:
            return _undetermined(indicator, NO_DIRECTION, direction)
        fractions.append(fraction)
    if scheme.compound == "min":
        combined, how = min(fractions), "取最低"
    else:
        combined, how = sum(fractions, ZERO) / len(fractions), "取平均"
    score = scheme.round_score(weight * combined)
    shares = "、".join(f"{(f * 100).quantize(Decimal('0.1'))}%" for f in fractions)
    return IndicatorScore(
        indicator,
        Rule.COMPOUND,
        "compound",
        (shares, how, score),
        low=score,
        high=score,
        direction=target.direction,
    )
