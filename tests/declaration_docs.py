"""Builds 绩效目标申报表 / 绩效目标表 documents the way units fill them in Word and Excel.

A declaration states what a project means to do before the year starts: 项目名称, 主管部门,
实施单位, 项目资金 (年度资金总额, 其中：财政拨款, 其他资金), 年度总体目标 and the indicators
(一级 / 二级 / 三级 指标, 指标值) — the self-evaluation table without its actuals, scores and
deviations. Laid out with the merged cells ``office_docs`` writes (the 一级 column merged over
its rows); PDF made from the Word file by LibreOffice when it is installed.
"""

from __future__ import annotations

from pathlib import Path

from tests.office_docs import Region, docx_table, xlsx_regions

TITLE = "2025年度项目支出绩效目标申报表"
NAME = "科技创新平台建设专项"
DEPARTMENT = "岳阳市科学技术局"
IMPLEMENTER = "岳阳市科技创新服务中心"
FUNDS = (("年度资金总额", "120"), ("其中：财政拨款", "100"), ("其他资金", "20"))
GOAL = "新建省级创新平台2个、市级创新平台20个，举办科技活动周系列活动，营造科技创新氛围。"
INDICATORS = (
    ("产出指标", "数量指标", "新增市级创新平台数量", "≥20个"),
    ("产出指标", "数量指标", "新增省级创新平台数量", "≥2个"),
    ("产出指标", "质量指标", "平台验收合格率", "100%"),
    ("产出指标", "时效指标", "完成时间", "2025年12月31日前"),
    ("产出指标", "成本指标", "项目成本", "控制在预算金额内"),
    ("效益指标", "社会效益指标", "科技活动参与人次", "≥5000人次"),
    ("效益指标", "可持续影响指标", "平台持续服务年限", "≥3年"),
    ("满意度指标", "服务对象满意度指标", "科技人员满意度", "≥90%"),
)
WIDTH = 6


def regions() -> list[Region]:
    """The declaration on a 6-column grid: labels in the first column (two for the funds
    block), the indicators' 一级 merged down over its rows."""
    out: list[Region] = [
        (0, 0, 0, 1, "项目名称"),
        (0, 2, 0, 5, NAME),
        (1, 0, 1, 1, "主管部门"),
        (1, 2, 1, 3, DEPARTMENT),
        (1, 4, 1, 4, "实施单位"),
        (1, 5, 1, 5, IMPLEMENTER),
        (2, 0, 2 + len(FUNDS) - 1, 0, "项目资金\n（万元）"),
    ]
    for k, (label, amount) in enumerate(FUNDS):
        out += [(2 + k, 1, 2 + k, 2, label), (2 + k, 3, 2 + k, 5, amount)]
    row = 2 + len(FUNDS)
    out += [(row, 0, row, 1, "年度总体目标"), (row, 2, row, 5, GOAL)]
    row += 1
    out += [
        (row, 0, row, 0, "一级指标"),
        (row, 1, row, 1, "二级指标"),
        (row, 2, row, 3, "三级指标"),
        (row, 4, row, 5, "指标值"),
    ]
    row += 1
    level1 = [item[0] for item in INDICATORS]
    for k, (first, second, name, target) in enumerate(INDICATORS):
        if k == 0 or level1[k - 1] != first:
            last = k + level1.count(first) - 1
            out.append((row + k, 0, row + last, 0, first))
        out += [
            (row + k, 1, row + k, 1, second),
            (row + k, 2, row + k, 3, name),
            (row + k, 4, row + k, 5, target),
        ]
    return out


def height() -> int:
    return max(region[2] for region in regions()) + 1


def build_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("（2025年度）")
    docx_table(document, regions(), WIDTH, height())
    document.add_paragraph("填报单位（盖章）：岳阳市科技创新服务中心")
    document.save(str(path))
    return path


def build_xlsx(path: Path) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标申报表"
    sheet.cell(1, 1, TITLE)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    sheet.cell(2, 1, "单位：万元")
    xlsx_regions(sheet, regions(), 3)
    book.save(str(path))
    return path
