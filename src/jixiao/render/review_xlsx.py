"""The review opinion as a workbook: one row per finding (filterable), and a summary sheet."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.audit import Finding, Rule
from jixiao.audit.rule import show
from jixiao.render.review import (
    DATE_BLANK,
    OTHER_TABLES,
    READ_ERROR,
    TITLE,
    FileReview,
    Ruling,
    conclusion,
    count,
    day,
    figure_labels,
    file_name,
    place,
    rule_title,
    signature_of,
    signed_by,
    subtitle,
    where,
)

COLUMNS = (
    ("文件", 22),
    ("表", 26),
    ("序号", 6),
    ("规则编号", 9),
    ("规则名称", 26),
    ("严重程度", 9),
    ("指标", 20),
    ("栏目", 14),
    ("位置", 30),
    ("问题说明", 50),
    ("填写值", 12),
    ("复算值或对照值", 14),
    ("修改意见", 40),
)
RULED_COLUMNS = (("审核意见", 12), ("审核说明", 30))  # a table reviewed in the web app
HEADER_ROW = 6  # rows 1–5: title, reviewer blanks, summary


def _value(value: Decimal | str | None) -> Any:
    """Numbers as numbers (a reviewer may sort or sum them), text as text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _named(label: str, usual: str, value: Decimal | str | None) -> Any:
    """A figure under its column; one the rule names otherwise (年度指标值 under 复算值或对照值)
    says what it is, so no one copies a target into an actual."""
    if value is None or label == usual:
        return _value(value)
    return f"{label}：{show(value) if isinstance(value, Decimal) else value}"


def _row(file: FileReview, title: str, number: int, finding: Finding) -> list[Any]:
    actual_label, expected_label = figure_labels(finding.code)
    return [
        file_name(file.path),
        title,
        number,
        finding.code,
        rule_title(finding.code),
        finding.severity.label,
        finding.indicator,
        finding.field_label,
        place(finding),
        finding.message,
        _named(actual_label, Rule.actual_label, finding.actual),
        _named(expected_label, Rule.expected_label, finding.expected),
        finding.advice,
    ]


def _ruling(ruling: Ruling | None) -> list[Any]:
    if ruling is None:
        return ["未处理", None]
    by = signed_by(ruling.by, ruling.at)
    return [ruling.decision.label, "；".join(x for x in (ruling.comment, by) if x) or None]


def write_review_xlsx(files: list[FileReview], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from jixiao.render._sheet import write

    book = Workbook()
    sheet = book.active
    sheet.title = "审核意见"
    signature = signature_of(files)
    columns = COLUMNS + (RULED_COLUMNS if signature is not None else ())
    width = len(columns)
    counts = count(files)
    note = subtitle(signature)
    sheet.cell(1, 1, TITLE + (note or "")).font = Font(size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    signed = signature if signature is not None and signature.signed else None
    sheet.cell(2, 1, f"审核单位：{signed.reviewing_unit or '' if signed else ''}")
    sheet.cell(2, 5, f"审核人：{signed.reviewer or '' if signed else ''}")
    sheet.cell(2, 9, f"审核日期：{day(signed.at) if signed else DATE_BLANK}")
    sheet.cell(3, 1, counts.sentence())
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    thin = Side(style="thin")
    border = Border(thin, thin, thin, thin)
    head_fill = PatternFill("solid", fgColor="DDE4EE")
    group_fill = PatternFill("solid", fgColor="F2F2F2")
    for c, (name, chars) in enumerate(columns, start=1):
        cell = sheet.cell(HEADER_ROW, c, name)
        cell.font, cell.fill, cell.border = Font(bold=True), head_fill, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(c)].width = chars
    row = HEADER_ROW + 1
    wrap = Alignment(vertical="top", wrap_text=True)

    def put(values: list[Any], fill: Any = None) -> None:
        nonlocal row
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row, c)
            write(cell, value)  # the unit's words and figures: never a formula
            cell.alignment, cell.border = wrap, border
            if fill is not None:
                cell.fill = fill
        row += 1

    for file in files:
        for message, source in file.errors:
            location = where(source)
            put(
                [
                    file_name(file.path),
                    OTHER_TABLES,
                    None,
                    None,
                    READ_ERROR,
                    "错误",
                    None,
                    None,
                    location,
                    message,
                    None,
                    None,
                    "请检查文件是否完整、格式是否正确后重新报送",
                ],
                group_fill,
            )
        number = 1
        for group in file.groups:
            for finding, ruling in group.ruled():
                extra = _ruling(ruling) if file.signature is not None else []
                put(_row(file, group.title, number, finding) + extra)
                number += 1
        if not file.findings and not file.errors:
            put(
                [
                    file_name(file.path),
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "经审核，未发现问题。",
                    None,
                    None,
                    None,
                ]
            )
    last = row - 1
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{max(last, HEADER_ROW)}"
    closing = [*conclusion(files, counts)]
    if signature is not None:
        closing += [
            f"审核批注：{n.place or '整表'}：{n.text}（{signed_by(n.by, n.at)}）"
            for n in signature.notes
        ]
    for offset, text in enumerate(closing):
        sheet.cell(last + 2 + offset, 10, text)
    signer = signed.reviewer or "" if signed else ""
    for offset, text in enumerate(
        (
            f"审核人（签字）：{signer}",
            "复核人（签字）：",
            "审核单位（盖章）：",
            day(signed.at) if signed else DATE_BLANK,
        )
    ):
        sheet.cell(last + 3 + len(closing) + offset, 10, text)
    summary = book.create_sheet("汇总")
    heads = ("文件", "错误", "警告", "提示", "合计", "未能读取")
    for c, name in enumerate(heads, start=1):
        cell = summary.cell(1, c, name)
        cell.font, cell.fill, cell.border = Font(bold=True), head_fill, border
        summary.column_dimensions[get_column_letter(c)].width = 40 if c == 1 else 10
    for r, file in enumerate(files, start=2):
        found = file.findings
        by = [sum(1 for f in found if f.severity.value == s) for s in ("error", "warning", "info")]
        values = [file_name(file.path), *by, len(found), "是" if file.errors else "否"]
        for c, value in enumerate(values, start=1):
            write(summary.cell(r, c), value)
            summary.cell(r, c).border = border
    end = len(files) + 2
    summary.cell(end, 1, "合计").font = Font(bold=True)
    for c in range(2, 6):
        letter = get_column_letter(c)
        summary.cell(end, c, f"=SUM({letter}2:{letter}{end - 1})").font = Font(bold=True)
    book.properties.title = TITLE
    book.properties.creator = "jixiao"
    book.save(str(path))
