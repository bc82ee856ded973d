"""Allocation tables: how a fund was spread over 县市区 (项目数, 金额), with a 合计 row."""

from __future__ import annotations

from jixiao.ingest.cells import amount, clean, is_blank, key
from jixiao.ingest.forms.columns import map_columns
from jixiao.ingest.raw import RawTable
from jixiao.model import AllocationRow, AllocationTable

COLUMNS = (
    ("region", ("县市区", "县（市、区）", "地区", "区域", "单位")),
    ("projects", ("项目数", "项目个数")),
    ("amount", ("金额", "资金")),
)


def _header(table: RawTable) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(table.texts()[:5]):
        columns = map_columns(row, COLUMNS)
        if "region" in columns and "amount" in columns:
            return r, columns
    return None


def looks_like_allocation(table: RawTable) -> bool:
    return _header(table) is not None


def recognise_allocation(table: RawTable, title: str | None) -> AllocationTable:
    found = _header(table)
    assert found is not None
    start, columns = found
    rows: list[AllocationRow] = []
    for r in range(start + 1, len(table.rows)):
        cells = table.rows[r]
        region = clean(cells[columns["region"]].text)
        if is_blank(region):
            continue
        count = amount(cells[columns["projects"]].text) if "projects" in columns else None
        rows.append(
            AllocationRow(
                region=region,
                projects=int(count) if count is not None else None,
                amount=amount(cells[columns["amount"]].text),
                is_total=key(region) in ("合计", "总计", "小计"),
                source=cells[columns["region"]].source,
            )
        )
    return AllocationTable(title=title, rows=tuple(rows), source=table.source)
