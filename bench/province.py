"""A synthetic province: evaluations with realistic value strings, for the benchmarks.

Targets are the round numbers people set (8家, ≥95%, 260亿, 12月, 效果明显); actuals land
near them, sometimes short, sometimes far over; a few drop the unit or are compound, as in
the seed reports. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from decimal import Decimal

from jixiao.model import Evaluation, Funds, Indicator

ROUND = [
    1,
    2,
    3,
    5,
    8,
    10,
    12,
    15,
    20,
    25,
    30,
    40,
    50,
    60,
    80,
    100,
    120,
    150,
    200,
    300,
    400,
    500,
    1000,
    1100,
    3000,
    19000,
]
COUNT_UNITS = ["家", "个", "项", "名", "人", "件", "次", "场"]
QUALITATIVE = [
    ("效果明显", "已完成"),
    ("营造良好氛围", "营造了良好氛围"),
    ("达成预期指标", "达成预期指标"),
    ("有效提升服务水平", "基本完成"),
    ("科技活动不破坏生态环境", "科技活动不破坏生态环境"),
    ("控制在预算金额内", "控制在预算金额内"),
    ("推动产业发展", "未完成"),
]
LEVELS = [
    ("产出指标", "数量指标"),
    ("产出指标", "质量指标"),
    ("产出指标", "时效指标"),
    ("产出指标", "成本指标"),
    ("效益指标", "经济效益指标"),
    ("效益指标", "社会效益指标"),
    ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
]


def _actual_number(rng: random.Random, target: float) -> str:
    factor = rng.choice(
        [1, 1, 1, rng.uniform(0.6, 1.0), rng.uniform(1.0, 1.5), rng.uniform(1.5, 4)]
    )
    value = target * factor
    return f"{value:.0f}" if target >= 50 else f"{value:.2f}".rstrip("0").rstrip(".")


def value_pair(rng: random.Random, level2: str) -> tuple[str, str]:
    """One (target, actual) pair in the way real reports write them."""
    roll = rng.random()
    if level2 == "时效指标":
        month = rng.choice([6, 10, 11, 12, 12, 12])
        return rng.choice(
            [
                (f"{month}月", f"{month}月"),
                ("2024.12.31前", "2024.12.31前"),
                ("12个月", "12个月"),
                (f"{month}月", f"{min(12, month + 1)}月"),
            ]
        )
    if level2 == "服务对象满意度指标":
        target = rng.choice([85, 90, 95])
        actual = rng.choice([90, 95, 96, 98, 99, 100])
        return rng.choice(
            [
                (f"≥{target}%", f"{actual}%"),
                (f"{target}%", f"{actual}%"),
                (f"满意度达{target}%", f"满意度达{actual}%"),
                (f"≥{target}%", str(actual)),
            ]
        )
    if roll < 0.15:
        return rng.choice(QUALITATIVE)
    if roll < 0.20:
        a, b = rng.choice(ROUND[:8]), rng.choice(ROUND[5:15])
        return (
            f"省级平台{a}个以上，市级平台{b}个以上",
            f"省级{_actual_number(rng, a)}个；市级{_actual_number(rng, b)}个",
        )
    target = rng.choice(ROUND)
    if level2 == "成本指标" or roll < 0.30:
        unit = rng.choice(["万元", "亿元", "亿"])
        template = rng.choice(["≤{}", "{}以内", "控制在{}以内", "{}"])
        return template.format(f"{target}{unit}"), f"{_actual_number(rng, target)}{unit}"
    if roll < 0.50:
        pct = rng.choice([2, 3.2, 5, 6, 8, 15, 25, 90, 95, 100])
        template = rng.choice(["{}%", "≥{}%", "{}%以上", "不低于{}%"])
        return template.format(pct), f"{_actual_number(rng, pct)}%"
    unit = rng.choice(COUNT_UNITS)
    template = rng.choice(["{}", "{}", "≥{}", "{}以上", "不少于{}"])
    actual = _actual_number(rng, target)
    return template.format(f"{target}{unit}"), actual if rng.random() < 0.05 else f"{actual}{unit}"


def province(evaluations: int, indicators: int, seed: int = 2024) -> list[Evaluation]:
    """``evaluations`` tables holding ``indicators`` indicators in all."""
    rng = random.Random(seed)
    per, extra = divmod(indicators, evaluations)
    out: list[Evaluation] = []
    for number in range(evaluations):
        count = per + (1 if number < extra else 0)
        rows = []
        for i in range(count):
            level1, level2 = LEVELS[i % len(LEVELS)] if i >= len(LEVELS) else LEVELS[i]
            target, actual = value_pair(rng, level2)
            weight = Decimal(rng.choice([5, 5, 10, 10, 10, 20]))
            rows.append(
                Indicator(
                    level1=level1,
                    level2=level2,
                    name=f"指标{i}",
                    target=target,
                    actual=actual,
                    weight=weight,
                    score=weight,
                )
            )
        budget = Decimal(rng.randint(10, 50000)) / 10
        executed = (budget * Decimal(rng.uniform(0.6, 1.0))).quantize(Decimal("0.01"))
        out.append(
            Evaluation(
                kind=rng.choice(["project", "department"]),
                name=f"单位{number}",
                funds=Funds(annual_budget=budget, executed=executed, weight=Decimal(10)),
                indicators=tuple(rows),
            )
        )
    return out
