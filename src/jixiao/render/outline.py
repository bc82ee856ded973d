"""The standard outline of a self-evaluation report, for a report whose text is not written yet.

Department reports follow the ten sections of the 部门整体支出 template, project reports the
four of the 项目支出 template (domain.md §1); the subsections are the ones the seeds use.
"""

from __future__ import annotations

import re

from jixiao.model import Report, Section

PLACEHOLDER = "【待填写】"

_DEPARTMENT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("部门（单位）基本情况", ("主要职责", "内设机构", "人员情况")),
    ("一般公共预算支出情况", ("基本支出情况", "项目支出情况")),
    ("政府性基金预算支出情况", ()),
    ("国有资本经营预算支出情况", ()),
    ("社会保险基金预算支出情况", ()),
    ("部门整体支出绩效情况", ("年度整体工作开展情况", "绩效目标实现情况")),
    ("存在的问题及原因分析", ()),
    ("下一步改进措施", ()),
    ("绩效自评结果拟应用和公开情况", ()),
    ("其他需要说明的情况", ()),
)
_PROJECT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("项目收支基本情况", ()),
    ("资金使用及绩效情况", ("项目概况", "资金使用情况", "绩效目标实现情况")),
    ("存在问题及改进措施", ()),
    ("其他需要说明的情况", ()),
)
_NUMERALS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (up to 99)."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


def standard_outline(kind: str) -> tuple[Section, ...]:
    """The template's sections, each leaf holding the placeholder text."""
    template = _DEPARTMENT if kind == "department" else _PROJECT
    out: list[Section] = []
    for i, (heading, subs) in enumerate(template, start=1):
        children = tuple(
            Section(sub, chinese_number(j), 2, PLACEHOLDER) for j, sub in enumerate(subs, start=1)
        )
        out.append(
            Section(heading, chinese_number(i), 1, "" if children else PLACEHOLDER, (), children)
        )
    return tuple(out)


def report_kind(report: Report) -> str:
    """department when the report has a 部门整体 table or a 基础数据表, else project."""
    kinds = {e.kind for e in report.evaluations}
    return "department" if "department" in kinds or report.basic_data else "project"


def report_title(report: Report) -> str:
    """The report's title, or one made from its year, unit and kind."""
    if report.title:
        return report.title
    first = report.evaluations[0] if report.evaluations else None
    year = report.year or (first.year if first else None)
    who = report.unit or (first.department or first.name if first else None) or ""
    kind = "部门整体支出" if report_kind(report) == "department" else "项目支出"
    if first is not None and first.kind == "project" and first.name:
        who = first.name
    return f"{f'{year}年度' if year else ''}{who}{kind}绩效自评报告"


# Where a title may be broken between lines: after these endings (a year, a place, an
# office, a fund's words) and before 绩效 (…绩效自评报告 stays whole).
_TITLE_BREAK = re.compile(
    r"(?<=年度)|(?<=[省市区县局委厅院])(?![省市区县局委厅院域级场）)])|(?<=中心)|(?<=办公室)"
    r"|(?<=资金)|(?<=使用)|(?<=项目)|(?<=支出)(?!绩效)|(?=绩效)"
)
TITLE_LINE = 20.0  # a line of 二号 (22 pt) across an A4 page of 156 mm, in Chinese characters


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def title_lines(title: str, line: float = TITLE_LINE) -> list[str]:
    """The title in lines no wider than ``line`` characters, broken only between words
    (after 年度, a place or an office, before 绩效自评报告), the lines as even as the
    breaks allow; a word longer than a line is broken where the line ends."""
    words = [w for w in _TITLE_BREAK.split(title) if w]
    if _width(title) <= line or len(words) < 2:
        return [title]
    count = int(-(-_width(title) // line))  # as few lines as the width allows
    target = _width(title) / count
    lines: list[str] = []
    current = ""
    for word in words:
        if current and (
            _width(current + word) > line or (_width(current) >= target and len(lines) < count - 1)
        ):
            lines.append(current)
            current = ""
        current += word
    lines.append(current)
    return [text.strip() for text in lines]
