"""The report written in the web app (生成报告): the drafted report as the editor's HTML, the
edited HTML kept to a few plain tags, and that text read back as the report's narrative and
checked against its table again, or written as Word.

The editor's HTML holds the sections only (the title is the table's): ``<h2>`` for 一、…,
``<h3>`` for （一）…, ``<p>`` and list items for the lines, ``<mark>`` around 【待填写】. Read
back, each block is a line of text, as a paragraph of an uploaded report is: the audit takes
the narrative the same way from both (``ingest.narrative.read_narrative``).
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from jixiao.audit import AuditSettings, Finding, run_audit
from jixiao.ingest.narrative import read_narrative
from jixiao.ingest.raw import Paragraph
from jixiao.model import Evaluation, Report, Section
from jixiao.render.outline import PLACEHOLDER
from jixiao.service.audit import _tables
from jixiao.service.draft import Draft, draft_report
from jixiao.service.facade import Service

# What the editor may keep: its three buttons' tags (加粗, 标题, 列表), paragraphs and line
# breaks, the 【待填写】 mark. Every other tag is dropped, its text kept (a script's or a
# style's text too is dropped); no attribute is ever kept.
ALLOWED = frozenset({"p", "br", "b", "strong", "i", "em", "h2", "h3", "ul", "ol", "li", "mark"})
DROPPED_WHOLE = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript"})
# Block elements of other editors (a paste from Word or a web page) read as paragraphs
AS_PARAGRAPH = frozenset({"div", "h1", "h4", "h5", "h6", "blockquote", "pre", "section", "tr"})
BLOCKS = frozenset({"p", "h2", "h3", "li"})
LARGEST_TEXT = 2_000_000  # characters of HTML a save may bring (a long report is ~50,000)
CROSS_CHECK = "XC"
_MARKER = re.compile(re.escape(PLACEHOLDER))


class ReportTextError(ValueError):
    """Edited text that cannot be kept, with what the user is told."""


def draft_html(draft: Draft) -> str:
    """The drafted report's sections as the editor's HTML (the same table: the same HTML)."""
    return "".join(_section_html(section) for section in draft.report.sections)


def _section_html(section: Section) -> str:
    if section.level <= 1:
        head = f"<h2>{html.escape(f'{section.number}、{section.heading}')}</h2>"
    else:
        head = f"<h3>{html.escape(f'（{section.number}）{section.heading}')}</h3>"
    lines = [line for line in section.text.splitlines() if line.strip()]
    body = "".join(f"<p>{_marked(line)}</p>" for line in lines)
    return head + body + "".join(_section_html(child) for child in section.children)


def _marked(line: str) -> str:
    """A line escaped, each 【待填写】 in it marked (the editor shows it highlighted)."""
    return _MARKER.sub(f"<mark>{PLACEHOLDER}</mark>", html.escape(line, quote=False))


def sanitise(text: str) -> str:
    """``text`` (the editor's HTML) kept to ``ALLOWED`` tags without attributes, every text
    escaped: nothing a browser would run survives. ``ReportTextError`` for a text too long."""
    if len(text) > LARGEST_TEXT:
        raise ReportTextError(f"报告正文过长（超过 {LARGEST_TEXT // 10000} 万字符），未保存")
    if not text.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(text, create_parent="div")
    except (etree.ParserError, ValueError):
        return f"<p>{html.escape(text, quote=False)}</p>"
    return "".join(_clean_children(root)).strip()


def _clean_children(element: Any) -> Iterator[str]:
    if element.text:
        yield html.escape(element.text, quote=False)
    for child in element:
        yield from _clean(child)
        if child.tail:
            yield html.escape(child.tail, quote=False)


def _clean(element: Any) -> Iterator[str]:
    tag = element.tag.lower() if isinstance(element.tag, str) else None
    if tag is None or tag in DROPPED_WHOLE:  # a comment, a processing instruction, a script
        return
    if tag in AS_PARAGRAPH:
        tag = "p"
    if tag == "br":
        yield "<br>"
        return
    inner = "".join(_clean_children(element))
    if tag in ALLOWED:
        yield f"<{tag}>{inner}</{tag}>"
    else:
        yield inner


def text_lines(text: str) -> list[str]:
    """The lines of the edited HTML, one per paragraph, heading or list item (a line break
    within one starts a new line), as a document reader gives its paragraphs."""
    if not text.strip():
        return []
    root = lxml_html.fragment_fromstring(text, create_parent="div")
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(element: Any) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        block = tag in BLOCKS or tag in AS_PARAGRAPH or tag in ("ul", "ol")
        if block:
            flush()
        if tag == "br":
            flush()
        elif element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return lines


def written_report(draft: Draft, text: str) -> Report:
    """The report with the edited ``text`` as its narrative (read as a document's
    paragraphs are), its title, unit, year and tables the draft's."""
    title = draft.report.title or ""
    paragraphs = [Paragraph(line) for line in [title, *text_lines(text)] if line]
    return dataclasses.replace(draft.report, sections=read_narrative(paragraphs).sections)


@dataclass(frozen=True, slots=True)
class Written:
    """The edited text of a table's report: the report it makes, checked against the
    table (the cross-check rules' findings: the text's figures against the table's)."""

    draft: Draft
    report: Report
    findings: tuple[Finding, ...]

    def docx(self) -> bytes:
        """The Word document: cover, the edited text, the tables and charts as 附件."""
        return Draft(self.report, self.draft.scores).docx()


def drafted(
    service: Service, evaluation: Evaluation, unit: str | None, settings: AuditSettings
) -> Draft:
    """The drafted report of a stored table (deterministic: the same table, the same text)."""
    source = Report(unit=unit, year=evaluation.year, evaluations=(evaluation,))
    return draft_report(source, service=service, settings=settings)


def check_text(
    service: Service,
    evaluation: Evaluation,
    unit: str | None,
    text: str,
    settings: AuditSettings,
) -> Written:
    """The edited ``text`` read as the report of ``evaluation`` and checked against it
    again: what the cross-check rules (XC*) find in it."""
    draft = drafted(service, evaluation, unit, settings)
    report = written_report(draft, text)
    findings = run_audit(_tables(service, report.evaluations), report, settings)
    return Written(draft, report, cross_checks(findings))


def cross_checks(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.code.startswith(CROSS_CHECK))
