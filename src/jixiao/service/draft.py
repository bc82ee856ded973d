"""Drafting a report from its tables: read, rescore, audit, write the draft as Word or Markdown.

``draft_report`` is what the CLI (``jixiao draft``) and the web (生成报告) call; the text
itself is written by ``jixiao.render.draft``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from jixiao.audit import AuditSettings, run_audit
from jixiao.loading import LoadError
from jixiao.model import Evaluation, Report
from jixiao.render.draft import draft_markdown
from jixiao.render.draft import draft_report as write_sections
from jixiao.scoring import EvaluationScore, Scheme
from jixiao.service.audit import _tables
from jixiao.service.facade import Service
from jixiao.service.render import renderable, write_atomically

SUFFIXES = (".docx", ".md")


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted report (its sections written, its tables as they were) and its scores."""

    report: Report
    scores: tuple[EvaluationScore, ...]

    def markdown(self) -> str:
        return draft_markdown(self.report)

    def docx(self) -> bytes:
        """The Word document: cover, the drafted sections, the tables and charts as 附件."""
        from jixiao.render import docx_base
        from jixiao.render.docx import build_document

        return bytes(docx_base.save_bytes(build_document(self.report, scores=self.scores)))


def draft_report(
    source: Report | Evaluation,
    scheme: Scheme | None = None,
    *,
    service: Service | None = None,
    settings: AuditSettings | None = None,
) -> Draft:
    """Draft the report of ``source`` (a read report, or one evaluation): every table scored
    by ``scheme`` when given, else by the scheme ``service`` chooses for it (as ``jixiao
    check`` does); problems from the audit with ``settings``. The report's own text is not
    audited (the draft replaces it)."""
    report = source if isinstance(source, Report) else Report(evaluations=(source,))
    if not report.evaluations:
        raise LoadError.single(report_name(report), "文件中没有找到绩效自评表，无法起草报告")
    if scheme is not None:
        service = Service(scheme_override=scheme.name, default_scheme=scheme)
    service = service or Service()
    tables = _tables(service, report.evaluations)
    findings = run_audit(tables, dataclasses.replace(report, sections=()), settings)
    scores = tuple(c.score for c in tables if c.parent is None)
    return Draft(write_sections(report, scores, findings), scores)


def report_name(report: Report) -> str:
    """What messages call the report: its file, else its title."""
    return (report.source.file if report.source else None) or report.title or "报告"


def draft_file(service: Service, path: str | Path) -> Draft:
    """Read ``path`` (an evaluation document or any readable report) and draft its report;
    ``LoadError`` naming the file when it cannot be read or holds no table."""
    return draft_report(renderable(path), service=service)


def draft_output(source: str | Path, output: str | None) -> Path:
    """``output`` as given (.docx or .md), else ``<input>-报告.docx`` beside the input."""
    if output:
        target = Path(output)
        if target.suffix.lower() not in SUFFIXES:
            raise LoadError.single(output, "报告草稿只能写成 .docx 或 .md 文件")
        return target
    source = Path(source)
    return source.with_name(f"{source.stem}-报告.docx")


def write_draft(draft: Draft, target: Path) -> None:
    """Write the draft to ``target``, whole or not at all: Markdown for .md, else Word."""
    if target.suffix.lower() == ".md":
        text = draft.markdown()
        write_atomically(target, lambda p: p.write_text(text, encoding="utf-8"))
    else:
        data = draft.docx()
        write_atomically(target, lambda p: p.write_bytes(data))
