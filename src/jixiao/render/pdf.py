"""PDF through headless LibreOffice: one ``soffice`` process converts a whole batch.

Each batch gets a private LibreOffice profile (``-env:UserInstallation``), so batches may
run side by side and never touch the user's own settings; a batch that runs too long is
killed with its whole process group. The fonts are embedded by LibreOffice's PDF export;
``render_pdf`` writes the report with fonts this machine has, so what is embedded is
what was meant.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jixiao.model import Report
from jixiao.render.fonts import installed_plan
from jixiao.scoring import EvaluationScore

BASE_TIMEOUT, PER_FILE_TIMEOUT = 60.0, 30.0  # seconds
MISSING = (
    "生成 PDF 需要 LibreOffice（soffice），但本机没有找到。请安装 LibreOffice"
    "（Debian/Ubuntu：apt-get install libreoffice-writer），"
    "或用环境变量 JIXIAO_SOFFICE 指明 soffice 的位置"
)
_CANDIDATES = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice*/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)


class RenderError(Exception):
    """A document that could not be produced; ``message`` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def find_soffice() -> str | None:
    """The LibreOffice executable: $JIXIAO_SOFFICE, the PATH, then the usual places."""
    configured = os.environ.get("JIXIAO_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in _CANDIDATES:
        for match in sorted(glob.glob(pattern)):
            if Path(match).is_file():
                return match
    return None


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
    profile = Path(tempfile.mkdtemp(prefix="jixiao-lo-profile-"))
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(out.resolve()),
        *(str(p.resolve()) for p in paths),
    ]
    targets = [out / f"{p.stem}.pdf" for p in paths]
    for target in targets:
        target.unlink(missing_ok=True)  # a stale PDF must not pass for a fresh one
    try:
        returncode, detail = _run(command, limit)
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"LibreOffice 转换 PDF 超过 {limit:.0f} 秒仍未完成，已放弃") from error
    except OSError as error:
        raise RenderError(f"无法启动 LibreOffice（{soffice}）：{error}") from error
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    missing = [p.name for p, t in zip(paths, targets, strict=True) if not t.is_file()]
    if missing or returncode != 0:
        names = "、".join(missing) or "（全部）"
        reason = f"：{detail[:300]}" if detail else ""
        raise RenderError(f"LibreOffice 未能把以下文件转换为 PDF：{names}{reason}")
    return targets


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run soffice in its own process group, killed whole on timeout (it forks soffice.bin)."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.communicate()
            raise
    return process.returncode, (err or out).decode("utf-8", errors="replace").strip()


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
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as work:
        source = Path(work) / f"{target.stem or 'report'}.docx"
        render_docx(report, source, scores=scores, charts=charts, fonts=installed_plan())
        (pdf,) = convert_batch([source], work)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), target)
