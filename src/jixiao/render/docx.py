"""The self-evaluation report as a Word document: cover, narrative, and the forms as 附件.

The narrative is the report's own sections, or, when it has none, the standard outline
with 【待填写】 placeholders. The attachments follow the seeds' order: 基础数据表, then each
自评表 (a fund's sub-directions right after it, each its own 附件), then allocation tables,
in a landscape section; each 自评表 is followed by its charts. What is written can be read
back by ``jixiao.ingest.parse_file`` into the same evaluations.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Cm, Pt

from jixiao.model import Evaluation, Report, Section
from jixiao.render import charts as charting
from jixiao.render import docx_base as base
from jixiao.render.fonts import OFFICIAL, FontPlan
from jixiao.render.forms import allocation_form, basic_data_form, evaluation_form, number
from jixiao.render.outline import (
    PLACEHOLDER,
    chinese_number,
    report_kind,
    report_title,
    standard_outline,
    title_lines,
)
from jixiao.scoring import EvaluationScore

CHART_WIDTH_CM, CHART_MAX_HEIGHT_CM = 15.0, 14.0
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ATTACHMENT = re.compile(r"^附件\s*\d+\s*[:：]?$")


def render_docx(
    report: Report,
    path: str | Path,
    *,
    scores: Sequence[EvaluationScore] | None = None,
    charts: bool = True,
    fonts: FontPlan = OFFICIAL,
) -> None:
    """Write ``report`` as a .docx file.

    ``scores`` (one per top-level evaluation, as ``score_evaluation`` gives them) lend the
    charts the scheme's reading of each indicator and add a line with the rescored total
    under each form; ``fonts`` names the fonts (the official ones by default).
    """
    document = build_document(report, scores=scores, charts=charts, fonts=fonts)
    Path(path).write_bytes(base.save_bytes(document))


def build_document(
    report: Report,
    *,
    scores: Sequence[EvaluationScore] | None = None,
    charts: bool = True,
    fonts: FontPlan = OFFICIAL,
) -> Any:
    """The python-docx ``Document`` of ``render_docx``, not yet saved.

    Its styles and other template parts are shared with every report (see
    ``docx_base.shared_document``): change its body, never its styles.
    """
    document = base.shared_document(fonts)
    title = report_title(report)
    _cover(document, report, title)
    _title(base.paragraph(document, "", base.TITLE, page_break=True), title)
    if report.sections:
        for section in report.sections:
            _section(document, section)
    else:
        note = "（本报告正文尚未撰写：以下为标准提纲，请在【待填写】处补充内容。）"
        base.paragraph(document, note, indent=True)
        for section in standard_outline(report_kind(report)):
            _section(document, section)
    _attachments(document, report, _scores_by_table(report, scores), charts)
    _properties(document, report, title)
    return document


def _unit(report: Report) -> str:
    if report.unit:
        return report.unit
    first = report.evaluations[0] if report.evaluations else None
    if first is None:
        return ""
    return (first.name if first.kind == "department" else first.department) or ""


def shown_date(date: str | None) -> str:
    """ "2025-06-30" → "2025年6月30日"; other text as written; blanks to fill when absent."""
    if not date:
        return "　　年　　月　　日"
    match = _ISO_DATE.match(date)
    if match is None:
        return date
    year, month, day = match.groups()
    return f"{year}年{int(month)}月{int(day)}日"


def _title(paragraph: Any, title: str) -> None:
    """The title in lines broken between words (``title_lines``), never mid-word."""
    for position, line in enumerate(title_lines(title)):
        run = paragraph.add_run()
        if position:
            run.add_break()
        run.add_text(line)


def _cover(document: Any, report: Report, title: str) -> None:
    _title(base.paragraph(document, "", base.TITLE, before=150), title)
    base.paragraph(document, f"部门（单位）名称：{_unit(report)}", align="center", before=220)
    base.paragraph(document, shown_date(report.date), align="center")


def _heading_number(section: Section, position: int) -> str:
    raw = section.number or str(position)
    return chinese_number(int(raw)) if raw.isdigit() and section.level <= 2 else raw


def narrative_lines(text: str) -> list[str]:
    """A section's lines, up to the first "附件1" line: what follows it is the attachments
    (a reader gives their titles and notes to the last section), written out as forms."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if _ATTACHMENT.match(stripped):
            break
        if stripped:
            out.append(stripped)
    return out


def _section(document: Any, section: Section, position: int = 1) -> None:
    numeral = _heading_number(section, position)
    if section.level <= 1:
        text, style = f"{numeral}、{section.heading}", base.HEADINGS[0]
    elif section.level == 2:
        text, style = f"（{numeral}）{section.heading}", base.HEADINGS[1]
    else:
        text, style = f"{numeral}．{section.heading}", base.HEADINGS[2]
    base.paragraph(document, text, style)
    for line in narrative_lines(section.text):
        base.paragraph(document, line, indent=True, highlight=line == PLACEHOLDER)
    for number_, child in enumerate(section.children, start=1):
        _section(document, child, number_)


def _scores_by_table(
    report: Report, scores: Sequence[EvaluationScore] | None
) -> dict[int, EvaluationScore]:
    if scores is None:
        return {}
    out: dict[int, EvaluationScore] = {}
    for evaluation, score in zip(report.evaluations, scores, strict=False):
        for table, scored in zip(evaluation.walk(), score.walk(), strict=False):
            out[id(table)] = scored
    return out


def _attachments(
    document: Any, report: Report, scores: dict[int, EvaluationScore], charts: bool
) -> None:
    tables = [e for top in report.evaluations for e in top.walk()]
    if not (report.basic_data or tables or report.allocations):
        return
    base.landscape(document)
    number_ = 0

    def start(title: str) -> None:
        nonlocal number_
        number_ += 1
        base.paragraph(document, f"附件{number_}", base.ATTACHMENT, page_break=number_ > 1)
        base.paragraph(document, title, base.FORM_TITLE)

    for data in report.basic_data:
        year = data.year or report.year
        start(data.title or f"{year or ''}{'年度' if year else ''}部门整体支出绩效评价基础数据")
        base.table(document, basic_data_form(data, year))
    children = {id(c) for top in report.evaluations for c in top.walk()[1:]}
    for evaluation in tables:
        number_ += 1
        base.paragraph(document, f"附件{number_}", base.ATTACHMENT, page_break=number_ > 1)
        if evaluation.title:
            base.paragraph(document, evaluation.title, base.FORM_TITLE)
        base.table(document, evaluation_form(evaluation))
        _form_footer(document, evaluation)
        score = scores.get(id(evaluation))
        if score is not None:
            line = f"按评分方案“{score.scheme_title}”复核：总分 {number(score.total)}"
            base.paragraph(document, line + f"，等级 {score.grade or '—'}。", indent=True)
        if charts:
            drawn = charting.charts_for(evaluation, score, execution=id(evaluation) not in children)
            for kind, png in drawn:
                _picture(document, png, _caption(kind, number_))
    for allocation in report.allocations:
        start(allocation.title or "资金分配情况")
        base.table(document, allocation_form(allocation))


def _form_footer(document: Any, evaluation: Evaluation) -> None:
    """填表人 / 填报日期 / 联系电话, one per line (a blank one cannot swallow the next)."""
    texts = [f"填表人：{evaluation.filled_by or ''}", f"填报日期：{evaluation.filled_on or ''}"]
    phone = evaluation.extra.get("联系电话")
    if phone:
        texts.append(f"联系电话：{phone}")
    base.lines(document, texts)


def _caption(kind: str, attachment: int) -> str:
    what = "绩效指标完成情况" if kind == "completion" else "预算执行情况"
    return f"图：附件{attachment}{what}"


def _png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _picture(document: Any, png: bytes, caption: str) -> None:
    import io

    width, height = _png_size(png)
    width_cm = min(CHART_WIDTH_CM, CHART_MAX_HEIGHT_CM * width / height)
    document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    fmt = document.paragraphs[-1].paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop it
    fmt.space_before = Pt(12)
    fmt.keep_with_next = True
    base.paragraph(document, caption, base.CAPTION)


def _properties(document: Any, report: Report, title: str) -> None:
    properties = document.core_properties
    properties.title = title
    properties.subject = "预算绩效自评报告"
    match = _ISO_DATE.match(report.date or "")
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        try:
            when = dt.datetime(year, month, day, tzinfo=dt.UTC)
        except ValueError:  # "2025-02-30": a date as written, not a real one
            return
        properties.created = properties.modified = when
