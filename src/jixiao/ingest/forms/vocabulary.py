"""The words of the official forms: header labels, categories and their spellings."""

from __future__ import annotations

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2 = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
)
LEVEL2_ONLY = frozenset(LEVEL2) - frozenset(LEVEL1)

NAME_LABELS = (
    "项目支出名称",
    "项目支出名",
    "项目名称",
    "市级预算单位名称",
    "市级预算部门名称",
    "预算部门名称",
    "预算单位名称",
    "部门（单位）名称",
    "部门名称",
    "单位名称",
)

# Header spellings, checked in order (the first field whose word the header contains wins).
FUNDS_COLUMNS = (
    ("initial_budget", ("年初预算",)),
    ("annual_budget", ("全年预算", "调整后预算")),
    ("executed", ("全年执行", "执行数", "实际支出")),
    ("rate", ("执行率",)),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
)
INDICATOR_COLUMNS = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标", "指标名称")),
    ("target", ("年度指标值", "指标值", "目标值", "预期值", "年度目标")),
    ("actual", ("实际完成值", "完成值", "实际值", "完成情况")),
    ("weight", ("分值", "权重")),
    ("score", ("得分",)),
    ("deviation", ("偏差原因", "原因分析", "改进措施", "备注")),
)


def is_level1(word: str) -> bool:
    return word in LEVEL1


def is_level2(word: str) -> bool:
    return word in LEVEL2
