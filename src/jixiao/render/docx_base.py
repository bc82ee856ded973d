"""Word building blocks in the look of government documents (GB/T 9704 公文格式).

A4; body 仿宋 三号 (16 pt) on a 28 pt line; 一级标题 黑体, 二级标题 楷体; title 小标宋 二号;
page numbers "— 1 —" in the footer; tables in 仿宋 五号 with merged cells written as Word
writes them (``gridSpan`` across, ``vMerge`` down). Fonts are set for East Asian text
(``w:eastAsia``) as well as Latin, in the styles, so runs stay plain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from jixiao.render.fonts import FontPlan

BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号
TITLE_PT = 22  # 二号
LINE_PT = 28

BODY, TITLE, TABLE_TEXT, CAPTION = "Normal", "报告标题", "表格文字", "图表说明"
ATTACHMENT, FORM_TITLE = "附件标注", "表格标题"
HEADINGS = ("Heading 1", "Heading 2", "Heading 3")
_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True, slots=True)
class Region:
    """A cell of a form, top-left at (row, col), spanning ``rows`` × ``cols`` grid cells."""

    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    align: str = "center"
    bold: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A form as merged regions on a grid of ``len(widths)`` columns (widths in cm)."""

    widths: tuple[float, ...]
    height: int
    regions: tuple[Region, ...]


def _fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """Set every script's font on an ``w:rPr`` (theme fonts removed: they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme") or attribute.endswith("theme"):
            del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(
    document: Any,
    name: str,
    font: str,
    plan: FontPlan,
    size: float,
    *,
    bold: bool = False,
    align: str = "justify",
    line: float | None = LINE_PT,
    before: float = 0,
    after: float = 0,
) -> Any:
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[BODY]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), font, plan.latin)
    fmt = style.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = None
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    return style


def new_document(plan: FontPlan) -> Any:
    """An empty A4 document with the 公文 styles and page-numbered footers."""
    import docx

    document = docx.Document()
    _style(document, BODY, plan.body, plan, BODY_PT)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _fonts(rpr, plan.body, plan.latin)
    _style(document, TITLE, plan.title, plan, TITLE_PT, align="center", line=36, after=12)
    _style(document, HEADINGS[0], plan.heading, plan, BODY_PT)
    _style(document, HEADINGS[1], plan.subheading, plan, BODY_PT)
    _style(document, HEADINGS[2], plan.body, plan, BODY_PT, bold=True)
    for name in HEADINGS:
        document.styles[name].paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    _style(document, TABLE_TEXT, plan.body, plan, TABLE_PT, align="center", line=None)
    _style(document, CAPTION, plan.body, plan, 12, align="center", line=None, after=6)
    _style(document, ATTACHMENT, plan.heading, plan, BODY_PT, align="left")
    _style(document, FORM_TITLE, plan.title, plan, 18, align="center", line=None, after=8)
    _style(document, "Footer", plan.body, plan, 14, align="center", line=None)
    section = document.sections[0]
    portrait(section)
    section.different_first_page_header_footer = True  # no number on the cover
    page_numbers(section)
    properties = document.core_properties
    properties.author = properties.last_modified_by = "jixiao"
    properties.title = properties.comments = ""
    return document


def portrait(section: Any) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(25)


def landscape(document: Any) -> Any:
    """A new landscape A4 section (for the wide forms), starting on a new page."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(22), Mm(22)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = False
    return section


def page_numbers(section: Any) -> None:
    """ "— N —" centred in the footer, N a PAGE field."""
    paragraph = section.footer.paragraphs[0]
    paragraph.style = "Footer"
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    paragraph.add_run(" —")


def paragraph(
    document: Any,
    text: str,
    style: str = BODY,
    *,
    indent: bool = False,
    align: str | None = None,
    page_break: bool = False,
    before: float | None = None,
    highlight: bool = False,
) -> Any:
    """A paragraph; ``indent`` gives the body's two-character first-line indent."""
    out = document.add_paragraph(style=style)
    if text:
        run = out.add_run(text)
        if highlight:
            from docx.enum.text import WD_COLOR_INDEX

            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    fmt = out.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)
    if align is not None:
        fmt.alignment = _ALIGN[align]
    if page_break:
        fmt.page_break_before = True
    if before is not None:
        fmt.space_before = Pt(before)
    return out


def lines(document: Any, texts: Sequence[str]) -> Any:
    """One paragraph holding several lines (line breaks, not paragraphs): a form's footer."""
    out = document.add_paragraph(style=BODY)
    out.paragraph_format.alignment = _ALIGN["left"]
    for number, text in enumerate(texts):
        run = out.add_run(text)
        if number < len(texts) - 1:
            run.add_break()
    return out


def _set(parent: Any, tag: str, **values: str) -> Any:
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for name, value in values.items():
        element.set(qn(f"w:{name}"), value)
    return element


def table(document: Any, spec: TableSpec) -> Any:
    """The form as a Word table: fixed column widths, borders, merges, centred cells."""
    out = document.add_table(rows=spec.height, cols=len(spec.widths))
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    tbl_pr = out._tbl.tblPr
    _set(tbl_pr, "w:tblLayout", type="fixed")
    twips = [int(Cm(w).twips) for w in spec.widths]
    _set(tbl_pr, "w:tblW", w=str(sum(twips)), type="dxa")
    for col, width in zip(out._tbl.tblGrid.findall(qn("w:gridCol")), twips, strict=True):
        col.set(qn("w:w"), str(width))
    style_id = document.styles[TABLE_TEXT].style_id
    rows = [list(tr.tc_lst) for tr in out._tbl.tr_lst]
    for tr in out._tbl.tr_lst:
        _set(tr.get_or_add_trPr(), "w:cantSplit")
    drop: set[tuple[int, int]] = set()
    anchors = {(region.row, region.col): region for region in spec.regions}
    for region in spec.regions:
        for r in range(region.row, region.row + region.rows):
            tc = rows[r][region.col]
            tc_pr = tc.get_or_add_tcPr()
            if region.cols > 1:
                _set(tc_pr, "w:gridSpan", val=str(region.cols))
                drop.update((r, c) for c in range(region.col + 1, region.col + region.cols))
            if region.rows > 1:
                _set(tc_pr, "w:vMerge", val="restart" if r == region.row else "continue")
    for r, cells in enumerate(rows):
        for c, tc in enumerate(cells):
            if (r, c) in drop:
                tc.getparent().remove(tc)
                continue
            anchor = anchors.get((r, c))
            span = anchor.cols if anchor is not None else 1
            tc_pr = tc.get_or_add_tcPr()
            _set(tc_pr, "w:tcW", w=str(sum(twips[c : c + span])), type="dxa")
            _set(tc_pr, "w:vAlign", val="center")
            _fill(tc, anchor, style_id)
    return out


def _fill(tc: Any, region: Region | None, style_id: str) -> None:
    """The cell's text, one paragraph per line, in the table style."""
    first = tc.find(qn("w:p"))
    texts = region.text.split("\n") if region is not None and region.text else [""]
    for number, text in enumerate(texts):
        p = first if number == 0 else OxmlElement("w:p")
        if number:
            tc.append(p)
        p_pr = _set(p, "w:pPr")
        _set(p_pr, "w:pStyle", val=style_id)
        if region is not None and region.align != "center":
            _set(p_pr, "w:jc", val="both" if region.align == "justify" else region.align)
        if not text:
            continue
        run = OxmlElement("w:r")
        if region is not None and region.bold:
            _set(_set(run, "w:rPr"), "w:b")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        p.append(run)
