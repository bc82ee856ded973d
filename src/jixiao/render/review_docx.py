"""The review opinion as a Word letter: header to sign, summary, findings by file and table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.audit import Finding
from jixiao.render import docx_base as base
from jixiao.render.docx_base import Region, TableSpec
from jixiao.render.fonts import FontPlan
from jixiao.render.outline import chinese_number
from jixiao.render.review import (
    DATE_BLANK,
    READ_ERROR,
    SIGN_LINE,
    TITLE,
    Counts,
    FileReview,
    Note,
    Ruling,
    Signature,
    TableGroup,
    conclusion,
    count,
    day,
    file_name,
    numbers,
    place,
    rule_title,
    signature_of,
    signed_by,
    subtitle,
    where,
)

SUMMARY_WIDTHS = (7.2, 2.1, 2.1, 2.1, 2.1)
FINDING_WIDTHS = (1.0, 3.4, 3.2, 4.6, 3.4)
FINDING_HEADS = ("序号", "问题类别", "位置", "问题及数值", "修改意见")
# a table reviewed in the web app: the reviewer's decision on each finding beside it
RULED_WIDTHS = (0.9, 2.3, 2.9, 3.8, 2.6, 3.1)
RULED_HEADS = (*FINDING_HEADS, "审核意见")
NOTE_WIDTHS = (0.9, 4.6, 6.8, 3.3)
NOTE_HEADS = ("序号", "位置", "批注", "批注人及日期")


def _summary_table(files: list[FileReview], counts: Counts) -> TableSpec:
    regions = [
        Region(0, c, head, bold=True)
        for c, head in enumerate(("文件", "错误", "警告", "提示", "合计"))
    ]
    for r, file in enumerate(files, start=1):
        found = file.findings
        by = [sum(1 for f in found if f.severity.value == s) for s in ("error", "warning", "info")]
        name = file_name(file.path) + (f"（{READ_ERROR}）" if file.errors else "")
        regions.append(Region(r, 0, name, align="left"))
        regions += [Region(r, 1 + k, str(n)) for k, n in enumerate([*by, len(found)])]
    last = len(files) + 1
    regions.append(Region(last, 0, "合计", bold=True))
    totals = (counts.error, counts.warning, counts.info, counts.total)
    regions += [Region(last, 1 + k, str(n), bold=True) for k, n in enumerate(totals)]
    return TableSpec(SUMMARY_WIDTHS, last + 1, tuple(regions))


def _finding_cells(number: int, finding: Finding) -> list[str]:
    title = rule_title(finding.code)
    kind = f"{finding.code} {title}\n（{finding.severity.label}）"
    facts = finding.message
    figures = numbers(finding)
    if figures:
        facts += f"\n{figures}"
    return [str(number), kind, place(finding), facts, finding.advice or ""]


def _ruling_text(ruling: Ruling | None) -> str:
    if ruling is None:
        return "未处理"
    by = "\n".join(x for x in (ruling.by, day(ruling.at) if ruling.at else "") if x)
    return ruling.text() + (f"\n{by}" if by else "")


def _findings_table(group: TableGroup, first: int, ruled: bool) -> TableSpec:
    heads = RULED_HEADS if ruled else FINDING_HEADS
    regions = [Region(0, c, head, bold=True) for c, head in enumerate(heads)]
    for r, (finding, ruling) in enumerate(group.ruled(), start=1):
        cells = _finding_cells(first + r - 1, finding)
        if ruled:
            cells.append(_ruling_text(ruling))
        regions += [
            Region(r, c, text, align="center" if c == 0 else "left") for c, text in enumerate(cells)
        ]
    widths = RULED_WIDTHS if ruled else FINDING_WIDTHS
    return TableSpec(widths, len(group.findings) + 1, tuple(regions))


def _notes_table(notes: tuple[Note, ...]) -> TableSpec:
    regions = [Region(0, c, head, bold=True) for c, head in enumerate(NOTE_HEADS)]
    for r, note in enumerate(notes, start=1):
        cells = (str(r), note.place or "整表", note.text, signed_by(note.by, note.at))
        regions += [
            Region(r, c, text, align="center" if c == 0 else "left") for c, text in enumerate(cells)
        ]
    return TableSpec(NOTE_WIDTHS, len(notes) + 1, tuple(regions))


def _file(document: Any, number: int, file: FileReview) -> None:
    base.paragraph(document, f"{chinese_number(number)}、{file_name(file.path)}", base.HEADINGS[0])
    if file.path != file_name(file.path):
        base.paragraph(document, f"文件位置：{file.path}", indent=True, align="left")
    for message, source in file.errors:
        location = where(source)
        text = f"【{READ_ERROR}】{message}" + (f"（{location}）" if location else "")
        base.paragraph(document, text, indent=True)
    if not file.findings:
        if not file.errors:
            base.paragraph(document, "经审核，未发现问题。", indent=True)
        return
    counter = 1
    for k, group in enumerate(file.groups, start=1):
        heading = f"（{chinese_number(k)}）{group.title}（{len(group.findings)} 条）"
        base.paragraph(document, heading, base.HEADINGS[1])
        base.table(document, _findings_table(group, counter, file.signature is not None))
        counter += len(group.findings)


def _signer(signature: Signature | None) -> tuple[str, str, str]:
    """(审核单位, 审核人, 审核日期) as the header prints them: the reviewer's own when the
    table's review is concluded, else lines to fill by hand."""
    if signature is None or not signature.signed:
        return SIGN_LINE, SIGN_LINE, DATE_BLANK
    return (
        signature.reviewing_unit or SIGN_LINE,
        signature.reviewer or SIGN_LINE,
        day(signature.at),
    )


def write_review_docx(files: list[FileReview], path: Path, fonts: FontPlan) -> None:
    document = base.new_document(fonts)
    document.sections[0].different_first_page_header_footer = False
    base.paragraph(document, TITLE, base.TITLE)
    signature = signature_of(files)
    note = subtitle(signature)
    if note:
        base.paragraph(document, note, align="center")
    unit, reviewer, when = _signer(signature)
    for line in (f"审核单位：{unit}", f"审核人：{reviewer}", f"审核日期：{when}"):
        base.paragraph(document, line, align="left")
    counts = count(files)
    base.paragraph(document, "审核情况", base.HEADINGS[0], before=12)
    base.paragraph(document, counts.sentence(), indent=True)
    if files:
        base.table(document, _summary_table(files, counts))
    base.paragraph(document, "审核发现的问题及修改意见", base.HEADINGS[0], before=12)
    note = "以下按文件、按表列出每个问题：规则编号与名称、严重程度、所在位置、有关数值和修改意见。"
    base.paragraph(document, note, indent=True)
    for number, file in enumerate(files, start=1):
        _file(document, number, file)
    if signature is not None and signature.notes:
        heading = f"审核批注（{len(signature.notes)} 条）"
        base.paragraph(document, heading, base.HEADINGS[0], before=12)
        base.table(document, _notes_table(signature.notes))
    base.paragraph(document, "审核结论", base.HEADINGS[0], before=12)
    for text in conclusion(files, counts):
        base.paragraph(document, text, indent=True)
    signer = reviewer if reviewer != SIGN_LINE else ""
    for line in (
        f"审核人（签字）：{signer}{SIGN_LINE}",
        f"复核人（签字）：{SIGN_LINE}",
        "审核单位（盖章）",
    ):
        base.paragraph(document, line, align="right", before=12)
    base.paragraph(document, when, align="right")
    properties = document.core_properties
    properties.title = TITLE
    document.save(str(path))
