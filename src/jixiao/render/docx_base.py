"""Word building blocks in the look of government documents (GB/T 9704 公文格式).

A4; body 仿宋 三号 (16 pt) on a 28 pt line; 一级标题 黑体, 二级标题 楷体; title 小标宋 二号;
page numbers "— 1 —" in the footer; tables in 仿宋 五号 with merged cells written as Word
writes them (``gridSpan`` across, ``vMerge`` down). Fonts are set for East Asian text
(``w:eastAsia``) as well as Latin, in the styles, so runs stay plain.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import Table

from jixiao.render._zip import Member, zip_bytes
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
    """A form as merged regions on a grid of ``len(widths)`` columns (widths in cm); its
    first ``header_rows`` rows are repeated at the top of each page the table runs onto."""

    widths: tuple[float, ...]
    height: int
    regions: tuple[Region, ...]
    header_rows: int = 1


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
    """An empty A4 document with the 公文 styles and page-numbered footers (its own copy
    of everything: change its styles as you like)."""
    template = _template(plan)
    document = copy.deepcopy(template.document)
    styles = document.part.part_related_by(RT.STYLES)
    _STYLE_IDS[styles] = dict(_STYLE_IDS[template.document.part.part_related_by(RT.STYLES)])
    return document


def shared_document(plan: FontPlan) -> Any:
    """``new_document`` made cheap: a copy of the cached template's body, properties and
    package, sharing its other parts (styles, theme, numbering, settings, footer…) with
    every document made here. Those parts must stay as they are (only the body, the
    properties and pictures may change); ``save_bytes`` then writes them ready-packed."""
    template = _template(plan)
    return copy.deepcopy(template.document, {id(part): part for part in template.shared})


@dataclass(frozen=True, slots=True)
class _Template:
    document: Any  # opened from the saved template and never changed
    shared: tuple[Any, ...]  # its parts other than the body and the core properties


_CONTENT_TYPES: Any = _ContentTypesItem  # what python-docx's save writes [Content_Types] with
# Parts of the templates, packed once: id(part) → the zip members of the part and its rels.
_PACKED: dict[int, tuple[Member, ...]] = {}
# Style ids by (name, type) for the styles part of each template and copy: python-docx
# looks a name up through every style each time (most of a report's time, unknown here).
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[tuple[str, Any], str | None]] = (
    weakref.WeakKeyDictionary()
)
_KNOWN_STYLES = (
    *((name, WD_STYLE_TYPE.PARAGRAPH) for name in (BODY, TITLE, TABLE_TEXT, CAPTION)),
    *((name, WD_STYLE_TYPE.PARAGRAPH) for name in (ATTACHMENT, FORM_TITLE, "Footer")),
    *((name, WD_STYLE_TYPE.PARAGRAPH) for name in HEADINGS),
    ("Table Grid", WD_STYLE_TYPE.TABLE),
)


@functools.cache
def _template(plan: FontPlan) -> _Template:
    """The empty document of ``plan``, built once, saved and opened again as saved."""
    import docx

    raw = io.BytesIO()
    _build(plan).save(raw)
    document: Any = docx.Document(io.BytesIO(raw.getvalue()))
    document.core_properties.comments = ""  # written <dc:description></…> as when built
    package = document.part.package
    own = (document.part, package.part_related_by(RT.CORE_PROPERTIES))
    shared = tuple(part for part in package.iter_parts() if all(part is not p for p in own))
    for part in shared:
        members = [Member.of(part.partname.membername, part.blob)]
        if len(part.rels):
            members.append(Member.of(part.partname.rels_uri.membername, part.rels.xml))
        _PACKED[id(part)] = tuple(members)
    _STYLE_IDS[document.part.part_related_by(RT.STYLES)] = {
        (name, kind): document.part.get_style_id(name, kind) for name, kind in _KNOWN_STYLES
    }
    return _Template(document, shared)


def style_id(document: Any, name: str, kind: Any = WD_STYLE_TYPE.PARAGRAPH) -> str | None:
    """What python-docx's ``get_style_id`` gives (``None`` for the default style), from the
    table made with the template when the name is one of ours."""
    known = _STYLE_IDS.get(document.part.part_related_by(RT.STYLES))
    if known is not None and (name, kind) in known:
        return known[(name, kind)]
    return document.part.get_style_id(name, kind)  # type: ignore[no-any-return]


def save_bytes(document: Any) -> bytes:
    """The .docx file of ``document``, as python-docx's ``save`` writes it (same parts, in
    the same order), the template's unchanged parts taken ready-packed."""
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    members = [
        Member.of("[Content_Types].xml", _CONTENT_TYPES.from_parts(parts).blob),
        Member.of("_rels/.rels", package.rels.xml),
    ]
    for part in parts:
        packed = _PACKED.get(id(part))
        if packed is not None:
            members += packed
            continue
        members.append(Member.of(part.partname.membername, part.blob))
        if len(part.rels):
            members.append(Member.of(part.partname.rels_uri.membername, part.rels.xml))
    return zip_bytes(members)


def _build(plan: FontPlan) -> Any:
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
    out = document.add_paragraph()
    out._p.style = style_id(document, style)  # what ``Paragraph.style = style`` sets
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
    out = document.add_paragraph()
    out._p.style = style_id(document, BODY)
    out.paragraph_format.alignment = _ALIGN["left"]
    for number, text in enumerate(texts):
        run = out.add_run(text)
        if number < len(texts) - 1:
            run.add_break()
    return out


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TBL_LOOK = (
    '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
    ' w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
)
# What lxml refuses in a text (python-docx setting ``w:t`` text would raise the same).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    """``value`` as XML character data that parses back to exactly ``value``."""
    if _NOT_XML.search(value):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control "
            "characters"
        )
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def table(document: Any, spec: TableSpec) -> Any:
    """The form as a Word table: fixed column widths, borders, merges, centred cells.

    The ``w:tbl`` is written at once as XML text and parsed (building it element by element
    through python-docx costs ten times as much); it is, element for element, what
    python-docx's ``add_table`` (style "Table Grid", centred, fixed layout) gives once its
    cells are merged and filled: ``gridSpan`` on the first cell of each row of a merge (the
    others dropped), ``vMerge`` restart / continue down, widths in twips.
    """
    twips = [int(Cm(w).twips) for w in spec.widths]
    out = [f'<w:tbl xmlns:w="{_W_NS}"><w:tblPr>']
    table_style = style_id(document, "Table Grid", WD_STYLE_TYPE.TABLE)
    if table_style is not None:
        out.append(f'<w:tblStyle w:val="{_attribute(table_style)}"/>')
    out.append(f'<w:tblW w:type="dxa" w:w="{sum(twips)}"/><w:jc w:val="center"/>')
    out.append(f'<w:tblLayout w:type="fixed"/>{_TBL_LOOK}</w:tblPr><w:tblGrid>')
    out += [f'<w:gridCol w:w="{width}"/>' for width in twips]
    out.append("</w:tblGrid>")
    text_style = style_id(document, TABLE_TEXT) or document.styles[TABLE_TEXT].style_id
    paragraph_head = f'<w:p><w:pPr><w:pStyle w:val="{_attribute(text_style)}"/>'
    # Each grid cell's merge properties, in the order python-docx would add them.
    merges: list[list[dict[str, str]]] = [[{} for _ in twips] for _ in range(spec.height)]
    drop: set[tuple[int, int]] = set()
    anchors = {(region.row, region.col): region for region in spec.regions}
    for region in spec.regions:
        for r in range(region.row, region.row + region.rows):
            cell = merges[r][region.col]
            if region.cols > 1:
                cell["gridSpan"] = str(region.cols)
                drop.update((r, c) for c in range(region.col + 1, region.col + region.cols))
            if region.rows > 1:
                cell["vMerge"] = "restart" if r == region.row else "continue"
    for r, row in enumerate(merges):
        header = "<w:tblHeader/>" if r < spec.header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        for c, merge in enumerate(row):
            if (r, c) in drop:
                continue
            anchor = anchors.get((r, c))
            span = anchor.cols if anchor is not None else 1
            out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{sum(twips[c : c + span])}"/>')
            out += [f'<w:{tag} w:val="{value}"/>' for tag, value in merge.items()]
            out.append('<w:vAlign w:val="center"/></w:tcPr>')
            _cell_text(out, anchor, paragraph_head)
            out.append("</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    tbl = parse_xml("".join(out))
    body = document.element.body
    end = body.find(qn("w:sectPr"))
    if end is None:
        body.append(tbl)
    else:
        end.addprevious(tbl)
    return Table(tbl, document)


def _cell_text(out: list[str], region: Region | None, paragraph_head: str) -> None:
    """The cell's text, one paragraph per line, in the table style."""
    texts = region.text.split("\n") if region is not None and region.text else [""]
    head = paragraph_head
    if region is not None and region.align != "center":
        head += f'<w:jc w:val="{"both" if region.align == "justify" else region.align}"/>'
    run = "<w:r><w:rPr><w:b/></w:rPr>" if region is not None and region.bold else "<w:r>"
    for text in texts:
        if text:
            out.append(
                f'{head}</w:pPr>{run}<w:t xml:space="preserve">{_text(text)}</w:t></w:r></w:p>'
            )
        else:
            out.append(f"{head}</w:pPr></w:p>")
