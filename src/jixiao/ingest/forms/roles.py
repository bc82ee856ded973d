"""What a header cell names: the funds column or the indicator column it heads."""

from __future__ import annotations

import re

MONEY = re.compile(r"[（(](?:单位[:：])?\s*(万元|元)\s*[)）]|单位[:：]\s*(万元|元)")


def funds_role(k: str) -> str | None:
    """The funds column a header cell names ("调整后预算数" → annual_budget)."""
    if MONEY.search(k) or ("资金" in k and "预算" not in k):
        return None
    k = re.sub(r"[（(][^（）()]{1,8}[)）]$", "", k)  # "全年预算数（A）", "分值（10分）"
    if "执行率" in k:
        return "rate"
    if "年初" in k:
        return "initial_budget"
    if (
        "执行数" in k
        or "实际支出" in k
        or "决算数" in k
        or "执行金额" in k
        or k in ("支出数", "全年执行")
    ):
        return "executed"
    if "全年预算" in k or ("调整" in k and "预算" in k) or k in ("预算数", "年度预算数"):
        return "annual_budget"
    if k in ("分值", "权重", "分数", "权重分"):
        return "weight"
    if k in ("得分", "自评得分"):
        return "score"
    if "原因" in k or k in ("说明", "备注"):
        return "reason"
    return None


# Columns some forms add beside the indicator's own: what it means or how it is scored.
EXPLANATIONS = frozenset(
    ("指标解释", "指标说明", "指标内容", "评分标准", "评价标准", "评分依据", "计分方法", "评分细则")
)


def indicator_role(k: str) -> str | None:
    """The indicator column a header cell names ("度量单位" → unit, "年度指标值" → target)."""
    k = re.sub(r"[（(][A-Za-z0-9八]*[)）]$", "", k)  # "指标值(A)"
    if k.startswith("一级指标") or k == "一级":
        return "level1"
    if k.startswith("二级指标") or k == "二级":
        return "level2"
    if k.startswith("三级指标") or k in ("指标名称", "具体指标", "绩效指标名称"):
        return "name"
    if k in ("指标性质", "指标方向", "性质", "运算符", "符号"):
        return "nature"
    if k in ("度量单位", "计量单位", "单位"):
        return "unit"
    if "原因" in k or "改进措施" in k or k in ("备注", "说明"):
        return "deviation"
    if k in EXPLANATIONS:
        return "explanation"
    if "完成值" in k or "实际值" in k or "实际完成" in k or k in ("完成情况", "实际", "实施进度"):
        return "actual"
    if any(w in k for w in ("指标值", "目标值", "预期值", "计划值")) or k in ("年度目标", "年度"):
        return "target"
    if k in ("分值", "权重", "分数", "指标分值", "参考分值"):
        return "weight"
    if k in ("得分", "自评得分", "评分"):
        return "score"
    return _ANAGRAMS.get("".join(sorted(k))) if len(k) >= 4 else None


# Header words whose characters OCR read out of order (a vertical or wrapped cell read
# column by column: "考值参分" for 参考分值), recognised by the characters they hold.
_ANAGRAMS = {
    "".join(sorted(word)): role
    for word in (
        "参考分值",
        "指标分值",
        "年度指标值",
        "实际完成值",
        "全年实际值",
        "度量单位",
        "指标性质",
    )
    if (role := indicator_role(word)) is not None
}
