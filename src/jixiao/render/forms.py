"""The official forms laid out as merged regions: 自评表, 基础数据表, 资金分配表.

The 自评表 follows the 10-column template of 财预〔2020〕10号: 项目资金 merged down the
funds block, 年度总体目标 with 预期目标 / 实际完成情况 across, 绩效指标 down the indicator
block, 一级 / 二级指标 merged over their indicators (一级 with its declared weight), a 总分
row with the 等级. The builders are pure: they only place text.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.model import AllocationTable, BasicData, Evaluation, FundsRow, Indicator
from jixiao.render.docx_base import Region, TableSpec

EVALUATION_WIDTHS = (1.4, 2.0, 2.3, 4.4, 3.0, 3.0, 2.1, 2.1, 2.2, 2.2)
BASIC_WIDTHS = (6.0, 3.0, 3.0, 3.0, 2.7, 2.7, 2.7)
ALLOCATION_WIDTHS = (7.0, 4.0, 5.0)
FUNDS_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
BUILDING_HEADS = (
    "批复规模（㎡）",
    "实际规模（㎡）",
    "规模控制率",
    "预算投资（万元）",
    "实际投资（万元）",
    "投资概算控制率",
)
FOOTER_EXTRA = "联系电话"  # read back from the line under the table, not from the header


def number(value: Decimal | int | None) -> str:
    """A number as written in a form: no exponent, no grouping ("4465.5", "100")."""
    if value is None:
        return ""
    return f"{Decimal(value):f}"


def percent(value: Decimal | None) -> str:
    return "" if value is None else f"{number(value)}%"


def _is_breakdown(row: FundsRow) -> bool:
    """按收入性质分 / 按支出性质分 and their items: a single amount, no budget columns."""
    figures = (row.initial_budget, row.annual_budget, row.executed, row.weight, row.rate)
    return all(v is None for v in (*figures, row.score)) and (
        row.amount is not None or row.group is not None or row.label.startswith("按")
    )


def _breakdown_columns(rows: list[FundsRow]) -> list[list[FundsRow]]:
    """Each 按…分 heading with its items, as one column of the block."""
    columns: list[list[FundsRow]] = []
    for row in rows:
        starts = row.group is None and (row.label.startswith("按") or not columns)
        if starts or (columns and row.group != columns[-1][0].label):
            columns.append([row])
        else:
            columns[-1].append(row)
    return columns


def _funds(evaluation: Evaluation, start: int) -> Iterator[Region]:
    """The funds block from row ``start``: heads, the figure rows, then the breakdown rows."""
    funds = evaluation.funds
    rows = list(funds.rows)
    if not rows and any(
        v is not None for v in (funds.initial_budget, funds.annual_budget, funds.executed)
    ):
        rows = [
            FundsRow(
                "年度资金总额",
                funds.initial_budget,
                funds.annual_budget,
                funds.executed,
                funds.weight,
                funds.rate,
                funds.score,
            )
        ]
    figures = [row for row in rows if not _is_breakdown(row)] or [FundsRow("年度资金总额")]
    columns = _breakdown_columns([row for row in rows if _is_breakdown(row)])
    depth = max((len(column) for column in columns), default=0)
    label = "年度预算申请\n（万元）" if evaluation.kind == "department" else "项目资金\n（万元）"
    yield Region(start, 0, label, rows=1 + len(figures) + depth, cols=2)
    yield Region(start, 2, "", cols=2)
    for k, head in enumerate(FUNDS_HEADS):
        yield Region(start, 4 + k, head, bold=True)
    for r, row in enumerate(figures, start=start + 1):
        yield Region(r, 2, row.label, cols=2, align="left")
        values = (
            number(row.initial_budget),
            number(row.annual_budget),
            number(row.executed),
            number(row.weight),
            percent(row.rate),
            number(row.score),
        )
        for k, text in enumerate(values):
            yield Region(r, 4 + k, text)
    if columns:
        span, first = 8 // len(columns), start + 1 + len(figures)
        for k, column in enumerate(columns):
            cols = span if k < len(columns) - 1 else 8 - span * k
            for i in range(depth):
                text = ""
                if i < len(column):
                    row = column[i]
                    text = f"{row.label}：{number(row.amount)}"
                yield Region(first + i, 2 + span * k, text, cols=cols, align="left")


def _groups(items: tuple[Indicator, ...], key: str) -> Iterator[tuple[int, int, str | None]]:
    """Runs of consecutive indicators with the same ``key`` value: (first, count, value)."""
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or getattr(items[i], key) != getattr(items[start], key):
            yield start, i - start, getattr(items[start], key)
            start = i


def _level1_text(name: str | None, evaluation: Evaluation) -> str:
    if name is None:
        return ""
    weight = evaluation.level1_weights.get(name)
    return name if weight is None else f"{name}\n（{number(weight)}分）"


def _indicators(evaluation: Evaluation, start: int) -> Iterator[Region]:
    """Heads at ``start``, one row per indicator, a row per declared 一级 with none."""
    items = evaluation.indicators
    used = {item.level1 for item in items}
    declared_only = [name for name in evaluation.level1_weights if name not in used]
    height = 1 + len(items) + len(declared_only)
    yield Region(start, 0, "绩效指标", rows=height)
    for k, head in enumerate(INDICATOR_HEADS):
        yield Region(start, 1 + k, head, bold=True)
    yield Region(start, 8, "偏差原因分析及改进措施", cols=2, bold=True)
    first = start + 1
    for i, count, level1 in _groups(items, "level1"):
        yield Region(first + i, 1, _level1_text(level1, evaluation), rows=count)
        run = items[i : i + count]
        for j, n, level2 in _groups(run, "level2"):
            yield Region(first + i + j, 2, level2 or "", rows=n)
    for r, item in enumerate(items, start=first):
        yield Region(r, 3, item.name or "", align="left")
        yield Region(r, 4, item.target or "")
        yield Region(r, 5, item.actual or "")
        yield Region(r, 6, number(item.weight))
        yield Region(r, 7, number(item.score))
        yield Region(r, 8, item.deviation or "", cols=2, align="left")
    for r, name in enumerate(declared_only, start=first + len(items)):
        yield Region(r, 1, _level1_text(name, evaluation))
        for c in (2, 3, 4, 5, 6, 7):
            yield Region(r, c, "")
        yield Region(r, 8, "", cols=2)


def evaluation_form(evaluation: Evaluation) -> TableSpec:
    """The 自评表 of one evaluation (not its sub-directions: each is a form of its own)."""
    regions: list[Region] = []
    label = "预算部门名称" if evaluation.kind == "department" else "项目支出名称"
    regions += [Region(0, 0, label, cols=2), Region(0, 2, evaluation.name or "", cols=8)]
    row = 1
    if evaluation.kind == "project" or evaluation.department or evaluation.implementer:
        regions += [
            Region(row, 0, "主管部门", cols=2),
            Region(row, 2, evaluation.department or "", cols=4),
            Region(row, 6, "实施单位", cols=2),
            Region(row, 8, evaluation.implementer or "", cols=2),
        ]
        row += 1
    extras = [(k, v) for k, v in evaluation.extra.items() if k != FOOTER_EXTRA]
    for k in range(0, len(extras), 2):
        pair = extras[k : k + 2]
        if len(pair) == 1:
            regions += [Region(row, 0, pair[0][0], cols=2), Region(row, 2, pair[0][1], cols=8)]
        else:
            (name1, value1), (name2, value2) = pair
            regions += [Region(row, 0, name1, cols=2), Region(row, 2, value1, cols=4)]
            regions += [Region(row, 6, name2, cols=2), Region(row, 8, value2, cols=2)]
        row += 1
    funds = list(_funds(evaluation, row))
    regions += funds
    row += funds[0].rows
    goals = evaluation.goals
    regions += [
        Region(row, 0, "年度总体目标", rows=2, cols=2),
        Region(row, 2, "预期目标", cols=4, bold=True),
        Region(row, 6, "实际完成情况", cols=4, bold=True),
        Region(row + 1, 2, goals.expected or "", cols=4, align="left"),
        Region(row + 1, 6, goals.actual or "", cols=4, align="left"),
    ]
    row += 2
    indicators = list(_indicators(evaluation, row))
    regions += indicators
    row += indicators[0].rows
    regions += [
        Region(row, 0, "总分", cols=6, bold=True),
        Region(row, 6, number(evaluation.total.weight)),
        Region(row, 7, number(evaluation.total.score)),
        Region(row, 8, f"等级：{evaluation.grade or ''}", cols=2),
    ]
    return TableSpec(EVALUATION_WIDTHS, row + 1, tuple(regions))


def basic_data_form(data: BasicData, year: int | None) -> TableSpec:
    """部门整体支出绩效评价基础数据表; the three figures of a row sit in single cells."""
    y = data.year or year
    last, this = (f"{y - 1}年", f"{y}年") if y else ("上年", "本年")
    staff = data.staffing
    regions = [
        Region(0, 0, "财政供养人员情况（人）", bold=True),
        Region(0, 1, "编制数"),
        Region(0, 2, f"{this}实际在职人数"),
        Region(0, 3, "控制率"),
        Region(0, 4, "", cols=3),
        Region(1, 0, ""),
        Region(1, 1, number(staff.authorized)),
        Region(1, 2, number(staff.actual)),
        Region(1, 3, percent(staff.control_rate)),
        Region(1, 4, "", cols=3),
        Region(2, 0, "经费控制情况（万元）", bold=True),
        Region(2, 1, f"{last}决算数"),
        Region(2, 2, f"{this}预算数"),
        Region(2, 3, f"{this}决算数"),
        Region(2, 4, "", cols=3),
    ]
    row = 3
    for line in data.expenses:
        regions += [
            Region(row, 0, "\u3000" * _depth(line.key, data) + line.label, align="left"),
            Region(row, 1, number(line.prior_final)),
            Region(row, 2, number(line.budget)),
            Region(row, 3, number(line.final)),
            Region(row, 4, "", cols=3),
        ]
        row += 1
    heads = BUILDING_HEADS
    regions.append(Region(row, 0, f"楼堂馆所控制情况\n（{this}完工项目）", bold=True))
    regions += [Region(row, 1 + k, head) for k, head in enumerate(heads)]
    row += 1
    for building in data.buildings or (None,):
        figures = ("",) * 6
        if building is not None:
            figures = (
                number(building.approved_area),
                number(building.actual_area),
                percent(building.area_control_rate),
                number(building.budget_investment),
                number(building.actual_investment),
                percent(building.investment_control_rate),
            )
        regions.append(Region(row, 0, ""))
        regions += [Region(row, 1 + k, text) for k, text in enumerate(figures)]
        row += 1
    regions.append(Region(row, 0, "厉行节约保障措施", bold=True))
    regions.append(Region(row, 1, data.savings_measures or "", cols=6, align="left"))
    return TableSpec(BASIC_WIDTHS, row + 1, tuple(regions))


def _depth(key: str | None, data: BasicData) -> int:
    """How deep a row sits under 三公经费 / 项目支出 / 公用经费 (for indentation only)."""
    parents = {line.key: line.parent for line in data.expenses if line.key}
    depth, seen = 0, set()
    while key is not None and parents.get(key) is not None and key not in seen:
        seen.add(key)
        key, depth = parents[key], depth + 1
    return depth


def allocation_form(table: AllocationTable) -> TableSpec:
    regions = [Region(0, 0, "县市区", bold=True), Region(0, 1, "项目数", bold=True)]
    regions.append(Region(0, 2, "金额（万元）", bold=True))
    for r, item in enumerate(table.rows, start=1):
        regions += [
            Region(r, 0, item.region, bold=item.is_total),
            Region(r, 1, number(item.projects)),
            Region(r, 2, number(item.amount)),
        ]
    return TableSpec(ALLOCATION_WIDTHS, len(table.rows) + 1, tuple(regions))
