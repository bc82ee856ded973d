"""Which qualitative tier a written actual claims: 达成, 部分达成 or 未达成."""

from __future__ import annotations

from functools import lru_cache

from jixiao.values.parse import normalise
from jixiao.values.types import Tier

# Checked in this order: a negation must win over the word it negates (未完成 ⊃ 完成).
NOT_ACHIEVED = (
    "未完成",
    "未达到",
    "未达成",
    "未实现",
    "没有完成",
    "没有达到",
    "未能",
    "尚未",
    "未按时",
    "未按期",
    "滞后",
    "无法完成",
    "不满意",
    "未开展",
    "未启动",
    "未落实",
    "未到位",
)
PARTIAL = (
    "基本完成",
    "基本达到",
    "基本达成",
    "基本实现",
    "部分完成",
    "部分达到",
    "部分实现",
    "大部分",
    "有所",
    "基本满意",
    "基本到位",
    "基本落实",
    "初步",
)
ACHIEVED = (
    "已完成",
    "完成",
    "达到",
    "达成",
    "实现",
    "符合",
    "按时",
    "按期",
    "及时",
    "明显",
    "显著",
    "良好",
    "有效",
    "提升",
    "提高",
    "增强",
    "保障",
    "营造",
    "推动",
    "促进",
    "不破坏",
    "开展",
    "举办",
    "建成",
    "落实",
    "到位",
    "拨付",
    "满意",
    "无重大",
    "未发生",
    "零发生",
    "支撑",
)


@lru_cache(maxsize=1 << 14)
def assess(actual: str, target: str | None = None) -> tuple[Tier | None, str]:
    """The tier the actual text claims, and why; ``None`` when the text does not say."""
    text = normalise(actual)
    if target is not None and text == normalise(target):
        return Tier.ACHIEVED, "实际完成情况与目标表述一致"
    for words, tier in ((NOT_ACHIEVED, Tier.NOT_ACHIEVED), (PARTIAL, Tier.PARTIAL)):
        word = next((w for w in words if w in text), None)
        if word is not None:
            return tier, f"实际完成情况写有“{word}”"
    word = next((w for w in ACHIEVED if w in text), None)
    if word is not None:
        return Tier.ACHIEVED, f"实际完成情况写有“{word}”"
    return None, "实际完成情况未说明是否达成目标"
