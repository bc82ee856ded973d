"""Whose report a file is: the units its tables name (主管部门, 实施单位, a department table's
own 预算部门名称), so that a unit's clerk cannot file another unit's report under its own
name, and a report filed without a unit goes to the unit it names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from jixiao.model import Evaluation

_SPACE = re.compile(r"\s+")
_BRACKETS = str.maketrans("()", "（）")


def same_unit(first: str, second: str) -> bool:
    """Two written names of a unit are the same one (spaces and the width of brackets aside)."""
    return _plain(first) == _plain(second)


def _plain(name: str) -> str:
    return _SPACE.sub("", name).translate(_BRACKETS)


def units_named(evaluation: Evaluation) -> list[str]:
    """The units one table names: a department table its own name (预算部门名称), then
    主管部门 and 实施单位; none when it names none."""
    names = [evaluation.name] if evaluation.kind == "department" else []
    names += [evaluation.department, evaluation.implementer]
    return [name for name in dict.fromkeys(names) if name and name.strip()]


def report_unit(evaluations: Iterable[Evaluation]) -> str | None:
    """The unit a report belongs to: of the first table that names one, its 主管部门, else
    (a department table) its own name, else its 实施单位; None when no table names one."""
    for evaluation in evaluations:
        named = [evaluation.department]
        named += [evaluation.name if evaluation.kind == "department" else None]
        named += [evaluation.implementer]
        found = next((name for name in named if name and name.strip()), None)
        if found is not None:
            return found
    return None


def foreign_table(evaluations: Sequence[Evaluation], unit: str) -> tuple[int, list[str]] | None:
    """The first table (1-based, document order) that names units none of which is
    ``unit``, with the units it names; None when every table is the unit's or names none."""
    tables = [table for top in evaluations for table in top.walk()]
    for number, table in enumerate(tables, start=1):
        named = units_named(table)
        if named and not any(same_unit(name, unit) for name in named):
            return number, named
    return None


def ownership_refusal(name: str, evaluations: Sequence[Evaluation], unit: str) -> str | None:
    """Why a clerk of ``unit`` may not file the report ``name``: it names another unit
    (Chinese, naming the file, the table and the unit); None when it may."""
    found = foreign_table(evaluations, unit)
    if found is None:
        return None
    number, named = found
    table = [t for top in evaluations for t in top.walk()][number - 1]
    title = f"“{table.name}”" if table.name else ""
    units = "、".join(f"“{n}”" for n in named)
    return (
        f"{name}: 报告第{number}张自评表{title}所填单位为{units}，不是本单位“{unit}”，未导入；"
        "只能上传本单位的报告，如确属本单位，请联系审核人员代为导入"
    )
