"""The scoring engine: each rule on hand-worked numbers, and the options a scheme sets."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from jixiao.model import Evaluation, Funds, Indicator
from jixiao.scoring import Rule, Scheme, score_evaluation, score_funds, score_indicator
from jixiao.values import Direction, Tier

D = Decimal


def ind(
    target: str, actual: str, weight: str = "10", score: str | None = None, level2: str = "数量指标"
) -> Indicator:
    return Indicator(
        level1="产出指标",
        level2=level2,
        name="测试指标",
        target=target,
        actual=actual,
        weight=D(weight),
        score=D(score) if score else None,
    )


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected", "rule"),
    [
        ("8家", "20家", "5", "5.00", Rule.POSITIVE),  # over target: full
        ("3.20%", "3.04%", "5", "4.75", Rule.POSITIVE),  # 3.04 / 3.20 × 5
        (
            "争取实现全社会研发投入占GDP比重达2.35%",
            "实现全社会研发投入占GDP比重达2.19%",
            "10",
            "9.32",
            Rule.POSITIVE,
        ),  # seed 004: 2.19 / 2.35 × 10 = 9.319…
        ("8%", "6%", "5", "3.75", Rule.POSITIVE),
        ("260亿", "308.6亿", "5", "5.00", Rule.POSITIVE),
        ("50万", "60万", "10", "10.00", Rule.POSITIVE),
        ("≥95%", "99", "10", "10.00", Rule.POSITIVE),  # unit dropped: read as 99 %
        ("57亿元", "118.8", "5", "5.00", Rule.POSITIVE),
        ("≤90万元", "100万元", "10", "9.00", Rule.NEGATIVE_RATIO),  # 90 / 100 × 10
        ("≤90万元", "80万元", "10", "10.00", Rule.NEGATIVE_RATIO),
        ("12月", "12月", "5", "5.00", Rule.TIME),
        ("2024.12.31前", "2024.12.31前", "10", "10.00", Rule.TIME),
        ("12个月", "12个月", "10", "10.00", Rule.TIME),
        ("省级平台2个以上，市级平台25个以上", "省级15个；市级40个", "10", "10.00", Rule.COMPOUND),
        ("省级平台2个以上，市级平台25个以上", "省级1个；市级25个", "10", "7.50", Rule.COMPOUND),
        ("每家奖励10万元", "每家奖励10万元", "10", "10.00", Rule.POSITIVE),
    ],
)
def test_point_scores(
    national: Scheme, target: str, actual: str, weight: str, expected: str, rule: Rule
) -> None:
    result = score_indicator(ind(target, actual, weight), national)
    assert result.rule is rule, result.explanation
    assert result.score == D(expected), result.explanation
    assert result.explanation


def test_reverse_linear_option(national: Scheme) -> None:
    linear = dataclasses.replace(national, reverse_formula="linear")
    # 1 − (120 − 100) / 100 = 0.8 of the weight; at twice the target it falls to 0.
    assert score_indicator(ind("≤100万元", "120万元"), linear).score == D("8.00")
    assert score_indicator(ind("≤100万元", "200万元"), linear).score == D("0.00")
    assert score_indicator(ind("≤100万元", "120万元"), national).score == D("8.33")


def test_qualitative_tiers_are_ranges(national: Scheme) -> None:
    result = score_indicator(ind("效果明显", "已完成", score="9"), national)
    assert (result.rule, result.tier) == (Rule.QUALITATIVE, Tier.ACHIEVED)
    assert (result.low, result.high) == (D("8.00"), D("10.00"))
    assert result.expected() == D(9)  # a reported score inside the tier is kept
    partial = score_indicator(ind("效果明显", "基本完成", score="10"), national)
    assert (partial.low, partial.high) == (D("6.00"), D("8.00"))
    assert partial.expected() == D("8.00")  # held to the top of its tier
    missed = score_indicator(ind("效果明显", "未完成"), national)
    assert (missed.low, missed.high) == (D("0.00"), D("6.00"))


def test_custom_qualitative_tiers(national: Scheme) -> None:
    strict = dataclasses.replace(
        national,
        qualitative={
            Tier.ACHIEVED: (D("0.9"), D(1)),
            Tier.PARTIAL: (D("0.5"), D("0.9")),
            Tier.NOT_ACHIEVED: (D(0), D("0.5")),
        },
    )
    assert score_indicator(ind("效果明显", "已完成"), strict).low == D("9.00")


def test_late_deadline_is_not_achieved(national: Scheme) -> None:
    result = score_indicator(ind("10月", "12月", level2="时效指标"), national)
    assert (result.rule, result.tier, result.high) == (Rule.TIME, Tier.NOT_ACHIEVED, D("6.00"))


def test_direction_unknown_is_said_not_guessed(national: Scheme) -> None:
    # A bare number under 成本指标: the scheme leaves its direction undecided.
    result = score_indicator(ind("183.31", "257.08", "20", "18", level2="经济成本指标"), national)
    assert result.rule is Rule.UNDETERMINED and not result.determined
    assert "方向" in result.explanation
    assert result.counted() == D(18)  # the total keeps the reported score
    # On target exactly, the direction does not matter.
    same = score_indicator(ind("100万元", "100万元", level2="成本指标"), national)
    assert same.score == D("10.00")


def test_configured_direction_decides(national: Scheme) -> None:
    negative_cost = dataclasses.replace(
        national, level2_directions={"经济成本指标": Direction.NEGATIVE}
    )
    result = score_indicator(ind("183.31", "257.08", "20", level2="经济成本指标"), negative_cost)
    assert result.rule is Rule.NEGATIVE_RATIO
    assert result.score == D("14.26")  # 183.31 / 257.08 × 20


@pytest.mark.parametrize(
    ("target", "actual", "why"),
    [
        ("", "5家", "年度指标值为空"),
        ("5家", "", "实际完成值为空"),
        ("5家", "5个百分点", "单位"),
        ("效果明显", "无", "未说明"),
    ],
)
def test_undetermined_reasons(national: Scheme, target: str, actual: str, why: str) -> None:
    result = score_indicator(ind(target, actual), national)
    assert result.rule is Rule.UNDETERMINED
    assert why in result.explanation


def test_over_achievement_flag_follows_threshold(national: Scheme) -> None:
    assert score_indicator(ind("100家", "451家"), national).over_achieved
    assert not score_indicator(ind("100家", "109家"), national).over_achieved
    loose = dataclasses.replace(national, over_achievement=D(5))
    assert not score_indicator(ind("100家", "451家"), loose).over_achieved


def test_execution_score_linear(national: Scheme) -> None:
    funds = Funds(annual_budget=D("1863.29"), executed=D("1725.06"), weight=D(10))
    result = score_funds(funds, national)
    assert (result.rate, result.score) == (D("92.58"), D("9.26"))  # seed 004
    over = score_funds(Funds(annual_budget=D(80), executed=D(90), weight=D(10)), national)
    assert over.score == D("10.00")  # capped at the weight


def test_execution_score_steps(national: Scheme) -> None:
    rule = dataclasses.replace(
        national.execution, formula="steps", steps=((D(100), D(1)), (D(90), D("0.8")), (D(0), D(0)))
    )
    steps = dataclasses.replace(national, execution=rule)
    funds = Funds(annual_budget=D("1863.29"), executed=D("1725.06"), weight=D(10))
    assert score_funds(funds, steps).score == D("8.00")


def test_execution_without_budget(national: Scheme) -> None:
    result = score_funds(Funds(executed=D(5)), national)
    assert result.rate is None and "无法计算" in result.explanation


def test_total_and_grade(national: Scheme) -> None:
    evaluation = Evaluation(
        kind="project",
        funds=Funds(annual_budget=D(100), executed=D(90), weight=D(10)),
        indicators=(ind("100家", "100家", "50", "50"), ind("10家", "5家", "40", "40")),
    )
    result = score_evaluation(evaluation, national)
    assert result.funds.score == D("9.00")
    assert result.total == D("79.00")  # 9 + 50 + 20
    assert result.grade == "中"
    bands = dataclasses.replace(national, grades=national.grades[:1])
    assert score_evaluation(evaluation, bands).grade is None


def test_a_form_without_points_gets_no_grade(national: Scheme) -> None:
    """Transfer-payment forms have no 分值 or 得分 anywhere: no grade is recomputed for them
    (a 差 would be a verdict on nothing); a scored form of the same figures is graded."""
    unscored = Evaluation(
        kind="project",
        funds=Funds(annual_budget=D(4000), executed=D(4000)),
        indicators=tuple(
            dataclasses.replace(ind(t, a), weight=None)
            for t, a in (("100家", "100家"), ("≥90%", "95%"))
        ),
    )
    assert score_evaluation(unscored, national).grade is None
    scored = dataclasses.replace(
        unscored, indicators=(ind("100家", "100家", "45", "45"), ind("≥90%", "95%", "45", "45"))
    )
    assert score_evaluation(scored, national).grade == "优"
