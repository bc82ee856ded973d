"""A self-evaluation table continued on a new page: Word makes it a second table with the
header rows repeated (a "续表" line perhaps between), a spreadsheet a second block under a
"续表" row. The pieces are joined back into one table before it is read."""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.ingest.cells import is_blank, key
from jixiao.ingest.forms.columns import find_row
from jixiao.ingest.raw import Paragraph, RawCell, RawTable

CONTINUED = "此表跨页（续表），已将各页合并为一张表读取"
_HEADER_FIELDS = (
    "项目名称", "项目支出名称", "预算单位名称", "预算部门名称", "主管部门", "年初预算",
)  # fmt: skip
_BETWEEN = ("续表", "续", "（续表）", "(续表)", "续上表")


def is_continuation_row(row: Sequence[str]) -> bool:
    """A row a continued table repeats (its indicator header) or a "续表" line."""
    texts = [key(t) for t in row if not is_blank(t)]
    if not texts:
        return False
    if all(t.strip("()（）") in ("续表", "续上表", "续") for t in texts):
        return True
    return any(t.startswith("一级指标") for t in texts) and any(
        t.startswith(("三级指标", "二级指标")) for t in texts
    )


def continues(table: RawTable, between: Sequence[Paragraph]) -> bool:
    """Whether ``table`` carries on the evaluation just read: indicator rows with no header
    fields or funds block of their own, and nothing but a 续表 line or a page title between."""
    rows = table.texts()
    if find_row(rows, "年度总体目标") is not None:
        return False
    if any(find_row(rows, word) is not None for word in _HEADER_FIELDS):
        return False
    if any(key(p.text) not in _BETWEEN and len(key(p.text)) > 20 for p in between):
        return False
    return find_row(rows, "三级指标") is not None or find_row(rows, "指标") is not None


def join_tables(first: RawTable, second: RawTable) -> RawTable:
    """The rows of both, in order, padded to one width."""
    width = max(first.width, second.width)
    rows = tuple(
        row + tuple(RawCell("") for _ in range(width - len(row)))
        for row in (*first.rows, *second.rows)
    )
    return RawTable(rows, first.source)
