"""The other tables of a report: 基础数据表 (basic data) and allocation tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model.evaluation import Amount, Percent
from jixiao.model.source import SourceRef


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True, slots=True)
class Staffing:
    """财政供养人员情况: 编制数, 实际在职人数, 控制率 (= 在职 / 编制)."""

    authorized: int | None = field(default=None, metadata=_doc("编制数"))
    actual: int | None = field(default=None, metadata=_doc("实际在职人数"))
    control_rate: Percent | None = field(default=None, metadata=_doc("控制率（百分数），按填写"))
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    """A row of 经费控制情况 with last year's 决算, this year's 预算 and 决算.

    ``key`` names the row kind (``three_public``, ``vehicles``, ``vehicle_purchase``,
    ``vehicle_operation``, ``overseas``, ``reception``, ``projects``, ``business``,
    ``operation``, ``special_funds``, ``special_fund``, ``public_funds``, ``office``,
    ``utilities_travel``, ``meetings_training``, ``procurement``, ``basic_adjustment``);
    ``parent`` the key of the row it is part of, so breakdowns can be added up.
    """

    label: str
    key: str | None = None
    parent: str | None = None
    prior_final: Amount | None = field(default=None, metadata=_doc("上年决算数"))
    budget: Amount | None = field(default=None, metadata=_doc("本年预算数"))
    final: Amount | None = field(default=None, metadata=_doc("本年决算数"))
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class BuildingControl:
    """楼堂馆所控制情况: approved vs actual size and investment."""

    approved_area: Decimal | None = field(default=None, metadata=_doc("批复规模（㎡）"))
    actual_area: Decimal | None = field(default=None, metadata=_doc("实际规模（㎡）"))
    area_control_rate: Percent | None = field(default=None, metadata=_doc("规模控制率"))
    budget_investment: Amount | None = field(default=None, metadata=_doc("预算投资（万元）"))
    actual_investment: Amount | None = field(default=None, metadata=_doc("实际投资（万元）"))
    investment_control_rate: Percent | None = field(default=None, metadata=_doc("投资概算控制率"))
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class BasicData:
    """部门（单位）整体支出绩效评价基础数据表."""

    year: int | None = None
    title: str | None = None
    staffing: Staffing = field(default_factory=Staffing)
    expenses: tuple[ExpenseLine, ...] = ()
    buildings: tuple[BuildingControl, ...] = ()
    savings_measures: str | None = field(default=None, metadata=_doc("厉行节约保障措施"))
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class AllocationRow:
    """One row of an allocation table: a region (县市区) with its project count and amount."""

    region: str
    projects: int | None = None
    amount: Amount | None = None
    is_total: bool = False
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class AllocationTable:
    """How a fund was spread (县市区 · 项目数 · 金额), with its 合计 row among the rows."""

    title: str | None = None
    rows: tuple[AllocationRow, ...] = ()
    source: SourceRef | None = None

    @property
    def total(self) -> AllocationRow | None:
        return next((row for row in self.rows if row.is_total), None)

    @property
    def items(self) -> tuple[AllocationRow, ...]:
        return tuple(row for row in self.rows if not row.is_total)
