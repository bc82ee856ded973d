"""The words of the official forms: header labels, categories and their spellings."""

from __future__ import annotations

import re

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
    "预算部门、单位名称",
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
    ("nature", ("指标性质", "指标方向")),  # a target split over three columns:
    ("unit", ("度量单位", "计量单位")),  # 指标性质 / 指标值 / 度量单位
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


# 一级 / 二级 as other provinces' forms name them (决策 / 过程 / 产出 / 效益 forms, short
# spellings without 指标). Recognition only: what a category counts for is the scheme's business.
LEVEL1_WORDS = frozenset(
    {
        *LEVEL1,
        "产出",
        "效益",
        "满意度",
        "成本",
        "决策",
        "过程",
        "管理",
        "项目决策",
        "项目管理",
        "项目过程",
        "项目产出",
        "项目效益",
        "项目成本",
        "决策指标",
        "过程指标",
        "管理指标",
        "投入",
        "投入指标",
        "服务对象满意度",
    }
)
LEVEL2_WORDS = frozenset(
    {
        *LEVEL2,
        "数量",
        "质量",
        "时效",
        "成本",
        "经济效益",
        "社会效益",
        "生态效益",
        "环境效益",
        "环境效益指标",
        "可持续影响",
        "服务对象满意度",
        "满意度指标",
        "满意度",
        "项目立项",
        "立项",
        "绩效目标",
        "资金投入",
        "资金管理",
        "组织实施",
        "业务管理",
        "财务管理",
        "产出数量",
        "产出质量",
        "产出时效",
        "产出成本",
        "项目成本",
        "成本控制",
        "经济成本",
        "社会成本",
        "生态环境成本",
        "产出指标",
        "效益指标",
    }
)
# Labels that extraction breaks over lines or cells, joined back when the pieces spell one.
# A 三级 cell the template filled and the unit left: "指标2", "指标1：", "……".
PLACEHOLDER = re.compile(r"^(?:指标[0-9一二三四五六七八九十A-Za-z]{0,2}[:：]?|[…\.。·]+)$")

BROKEN_LABELS = (
    *NAME_LABELS,
    "主管部门",
    "实施单位",
    "项目资金",
    "年度预算申请",
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "调整后预算数",
    "预算执行数",
    "预算执行率",
    "年度资金总额",
    "当年财政拨款",
    "其中:当年财政拨款",
    "其中：当年财政拨款",
    "其中:本年财政拨款",
    "其中：本年财政拨款",
    "上年结转资金",
    "年度总体目标",
    "预期目标",
    "实际完成情况",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "偏差原因分析及改进措施",
    "绩效指标",  # the block's label written down the side, a character a cell
    *LEVEL2,
    *LEVEL1,
)
