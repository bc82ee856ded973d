"""The running text of a report: title, unit, year, date, sections and the figures they state."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.ingest.raw import Paragraph
from jixiao.model import Section, StatedFigure
from jixiao.values.numerals import chinese_to_decimal

# 一、… is a heading; so is "1、 …" with a space, which is how Word's automatic numbering
# comes out of a text export (a "1.…" or "1、…" without one is a list item in the body).
_LEVEL1 = re.compile(
    r"^(?:(?P<num>[一二三四五六七八九十]+)\s*[、.．]|(?P<auto>\d{1,2})、 )\s*(?P<head>\S.*)$"
)
_LEVEL2 = re.compile(r"^[（(]\s*(?P<num>[一二三四五六七八九十]+|\d{1,2})\s*[)）]\s*(?P<head>\S.*)$")
MAX_HEADING = 30
_FIGURE = re.compile(
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|%|％|个百分点|人|家|个|项|件|名)"
)
_ORGANISATION = re.compile(r"(局|委员会|委|办公室|办|院|中心|公司|学校|大学|政府|部|厅|所|站|馆)$")
_YEAR = re.compile(r"(\d{4})\s*年度?")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_UNIT = re.compile(
    r"^(?:部门（单位）名称|部门\(单位\)名称|部门名称|单位名称|预算单位)[:：]\s*(?P<unit>\S.*)$"
)


@dataclass(frozen=True, slots=True)
class Narrative:
    title: str | None
    unit: str | None
    year: int | None
    date: str | None
    sections: tuple[Section, ...]


def figures(text: str, paragraph: Paragraph) -> tuple[StatedFigure, ...]:
    """Numbers with their units as the text states them, with a little context."""
    out = []
    for match in _FIGURE.finditer(text):
        start, end = match.span()
        unit = "%" if match["unit"] == "％" else match["unit"]
        out.append(
            StatedFigure(
                text=match.group(),
                value=Decimal(match["num"].replace(",", "")),
                unit=unit,
                context=text[max(0, start - 20) : end + 5],
                source=paragraph.source,
            )
        )
    return tuple(out)


def _heading(text: str) -> tuple[int, str, str] | None:
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2)):
        match = pattern.match(text)
        if match and len(match["head"]) <= MAX_HEADING:
            number = match.groupdict().get("num") or match.groupdict().get("auto") or ""
            return level, number, match["head"].rstrip("。")
    return None


def read_narrative(paragraphs: Sequence[Paragraph]) -> Narrative:
    title = _title(paragraphs)
    year_match = _YEAR.search(title or "")
    unit = date = None
    for i, p in enumerate(paragraphs):
        found = _UNIT.match(p.text)
        if found and unit is None:
            unit = found["unit"].strip()
        dated = _DATE.match(p.text.replace(" ", ""))
        if dated and date is None:
            y, m, d = dated.groups()
            date = f"{y}-{int(m):02d}-{int(d):02d}"
            signer = paragraphs[i - 1].text.strip() if i > 0 else ""
            if unit is None and _ORGANISATION.search(signer) and len(signer) <= 30:
                unit = signer  # the unit signs the report just above its date
    return Narrative(
        title, unit, int(year_match.group(1)) if year_match else None, date, _sections(paragraphs)
    )


def _title(paragraphs: Sequence[Paragraph]) -> str | None:
    if not paragraphs:
        return None
    parts = [paragraphs[0].text]
    for p in paragraphs[1:3]:
        subtitle = p.text.lstrip().startswith(("—", "－", "-", "——"))
        if not subtitle and (parts[-1].endswith(("报告", "报告书")) or len(p.text) > 30):
            break
        if _heading(p.text):
            break
        if "名称" in p.text or _DATE.match(p.text.replace(" ", "")):
            break
        parts.append(p.text)
    return re.sub(r"\s+", "", "".join(parts)) or None


@dataclass
class _Open:
    """A section being collected: its heading paragraph and the lines under it."""

    level: int
    number: str
    heading: str
    paragraph: Paragraph
    lines: list[Paragraph] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def close(self) -> Section:
        return Section(
            heading=self.heading,
            number=self.number,
            level=self.level,
            text="\n".join(p.text for p in self.lines),
            figures=tuple(f for p in self.lines for f in figures(p.text, p)),
            children=tuple(self.children),
            source=self.paragraph.source,
        )


def _ordinal(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    value = chinese_to_decimal(number)
    return int(value) if value is not None else None


def _sections(paragraphs: Sequence[Paragraph]) -> tuple[Section, ...]:
    """Level-1 (一、) sections holding level-2 (（一）) ones; text before the first is left out.

    A first-level numbering that starts again (一、二、三 under "二、科技专项资金…", a report
    pasted into another) is read as the current section's subsections.
    """
    top: list[Section] = []
    current: _Open | None = None
    sub: _Open | None = None
    restart_next: int | None = None  # the number the restarted series expects next

    def close_sub() -> None:
        nonlocal sub
        if current is not None and sub is not None:
            current.children.append(sub.close())
        sub = None

    for p in paragraphs:
        head = _heading(p.text)
        level = head[0] if head is not None else 0
        if head is not None and level == 1 and current is not None:
            number, parent = _ordinal(head[1]), _ordinal(current.number)
            if number is not None and parent is not None:
                if (restart_next is not None and number == restart_next) or (
                    restart_next is None and number <= parent
                ):
                    level, restart_next = 2, number + 1
                else:
                    restart_next = None
        if head is not None and (level == 1 or current is None):
            close_sub()
            if current is not None:
                top.append(current.close())
            current = _Open(1, head[1], head[2], p)
        elif head is not None and current is not None:
            close_sub()
            sub = _Open(2, head[1], head[2], p)
        elif sub is not None:
            sub.lines.append(p)
        elif current is not None:
            current.lines.append(p)
    close_sub()
    if current is not None:
        top.append(current.close())
    return tuple(top)
