"""The names people read for the model's field paths: "funds.rate" → "资金：执行率",
"indicators[3].score" → "第4个指标：得分". Internal names never reach a page or a document."""

from __future__ import annotations

import re

FIELD_LABELS = {
    "name": "名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "title": "表名",
    "year": "年度",
    "funds": "资金",
    "rows": "资金行",
    "groups": "资金分类",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "balance": "结余",
    "rate": "执行率",
    "weight": "分值",
    "weights": "分值",
    "score": "得分",
    "amount": "金额",
    "goals": "年度总体目标",
    "expected": "预期目标",
    "actual": "实际完成值",
    "level1_weights": "一级指标分值",
    "indicators": "指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "target": "年度指标值",
    "deviation": "偏差原因分析及改进措施",
    "unit": "单位",
    "total": "总分",
    "grade": "等级",
    "evaluations": "自评表",
    "basic_data": "基础数据表",
    "expenses": "支出",
    "budget": "预算数",
    "final": "决算数",
    "prior_final": "上年决算数",
    "staffing": "人员",
    "control_rate": "控制率",
    "buildings": "楼堂馆所",
    "area_control_rate": "规模控制率",
    "investment_control_rate": "投资概算控制率",
    "allocation": "资金分配表",
    "projects": "项目数",
    "change": "增减",
    "state": "状态",
}
_PART = re.compile(r"^(?P<name>[^\[]*)(?:\[(?P<index>\d+)\])?$")


def _part(part: str) -> str | None:
    found = _PART.match(part)
    if found is None:
        return None
    name, index = found["name"], found["index"]
    label = FIELD_LABELS.get(name)
    if label is None:
        # a label the table itself wrote (产出指标) stays; an unknown code name is left out
        label = name if name and not name.isascii() else None
    if index is not None and label is not None:
        return f"第{int(index) + 1}个{label}"
    return label


def field_label(path: str | None) -> str:
    """A field path as people say it; several paths (``name,department``) joined by 、."""
    if not path:
        return ""
    spoken = []
    for one in path.split(","):
        parts = [p for p in (_part(x) for x in one.strip().split(".")) if p]
        if parts:
            spoken.append("：".join(parts))
    return "、".join(spoken)
