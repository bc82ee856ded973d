"""What every rendering of a self-evaluation table shares: titles, labels, funds rows, names.

The official forms (财预〔2020〕10号 附件) fix the words; this module says them once so the
Excel, Markdown (and Word) renderings print the same table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model import Evaluation, FundsRow

FUNDS_HEADS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
DEVIATION_HEAD = "偏差原因分析及改进措施"
FOOTER_LABELS = ("填表人", "填报日期", "联系电话")


def kind_word(evaluation: Evaluation) -> str:
    return "项目支出" if evaluation.kind == "project" else "部门整体支出"


def title_of(evaluation: Evaluation) -> str:
    """The title as written, else the official one for the kind and year."""
    if evaluation.title:
        return evaluation.title
    year = f"{evaluation.year}年度" if evaluation.year else ""
    return f"{year}{kind_word(evaluation)}绩效自评表"


def name_label(evaluation: Evaluation) -> str:
    return "项目支出名称" if evaluation.kind == "project" else "部门（单位）名称"


def funds_label(evaluation: Evaluation) -> str:
    return "项目资金（万元）" if evaluation.kind == "project" else "年度预算申请（万元）"


def header_fields(evaluation: Evaluation) -> list[tuple[str, str | None]]:
    """(label, value) of the header rows after the name: 主管部门 / 实施单位 always on a
    project table, on a department table only when written; then the other header cells."""
    out: list[tuple[str, str | None]] = []
    if evaluation.kind == "project" or evaluation.department or evaluation.implementer:
        out += [("主管部门", evaluation.department), ("实施单位", evaluation.implementer)]
    out += [(k, v) for k, v in evaluation.extra.items() if k not in FOOTER_LABELS]
    return out


def footer_fields(evaluation: Evaluation) -> list[tuple[str, str | None]]:
    return [
        ("填表人", evaluation.filled_by),
        ("填报日期", evaluation.filled_on),
        ("联系电话", evaluation.extra.get("联系电话")),
    ]


def plain(value: Decimal | None) -> str:
    """A number as a person writes it: 4465.5, 10, 0 (no exponent, no trailing zeros)."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def is_breakdown(row: FundsRow) -> bool:
    """A 按收入性质分 / 按支出性质分 heading or item (one "label：amount" cell on the form)."""
    figures = (row.initial_budget, row.annual_budget, row.executed, row.weight, row.rate, row.score)
    if row.amount is not None or row.group is not None:
        return True
    return row.label.startswith("按") and all(v is None for v in figures)


@dataclass
class Bucket:
    """One column of breakdown cells: its heading (按…分) and items, top to bottom."""

    heading: str | None
    rows: list[FundsRow] = field(default_factory=list)


@dataclass
class FundsLayout:
    regular: list[FundsRow]
    total_index: int | None  # which regular row is the 年度资金总额 row
    buckets: list[Bucket]


def funds_layout(evaluation: Evaluation) -> FundsLayout:
    """Regular rows in order, the total row among them, and the breakdown columns."""
    funds = evaluation.funds
    rows = list(funds.rows)
    if not rows and any(
        v is not None for v in (funds.initial_budget, funds.annual_budget, funds.executed)
    ):
        rows = [FundsRow(label="年度资金总额")]
    regular = [row for row in rows if not is_breakdown(row)]
    buckets: list[Bucket] = []
    for row in (row for row in rows if is_breakdown(row)):
        if row.group is None and row.label.startswith("按"):
            buckets.append(Bucket(row.label, [row]))
            continue
        bucket = next((b for b in buckets if b.heading == row.group), None)
        if bucket is None:
            bucket = Bucket(row.group)
            buckets.append(bucket)
        bucket.rows.append(row)
    total = next((i for i, row in enumerate(regular) if "总额" in row.label), None)
    if total is None and regular:
        total = 0
    return FundsLayout(regular, total, buckets)


def total_row(evaluation: Evaluation, row: FundsRow) -> FundsRow:
    """The 年度资金总额 row with the top-level figures (those the scorer uses) filled in."""
    funds = evaluation.funds

    def pick(top: Decimal | None, own: Decimal | None) -> Decimal | None:
        return top if top is not None else own

    return FundsRow(
        label=row.label,
        initial_budget=pick(funds.initial_budget, row.initial_budget),
        annual_budget=pick(funds.annual_budget, row.annual_budget),
        executed=pick(funds.executed, row.executed),
        weight=pick(funds.weight, row.weight),
        rate=pick(funds.rate, row.rate),
        score=pick(funds.score, row.score),
    )


def breakdown_text(row: FundsRow) -> str:
    return f"{row.label}：{plain(row.amount)}"


def level_groups(evaluation: Evaluation) -> list[tuple[int, int]]:
    """[first, last] indicator positions of each run of the same 一级指标."""
    out: list[tuple[int, int]] = []
    items = evaluation.indicators
    for i, item in enumerate(items):
        if out and i > 0 and items[i - 1].level1 == item.level1 and item.level1 is not None:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def level1_text(evaluation: Evaluation, level1: str | None) -> str:
    """ "产出指标（50分）" when the table declares the weight."""
    if not level1:
        return ""
    weight = evaluation.level1_weights.get(level1)
    return f"{level1}（{plain(weight)}分）" if weight is not None else level1


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(labels: Iterable[str]) -> list[str]:
    """Excel sheet names: no []:*?/\\, at most 31 characters, unique (…2, …3 appended)."""
    out: list[str] = []
    for label in labels:
        base = _BAD_SHEET_CHARS.sub("_", label).strip("' ") or "表"
        name, n = base[:31], 1
        while name.lower() in (x.lower() for x in out):
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        out.append(name)
    return out


def evaluation_label(evaluation: Evaluation, number: str, parent: Evaluation | None) -> str:
    """A short sheet label: "1 株洲市2022年度科技发展专项", a child "1.2 科技创新后补助支持"."""
    name = evaluation.name or title_of(evaluation)
    if parent is not None and parent.name and name.startswith(parent.name) and name != parent.name:
        name = name[len(parent.name) :].strip("（）() -—")
    return f"{number} {name}"
