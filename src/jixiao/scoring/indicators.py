"""Score one 三级指标 by the scheme's rules: 正向, 反向, 时效, 定性, 复合.

Every result names the rule it applied and says in one line how it got its number;
where the direction or the attainment cannot be read, it says so instead of guessing.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Indicator
from jixiao.scoring.results import IndicatorScore, Rule
from jixiao.scoring.scheme import Scheme
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


def _undetermined(indicator: Indicator, reason: str, direction: Direction) -> IndicatorScore:
    return IndicatorScore(indicator, Rule.UNDETERMINED, f"无法判定：{reason}", direction=direction)


def score_indicator(indicator: Indicator, scheme: Scheme) -> IndicatorScore:
    weight = indicator.weight
    if weight is None:
        return _undetermined(indicator, "未填分值", Direction.UNKNOWN)
    target = parse_value(indicator.target)
    actual = parse_value(indicator.actual)
    if target.kind is ValueKind.EMPTY:
        return _undetermined(indicator, "年度指标值为空", target.direction)
    if actual.kind is ValueKind.EMPTY:
        return _undetermined(indicator, "实际完成值为空", target.direction)
    if ValueKind.UNREADABLE in (target.kind, actual.kind):
        bad = target if target.kind is ValueKind.UNREADABLE else actual
        return _undetermined(indicator, bad.reason or "数值无法识别", Direction.UNKNOWN)
    if target.kind is ValueKind.TIME:
        return _score_time(indicator, weight, target, actual, scheme)
    if target.kind is ValueKind.QUALITATIVE or actual.kind is ValueKind.QUALITATIVE:
        return _score_qualitative(indicator, weight, scheme)
    if target.kind is ValueKind.QUANTITY and actual.kind is ValueKind.QUANTITY:
        return _score_quantity(indicator, weight, target, actual, scheme)
    if target.kind is ValueKind.COMPOUND and actual.kind is ValueKind.COMPOUND:
        return _score_compound(indicator, weight, target, actual, scheme)
    return _undetermined(
        indicator,
        f"目标（{target.describe()}）与实际（{actual.describe()}）形式不同",
        Direction.UNKNOWN,
    )


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
        f"定性指标：{why}，按“{tier.label}”档计 {low}–{high} 分",
        low=low,
        high=high,
        direction=Direction.QUALITATIVE,
        tier=tier,
    )


def _score_time(
    indicator: Indicator, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> IndicatorScore:
    assert target.time is not None
    if actual.kind is ValueKind.QUALITATIVE:
        return _score_qualitative(indicator, weight, scheme)
    if actual.time is None:
        return _undetermined(
            indicator, f"目标是时间（{target.time.describe()}），实际不是", Direction.TIME
        )
    on_time = _on_time(target.time, actual.time)
    if on_time is None:
        return _undetermined(indicator, "目标与实际的时间无法比较", Direction.TIME)
    if on_time:
        full = scheme.round_score(weight)
        return IndicatorScore(
            indicator,
            Rule.TIME,
            f"时效指标：实际 {actual.time.describe()} 不晚于目标 "
            f"{target.time.describe()}，得满分 {full}",
            low=full,
            high=full,
            direction=Direction.TIME,
        )
    low, high = _tier_range(scheme, Tier.NOT_ACHIEVED, weight)
    return IndicatorScore(
        indicator,
        Rule.TIME,
        f"时效指标：实际 {actual.time.describe()} 晚于目标 "
        f"{target.time.describe()}，按“未达成”档计 {low}–{high} 分",
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


def _direction(target: Value, indicator: Indicator, scheme: Scheme) -> Direction:
    if target.direction is not Direction.UNKNOWN:
        return target.direction
    return scheme.direction_for(indicator.level2)


def _fraction(direction: Direction, t: Decimal, a: Decimal, scheme: Scheme) -> Decimal | str:
    """The share of the weight earned, from aligned target ``t`` and actual ``a``."""
    if direction is Direction.POSITIVE:
        if a >= t:
            return ONE
        return max(a, ZERO) / t if t > 0 else ONE
    if direction is Direction.NEGATIVE:
        if a <= t:
            return ONE
        if t <= 0:
            return ZERO
        if scheme.reverse_formula == "linear":
            return max(ZERO, ONE - (a - t) / t)
        return t / a
    if direction is Direction.EQUAL:
        if a == t:
            return ONE
        return max(ZERO, ONE - abs(a - t) / t) if t > 0 else ZERO
    return "年度指标值未写比较符，且该类指标未配置默认方向，无法判定正向或反向"


def _rule_for(direction: Direction, scheme: Scheme) -> Rule:
    if direction is Direction.NEGATIVE:
        return Rule.NEGATIVE_LINEAR if scheme.reverse_formula == "linear" else Rule.NEGATIVE_RATIO
    return Rule.EQUAL if direction is Direction.EQUAL else Rule.POSITIVE


def _score_quantity(
    indicator: Indicator, weight: Decimal, target: Value, actual: Value, scheme: Scheme
) -> IndicatorScore:
    t_q, a_q = target.parts[0], actual.parts[0]
    aligned = align(t_q, a_q)
    if isinstance(aligned, str):
        return _undetermined(indicator, aligned, target.direction)
    t, a = aligned.target, aligned.actual
    direction = _direction(target, indicator, scheme)
    if direction is Direction.UNKNOWN and a == t:
        direction = Direction.EQUAL  # exactly on target: full marks whichever way is better
    fraction = _fraction(direction, t, a, scheme)
    if isinstance(fraction, str):
        return _undetermined(indicator, fraction, direction)
    score = scheme.round_score(weight * fraction)
    ratio = a / t if t else None
    over = (
        direction is Direction.POSITIVE and ratio is not None and ratio >= scheme.over_achievement
    )
    text = _quantity_text(direction, t_q, a_q, fraction, weight, score)
    return IndicatorScore(
        indicator,
        _rule_for(direction, scheme),
        text,
        low=score,
        high=score,
        direction=direction,
        ratio=ratio,
        over_achieved=over,
        note=aligned.note,
    )


def _quantity_text(
    direction: Direction,
    t: Quantity,
    a: Quantity,
    fraction: Decimal,
    weight: Decimal,
    score: Decimal,
) -> str:
    shown_t = f"{t.number}{t.magnitude or ''}{t.unit or ''}"
    shown_a = f"{a.number}{a.magnitude or ''}{a.unit or ''}"
    if fraction == ONE:
        return f"{direction.label}指标：实际 {shown_a} 达到目标 {shown_t}，得满分 {score}"
    if direction is Direction.POSITIVE:
        return (
            f"正向指标：实际 {shown_a} 未达目标 {shown_t}，得分 = {weight} × 实际 ÷ 目标 = {score}"
        )
    if direction is Direction.NEGATIVE:
        return f"反向指标：实际 {shown_a} 超过目标 {shown_t}，按反向公式得 {score}"
    return f"等值指标：实际 {shown_a} 偏离目标 {shown_t}，按偏离比例得 {score}"


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
        if direction is Direction.UNKNOWN:
            direction = scheme.direction_for(indicator.level2)
        if direction is Direction.UNKNOWN and aligned.actual == aligned.target:
            direction = Direction.EQUAL
        fraction = _fraction(direction, aligned.target, aligned.actual, scheme)
        if isinstance(fraction, str):
            return _undetermined(indicator, fraction, direction)
        fractions.append(fraction)
    combined = min(fractions) if scheme.compound == "min" else sum(fractions, ZERO) / len(fractions)
    score = scheme.round_score(weight * combined)
    how = "取最低" if scheme.compound == "min" else "取平均"
    shares = "、".join(f"{(f * 100).quantize(Decimal('0.1'))}%" for f in fractions)
    return IndicatorScore(
        indicator,
        Rule.COMPOUND,
        f"复合指标：逐项完成 {shares}，{how}，得 {score} 分",
        low=score,
        high=score,
        direction=target.direction,
    )
