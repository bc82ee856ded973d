"""Invariants of the scoring method, checked over generated values (hypothesis)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.config import load_scheme
from jixiao.model import Evaluation, Funds, Indicator
from jixiao.scoring import Scheme, score_evaluation, score_indicator

NATIONAL = load_scheme("national-2020")
SCHEMES = [NATIONAL, dataclasses.replace(NATIONAL, reverse_formula="linear")]

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2)
weights = st.decimals(min_value=Decimal(1), max_value=Decimal(50), places=1)
units = st.sampled_from(["家", "%", "亿元", "万元", "人", "项"])
positive_templates = st.sampled_from(
    ["{n}{u}", "≥{n}{u}", "{n}{u}以上", "不低于{n}{u}", "达{n}{u}"]
)
negative_templates = st.sampled_from(["≤{n}{u}", "{n}{u}以内", "不超过{n}{u}", "控制在{n}{u}以内"])
schemes = st.sampled_from(SCHEMES)
qualitative = st.sampled_from(["已完成", "基本完成", "未完成", "效果明显", "部分完成", "无"])


def indicator(target: str, actual: str, weight: Decimal, score: Decimal | None = None) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2="数量指标",
        name="x",
        target=target,
        actual=actual,
        weight=weight,
        score=score,
    )


@settings(max_examples=300)
@given(amounts, amounts, weights, units, positive_templates | negative_templates, schemes)
def test_score_within_zero_and_weight(
    t: Decimal, a: Decimal, w: Decimal, unit: str, template: str, scheme: object
) -> None:
    result = score_indicator(indicator(template.format(n=t, u=unit), f"{a}{unit}", w), scheme)  # type: ignore[arg-type]
    assert result.determined, result.explanation
    assert result.low is not None and result.high is not None
    assert Decimal(0) <= result.low <= result.high <= w


def scores_low_then_high(
    t: Decimal, a1: Decimal, a2: Decimal, w: Decimal, unit: str, template: str, scheme: Scheme
) -> tuple[Decimal, Decimal]:
    """The method's scores for the smaller and the larger of two actuals."""
    low, high = sorted((a1, a2))
    target = template.format(n=t, u=unit)
    s_low = score_indicator(indicator(target, f"{low}{unit}", w), scheme).score
    s_high = score_indicator(indicator(target, f"{high}{unit}", w), scheme).score
    assert s_low is not None and s_high is not None
    return s_low, s_high


@settings(max_examples=300)
@given(amounts, amounts, amounts, weights, units, positive_templates, schemes)
def test_positive_never_falls_when_actual_rises(
    t: Decimal, a1: Decimal, a2: Decimal, w: Decimal, unit: str, template: str, scheme: Scheme
) -> None:
    s_low, s_high = scores_low_then_high(t, a1, a2, w, unit, template, scheme)
    assert s_high >= s_low


@settings(max_examples=300)
@given(amounts, amounts, amounts, weights, units, negative_templates, schemes)
def test_negative_never_rises_when_actual_rises(
    t: Decimal, a1: Decimal, a2: Decimal, w: Decimal, unit: str, template: str, scheme: Scheme
) -> None:
    s_low, s_high = scores_low_then_high(t, a1, a2, w, unit, template, scheme)
    assert s_high <= s_low


@settings(max_examples=200)
@given(qualitative, weights, st.none() | weights, schemes)
def test_qualitative_score_within_weight(
    actual: str, w: Decimal, reported: Decimal | None, scheme: object
) -> None:
    result = score_indicator(indicator("效果明显", actual, w, reported), scheme)  # type: ignore[arg-type]
    counted = result.counted()
    assert Decimal(0) <= counted <= max(w, reported or Decimal(0))
    if result.determined:
        assert result.low is not None and result.high is not None
        assert result.low <= counted <= result.high <= w


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(amounts, amounts, weights, units, positive_templates | negative_templates),
        min_size=1,
        max_size=12,
    ),
    amounts,
    amounts,
    schemes,
)
def test_total_is_sum_of_parts(
    rows: list[tuple[Decimal, Decimal, Decimal, str, str]],
    budget: Decimal,
    executed: Decimal,
    scheme: object,
) -> None:
    evaluation = Evaluation(
        kind="project",
        funds=Funds(annual_budget=budget, executed=executed, weight=Decimal(10)),
        indicators=tuple(indicator(tpl.format(n=t, u=u), f"{a}{u}", w) for t, a, w, u, tpl in rows),
    )
    result = score_evaluation(evaluation, scheme)  # type: ignore[arg-type]
    assert result.funds.score is not None
    parts = result.funds.score + sum((i.counted() for i in result.indicators), Decimal(0))
    assert result.total == parts
    assert result.total <= Decimal(10) + sum((w for _, _, w, _, _ in rows), Decimal(0))
