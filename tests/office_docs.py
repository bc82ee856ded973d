"""Builds test documents the way real ones are made: Word, Excel and HTML with merged cells.

The table is seed 004's 项目支出绩效自评表 (附件3), laid out on the official template's
10-column grid: the 一级指标 column merged vertically over its indicators, 项目资金（万元）
merged over the funds block, 预期目标 / 实际完成情况 merged across columns. Other formats
(PDF, .doc, .xls) are made from these by LibreOffice when it is installed. The writers of
merged regions (``docx_table``, ``xlsx_regions``, ``html_table``) serve ``layout_docs`` too.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao.ingest.readers.office import convert_with_libreoffice, find_soffice

TITLE = "2024年度项目支出绩效自评表"
FILLER = "填表人：张三　　联系电话：0730-1234567"
GOAL = "保障科技系统运转，开展科技交流活动，完善市科技平台建设的数据采集及加工。"
DONE = (
    "科技平台对科技创新起到有效支持作用，对科技平台进行运维保障；"
    "举办科技活动周系列活动、全市科技大会，营造良好科技创新氛围。"
)
Region = tuple[int, int, int, int, str]  # first row, first column, last row, last column, text
WIDTH, HEIGHT = 10, 20

_INDICATORS = [
    (
        "数量指标",
        "组建科技创新平台，新增创新平台",
        "省级平台2个以上，市级平台25个以上",
        "省级15个；市级40个",
    ),
    ("质量指标", "保运转", "保障科技局机关运转", "保障科技局机关运转"),
    ("时效指标", "完成时间", "2024.12.31前", "2024.12.31前"),
    ("成本指标", "成本金额", "控制在预算金额内", "控制在预算金额内"),
    (
        "经济效益指标",
        "实现技术合同成交额",
        "实现技术合同成交额达200亿元",
        "实现技术合同成交额502.28亿元",
    ),
    ("社会效益指标", "科技氛围", "带动全市科技学习", "开展全社会研发投入培训、科技成果路演活动"),
    ("生态效益指标", "科技活动对生态环境影响", "科技活动不破坏生态环境", "科技活动不破坏生态环境"),
    (
        "可持续影响指标",
        "科技交流",
        "开展科技交流与合作活动",
        "举办全市科技大会、科技活动周系列活动",
    ),
    ("服务对象满意度指标", "全市科技人员满意度", "≥95%", "99"),
]


def _one(row: int, column: int, text: str) -> Region:
    return (row, column, row, column, text)


def regions() -> list[Region]:
    """The table as merged regions, top-left first, row by row."""
    out: list[Region] = [
        (0, 0, 0, 1, "项目支出名称"),
        (0, 2, 0, 9, "市级专项资金"),
        (1, 0, 1, 1, "主管部门"),
        (1, 2, 1, 5, "岳阳市科学技术局"),
        (1, 6, 1, 7, "实施单位"),
        (1, 8, 1, 9, "岳阳市科学技术局"),
        (2, 0, 6, 1, "项目资金\n（万元）"),
        (2, 2, 2, 3, ""),
    ]
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    out += [_one(2, 4 + k, text) for k, text in enumerate(heads)]
    funds = [
        ("年度资金总额", ["85", "85", "85", "10", "100%", "10"]),
        ("其中：当年财政拨款", ["85", "85", "85", "", "", ""]),
        ("上年结转资金", [""] * 6),
        ("其他资金", [""] * 6),
    ]
    for r, (label, values) in enumerate(funds, start=3):
        out.append((r, 2, r, 3, label))
        out += [_one(r, 4 + k, text) for k, text in enumerate(values)]
    out += [(7, 0, 8, 1, "年度总体目标"), (7, 2, 7, 5, "预期目标"), (7, 6, 7, 9, "实际完成情况")]
    out += [(8, 2, 8, 5, GOAL), (8, 6, 8, 9, DONE)]
    out.append((9, 0, 18, 0, "绩效指标"))
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    out += [_one(9, 1 + k, text) for k, text in enumerate(heads)]
    out.append((9, 8, 9, 9, "偏差原因分析及改进措施"))
    levels = {
        10: (13, "产出指标\n（50分）"),
        14: (17, "效益指标\n（30分）"),
        18: (18, "满意度指标\n（10分）"),
    }
    for r, (level2, name, target, actual) in enumerate(_INDICATORS, start=10):
        if r in levels:
            out.append((r, 1, levels[r][0], 1, levels[r][1]))
        cells = [level2, name, target, actual, "10", "10"]
        out += [_one(r, 2 + k, text) for k, text in enumerate(cells)]
        out.append((r, 8, r, 9, ""))
    out += [(19, 0, 19, 5, "总分"), _one(19, 6, "100"), _one(19, 7, "100"), (19, 8, 19, 9, "")]
    return out


def expected_grid() -> tuple[list[list[str]], dict[tuple[int, int], tuple[int, int]]]:
    """The dense grid texts and, for covered positions, their anchors."""
    texts = [[""] * WIDTH for _ in range(HEIGHT)]
    anchors: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1, text in regions():
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                texts[r][c] = text
                if (r, c) != (r0, c0):
                    anchors[(r, c)] = (r0, c0)
    return texts, anchors


def build_docx(path: Path) -> Path:
    """The report as Word writes it: 附件3, a title, the table, a 填表人 line."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件3")
    document.add_paragraph(TITLE)
    docx_table(document, regions(), WIDTH, HEIGHT)
    document.add_paragraph(FILLER)
    document.save(str(path))
    return path


def docx_table(
    document: Any, regions: list[Region], width: int, height: int, borders: str = "grid"
) -> Any:
    """``regions`` as a Word table, merged cells merged, one paragraph a line. ``borders``:
    "grid" (every cell ruled, the cells' text at their top), or as borderless forms are
    printed: "none" (no line at all, the text centred vertically in its cell, a merged
    label in the middle of its rows) or "rules" (horizontal rules only, text at the top)."""
    table = document.add_table(rows=height, cols=width)
    if borders == "grid":
        table.style = "Table Grid"
    else:
        _unruled(table, rules=borders == "rules", centred=borders == "none")
    # The cells before any merge: table.cell() walks the whole table each time, and the
    # corners of regions not yet merged stay valid while others merge.
    cells = [list(row.cells) for row in table.rows]
    for r0, c0, r1, c1, text in regions:
        cell = cells[r0][c0]
        if (r1, c1) != (r0, c0):
            cell = cell.merge(cells[r1][c1])
        lines = text.split("\n")
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    return table


def _unruled(table: Any, rules: bool, centred: bool) -> None:
    """No vertical lines; horizontal ones (above, between and under rows) with ``rules``;
    every cell's text centred vertically with ``centred``."""
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lines = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        drawn = rules and side in ("top", "bottom", "insideH")
        line.set(qn("w:val"), "single" if drawn else "nil")
        if drawn:
            line.set(qn("w:sz"), "4")
        lines.append(line)
    table._tbl.tblPr.append(lines)
    if centred:
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


def build_xlsx(path: Path, formula: bool = False) -> Path:
    """The table on a sheet under a merged title row; numbers as numbers (one as text, the
    rate as a percent); with ``formula`` the total score is a formula (no cached value)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件3"
    sheet.cell(1, 1, TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    xlsx_regions(sheet, regions(), 3)
    sheet.cell(6, 7).value = "85"  # 全年执行数 stored as text, as pasted from elsewhere
    if formula:
        sheet.cell(22, 8).value = "=J6+SUM(H13:H21)"
    sheet.cell(HEIGHT + 4, 1, FILLER)
    book.save(str(path))
    return path


def xlsx_value(text: str, row: int, column: int) -> tuple[object, str | None]:
    """A cell's value as typed: whole numbers as numbers, "100%" as a percent, else text;
    with the number format to show it in (``None``: the default)."""
    if text.isdigit():
        return int(text), None
    if text == "100%":
        return 1.0, "0%"
    return text or None, None


def xlsx_regions(
    sheet: Any,
    regions: list[Region],
    top: int,
    value: Callable[[str, int, int], tuple[object, str | None]] = xlsx_value,
) -> None:
    """``regions`` on ``sheet`` from row ``top`` (1-based) in column A, merged and bordered;
    ``value`` turns a region's text (and its row and column in ``regions``) into the value."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin")
    for r0, c0, r1, c1, text in regions:
        cell = sheet.cell(r0 + top, c0 + 1)
        cell.value, number_format = value(text, r0, c0)
        if number_format is not None:
            cell.number_format = number_format
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                sheet.cell(r + top, c + 1).border = Border(thin, thin, thin, thin)
        if (r1, c1) != (r0, c0):
            sheet.merge_cells(
                start_row=r0 + top, start_column=c0 + 1, end_row=r1 + top, end_column=c1 + 1
            )


def build_html(path: Path, encoding: str = "utf-8", declare: str | None = "utf-8") -> Path:
    """A published page: navigation and a script to skip, a heading, the table with
    rowspan/colspan, and lines separated by <br>; ``declare`` is the charset the page names
    (gb2312 pages are really written in its superset GB18030)."""
    charset = f'<meta charset="{declare}">' if declare else ""
    page = f"""<!DOCTYPE html><html><head>{charset}<title>自评</title>
<style>td {{ border: 1px solid }}</style></head><body>
<nav><a href="/">首页</a> <a href="/gk">政务公开</a></nav>
<script>var x = "不应读取";</script>
<p>附件3</p><h1>{TITLE}</h1>
{html_table(regions(), HEIGHT)}
<div>{FILLER}<br>审核人：李四</div>
</body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


def html_table(regions: list[Region], height: int) -> str:
    """``regions`` as an HTML table with rowspan / colspan, lines separated by <br>."""
    rows: list[list[str]] = [[] for _ in range(height)]
    for r0, c0, r1, c1, text in sorted(regions):
        span = (f' rowspan="{r1 - r0 + 1}"' if r1 > r0 else "") + (
            f' colspan="{c1 - c0 + 1}"' if c1 > c0 else ""
        )
        rows[r0].append(f"<td{span}>{html.escape(text).replace(chr(10), '<br>')}</td>")
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return f'<table border="1"><tbody>\n{body}\n</tbody></table>'


def libreoffice() -> bool:
    return find_soffice() is not None


def convert(path: Path, to: str, out_dir: Path) -> Path:
    """``path`` converted by LibreOffice, moved next to the other test files."""
    converted = convert_with_libreoffice(path, to)
    target = out_dir / f"{path.stem}.{to}"
    shutil.move(str(converted), target)
    shutil.rmtree(converted.parent, ignore_errors=True)
    return target


def zip_bomb(path: Path, kind: str = "docx", size: int = 210 * 1024 * 1024) -> Path:
    """A small zip whose members unpack to more than 200 MB (zeros compress ~1000:1)."""
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<document/>")
        with archive.open("media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def minimal_pdf(path: Path, text: str | None = "Hello") -> Path:
    """A one-page PDF written by hand: with a line of text, or (``None``) only a drawn box
    like a scan's image, with no text layer."""
    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET" if text else "72 600 200 100 re f"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def encrypt_pdf(source: Path, target: Path) -> Path | None:
    """``source`` encrypted with an open password by qpdf; None when qpdf is missing."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return None
    command = [qpdf, "--encrypt", "secret", "owner", "256", "--", str(source), str(target)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    return target


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="jixiao-office-"))


def build_docx_parts(path: Path) -> Path:
    """Tables as Word can store them: two with nothing between (the second repeating the
    header), one after a paragraph, one of another width, a nested table, a text box."""
    import docx

    document = docx.Document()
    header = ["一级指标", "二级指标", "三级指标"]
    for rows in (
        [header, ["产出指标", "数量指标", "新增平台"], ["产出指标", "质量指标", "保运转"]],
        [header, ["效益指标", "社会效益指标", "科技氛围"]],
    ):
        _simple_table(document, rows)
    document.add_paragraph("中间的段落")
    _simple_table(document, [header, ["满意度指标", "服务对象满意度指标", "满意度"]])
    _simple_table(document, [["总分", "100"]])
    document.add_paragraph("嵌套表格")
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层单元格"
    outer.cell(0, 1).text = "外层文字"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内层甲"
    inner.cell(0, 1).text = "内层乙"
    anchor = document.add_paragraph("正文带文本框")
    anchor._p.append(_textbox_run())
    document.add_paragraph("结尾")
    document.save(str(path))
    return path


def _simple_table(document: object, rows: list[list[str]]) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


_TEXTBOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData
 uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>
{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>"""
_BOX_CONTENT = """<w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p>
<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>
<w:tc><w:p><w:r><w:t>框内表头</w:t></w:r></w:p></w:tc>
<w:tc><w:p><w:r><w:t>框内数值</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:txbxContent>"""


def _textbox_run() -> object:
    from lxml import etree

    return etree.fromstring(_TEXTBOX.format(content=_BOX_CONTENT))


def build_long_docx(path: Path, rows: int = 80) -> Path:
    """A three-column table long enough to run over pages, its header row repeated."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("长表格")
    table = document.add_table(rows=rows + 1, cols=3)
    table.style = "Table Grid"
    for c, text in enumerate(["序号", "项目名称", "金额"]):
        table.cell(0, c).text = text
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))
    for r in range(1, rows + 1):
        for c, text in enumerate([str(r), f"项目{r}", f"{r * 1.5:g}"]):
            table.cell(r, c).text = text
    document.add_paragraph("表后文字")
    document.save(str(path))
    return path


def build_number_xlsx(path: Path) -> Path:
    """Values the way people type them: float-valued integers, decimals, a percent, a date,
    and a number stored as text."""
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数值"
    values: list[tuple[object, str]] = [
        (5500.0, "General"),
        (4465.5, "General"),
        (0.9258, "0.00%"),
        (datetime.datetime(2024, 12, 31), "yyyy-mm-dd"),
        ("85", "@"),
        (0.1 + 0.2, "General"),
        (502.28, "0.00"),
    ]
    for c, (value, number_format) in enumerate(values, start=2):
        cell = sheet.cell(2, c, value)
        cell.number_format = number_format
    book.save(str(path))
    return path


NUMBER_TEXTS = ["5500", "4465.5", "92.58%", "2024-12-31", "85", "0.3", "502.28"]
