"""PDF through headless LibreOffice (``jixiao.libreoffice``): one ``soffice`` run converts
a whole batch, with a private profile, killed whole when it runs too long. The fonts are
embedded by LibreOffice's PDF export; ``render_pdf`` writes the report with fonts this
machine has, so what is embedded is what was meant.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jixiao import scratch
from jixiao.libreoffice import convert, find_soffice
from jixiao.model import Report
from jixiao.render.fonts import installed_plan
from jixiao.scoring import EvaluationScore

BASE_TIMEOUT, PER_FILE_TIMEOUT = 60.0, 30.0  # seconds
log = logging.getLogger("jixiao.libreoffice")
MISSING = (
    "生成 PDF 需要 LibreOffice（soffice），但本机没有找到。请安装 LibreOffice"
    "（Debian/Ubuntu：apt-get install libreoffice-writer），"
    "或用环境变量 JIXIAO_SOFFICE 指明 soffice 的位置"
)


class RenderError(Exception):
    """A document that could not be produced; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def convert_batch(
    docx_paths: Sequence[str | Path],
    outdir: str | Path,
    *,
    timeout: float | None = None,
) -> list[Path]:
    """Convert Word files to PDF in ``outdir`` (same stems) with one LibreOffice run.

    Returns the PDF paths in input order; ``RenderError`` when LibreOffice is missing,
    times out (default: 60 s plus 30 s a file) or leaves a file unconverted.
    """
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise RenderError(MISSING)
    for path in paths:
        if not path.is_file():
            raise RenderError(f"找不到要转换的文件：{path}")
    stems = [p.stem for p in paths]
    duplicates = sorted({s for s in stems if stems.count(s) > 1})
    if duplicates:
        raise RenderError(f"同一批转换中有同名文件（{'、'.join(duplicates)}），PDF 会互相覆盖")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    limit = timeout if timeout is not None else BASE_TIMEOUT + PER_FILE_TIMEOUT * len(paths)
    targets = [out / f"{p.stem}.pdf" for p in paths]
    for target in targets:
        target.unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
    try:
        returncode, detail = convert(soffice, paths, "pdf:writer_pdf_Export", out, limit)
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"LibreOffice 转换 PDF 超过 {limit:.0f} 秒仍未完成，已放弃") from error
    except OSError as error:
        log.warning("LibreOffice (%s) did not start: %s", soffice, error)
        raise RenderError("无法启动 LibreOffice，请联系管理员检查安装") from error
    missing = [p.name for p, t in zip(paths, targets, strict=True) if not t.is_file()]
    if missing or returncode != 0:
        names = "、".join(missing) or "（全部）"
        # what LibreOffice said is English and names temporary files: for the log only
        log.warning("LibreOffice PDF export failed (exit %s): %s", returncode, detail)
        raise RenderError(f"LibreOffice 未能把以下文件转换为 PDF：{names}")
    return targets


def render_pdf(
    report: Report,
    path: str | Path,
    *,
    scores: Sequence[EvaluationScore] | None = None,
    charts: bool = True,
) -> None:
    """Write ``report`` as a PDF: the Word report (in fonts this machine has) converted."""
    from jixiao.render.docx import render_docx

    target = Path(path)
    with tempfile.TemporaryDirectory(prefix=f"{scratch.PREFIX}pdf-") as work:
        source = Path(work) / f"{target.stem or 'report'}.docx"
        render_docx(report, source, scores=scores, charts=charts, fonts=installed_plan())
        (pdf,) = convert_batch([source], work)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), target)
