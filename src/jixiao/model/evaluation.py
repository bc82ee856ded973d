"""The self-evaluation table (项目支出 / 部门整体支出绩效自评表) as immutable typed data.

Text fields hold what the user wrote (whitespace inside a cell normalised by the reader);
amounts are ``Decimal`` in 万元; rates are percent numbers (``99.91`` for "99.91%").
Field names follow the glossary in docs (domain.md §7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from jixiao.model.source import SourceRef

Kind = Literal["project", "department"]
Amount = Decimal  # 万元
Percent = Decimal  # a percent number: 92.58 means 92.58 %
Points = Decimal  # 分值 / 得分


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True, slots=True)
class FundsRow:
    """One row of the funds block: 年度资金总额, 其中：当年财政拨款, 一般公共预算：…"""

    label: str = field(metadata=_doc("行名称，如“年度资金总额”“其中：当年财政拨款”"))
    initial_budget: Amount | None = field(default=None, metadata=_doc("年初预算数（万元）"))
    annual_budget: Amount | None = field(default=None, metadata=_doc("全年预算数（万元）"))
    executed: Amount | None = field(default=None, metadata=_doc("全年执行数（万元）"))
    weight: Points | None = field(default=None, metadata=_doc("分值"))
    rate: Percent | None = field(default=None, metadata=_doc("执行率（百分数，99.91 即 99.91%）"))
    score: Points | None = field(default=None, metadata=_doc("得分"))
    group: str | None = field(
        default=None, metadata=_doc("所属分类，如“按收入性质分”“按支出性质分”（部门整体表）")
    )
    amount: Amount | None = field(
        default=None, metadata=_doc("单值行的金额，如“一般公共预算：1452.61”（万元）")
    )
    source: SourceRef | None = field(default=None, metadata=_doc("来源位置"))


@dataclass(frozen=True, slots=True)
class Funds:
    """The funds block (项目资金 / 年度预算申请); the top-level figures are the 年度资金总额 row."""

    initial_budget: Amount | None = field(default=None, metadata=_doc("年初预算数（万元）"))
    annual_budget: Amount | None = field(default=None, metadata=_doc("全年预算数（万元）"))
    executed: Amount | None = field(default=None, metadata=_doc("全年执行数（万元）"))
    weight: Points | None = field(default=None, metadata=_doc("分值"))
    rate: Percent | None = field(default=None, metadata=_doc("执行率（百分数），按填写"))
    score: Points | None = field(default=None, metadata=_doc("得分，按填写"))
    rows: tuple[FundsRow, ...] = field(default=(), metadata=_doc("资金块的每一行"))
    source: SourceRef | None = field(default=None, metadata=_doc("来源位置"))


@dataclass(frozen=True, slots=True)
class Goals:
    """年度总体目标: the goal set at budget time and what was achieved."""

    expected: str | None = field(default=None, metadata=_doc("预期目标"))
    actual: str | None = field(default=None, metadata=_doc("实际完成情况"))


@dataclass(frozen=True, slots=True)
class Indicator:
    """A 三级指标 row with its 一级 / 二级 categories carried down."""

    level1: str | None = field(default=None, metadata=_doc("一级指标，如“产出指标”"))
    level2: str | None = field(default=None, metadata=_doc("二级指标，如“数量指标”"))
    name: str | None = field(default=None, metadata=_doc("三级指标名称"))
    target: str | None = field(default=None, metadata=_doc("年度指标值，按填写"))
    actual: str | None = field(default=None, metadata=_doc("实际完成值，按填写"))
    weight: Points | None = field(default=None, metadata=_doc("分值"))
    score: Points | None = field(default=None, metadata=_doc("得分"))
    deviation: str | None = field(default=None, metadata=_doc("偏差原因分析及改进措施"))
    source: SourceRef | None = field(default=None, metadata=_doc("来源位置"))


@dataclass(frozen=True, slots=True)
class Total:
    """The 总分 row as written."""

    weight: Points | None = field(default=None, metadata=_doc("总分值"))
    score: Points | None = field(default=None, metadata=_doc("总得分"))
    source: SourceRef | None = field(default=None, metadata=_doc("来源位置（总分 / 合计行）"))


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One self-evaluation table; sub-direction tables (支出方向) are its ``children``."""

    kind: Kind = field(metadata=_doc("project（项目支出）或 department（部门整体支出）"))
    title: str | None = field(default=None, metadata=_doc("表标题，按填写"))
    name: str | None = field(default=None, metadata=_doc("项目支出名称 / 预算部门名称"))
    department: str | None = field(default=None, metadata=_doc("主管部门"))
    implementer: str | None = field(default=None, metadata=_doc("实施单位"))
    year: int | None = field(default=None, metadata=_doc("年度"))
    scheme: str | None = field(default=None, metadata=_doc("评分方案名称，如 national-2020"))
    funds: Funds = field(default_factory=Funds, metadata=_doc("项目资金（万元）"))
    goals: Goals = field(default_factory=Goals, metadata=_doc("年度总体目标"))
    level1_weights: Mapping[str, Points | None] = field(
        default_factory=dict, metadata=_doc("表中声明的一级指标分值，如“产出指标 (50分)”")
    )
    indicators: tuple[Indicator, ...] = field(default=(), metadata=_doc("三级指标"))
    total: Total = field(default_factory=Total, metadata=_doc("总分行"))
    grade: str | None = field(default=None, metadata=_doc("等级，按填写"))
    filled_by: str | None = field(default=None, metadata=_doc("填表人"))
    filled_on: str | None = field(default=None, metadata=_doc("填报日期，按填写"))
    extra: Mapping[str, str] = field(
        default_factory=dict, metadata=_doc("表头中的其他栏目，如“专项名称”“项目总投资（万元）”")
    )
    children: tuple[Evaluation, ...] = field(default=(), metadata=_doc("支出方向（子项目）自评表"))
    confidence: Decimal | None = field(
        default=None,
        metadata=_doc(
            "识别可信度（0–1）：表格结构完整读取为 1；"
            "从失去表格结构的文字重建、数值关系对不上时更低；"
            "手工填写的文件为 null"
        ),
    )
    read_notes: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            "读取说明：读取时重建、换算或修正了什么（如“资金栏金额单位为元，已换算为万元”）"
        ),
    )
    source: SourceRef | None = field(default=None, metadata=_doc("来源位置"))

    def walk(self) -> tuple[Evaluation, ...]:
        """This evaluation followed by all its descendants, in document order."""
        out: list[Evaluation] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)
