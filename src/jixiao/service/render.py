"""Rendering files: load an evaluation or a report, write it as a form, atomically.

Each output format is one line of ``FORMATS``: its renderer, and whether it takes the
scheme chooser (formulas follow the scheme) or the scores, or returns text. A renderer is
imported when a file is rendered in that format (python-docx and matplotlib load only for
the formats that need them), by a plain import that tools and type checks follow.
"""

from __future__ import annotations

import dataclasses
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.loading import LoadError
from jixiao.model import Evaluation, Report
from jixiao.service.reading import read_report

STDOUT = "-"
Renderer = Callable[..., Any]


def _xlsx() -> Renderer:
    from jixiao.render.xlsx import render_xlsx

    return render_xlsx


def _docx() -> Renderer:
    from jixiao.render.docx import render_docx

    return render_docx


def _pdf() -> Renderer:
    from jixiao.render.pdf import render_pdf

    return render_pdf


def _markdown() -> Renderer:
    from jixiao.render.markdown import render_markdown

    return render_markdown


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    suffix: str
    renderer: Callable[[], Renderer]  # imports the renderer and returns it
    schemes: bool = False  # called with scheme_for=Service.scheme_for
    scores: bool = False  # called with scores=[the rescored top-level evaluations]
    text: bool = False  # returns the document as a string instead of writing a path


FORMATS = (
    Format("xlsx", ".xlsx", _xlsx, schemes=True),
    Format("docx", ".docx", _docx, scores=True),
    Format("pdf", ".pdf", _pdf, scores=True),
    Format("md", ".md", _markdown, text=True),
)


def available_formats() -> list[str]:
    """The output formats, in the order of ``FORMATS``."""
    return [f.name for f in FORMATS]


def _format(name: str) -> Format:
    found = next((f for f in FORMATS if f.name == name), None)
    if found is None:
        raise LoadError.single(name, f"不支持的输出格式（可用：{'、'.join(available_formats())}）")
    return found


def renderable(
    source: str | Path | bytes,
    name: str | None = None,
    evaluations: tuple[Evaluation, ...] | None = None,
) -> Report:
    """The report ``read_report`` finds in a file (a path, or its bytes named ``name``);
    ``LoadError`` (Chinese, naming the file and the place) when it cannot be read or holds
    nothing to render. ``evaluations`` (the tables as stored, edits included) stand in for
    the tables read: the file still gives the narrative, the 基础数据表 and the allocation
    tables. The CLI renders a file and the web app a stored report through this one
    function, so both make the same documents."""
    read = read_report(source, name)
    report = read.report
    if evaluations is not None:
        return dataclasses.replace(report or Report(), evaluations=evaluations)
    if report is None or not (report.evaluations or report.basic_data):
        if read.errors:
            raise read.load_error()
        raise LoadError.single(read.name, "文件中没有找到绩效自评表")
    return report


def output_path(source: str | Path, fmt: str, output: str | None) -> Path:
    """``output`` as given, else the input's name with the format's suffix beside it (never
    the input itself: ``报告.xlsx`` rendered to xlsx becomes ``报告-自评表.xlsx``)."""
    if output:
        return Path(output)
    source = Path(source)
    suffix = _format(fmt).suffix
    target = source.with_suffix(suffix)
    return source.with_name(f"{source.stem}-自评表{suffix}") if target == source else target


_REASONS = {
    errno.ENOENT: "目录不存在",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "这是一个目录",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "只读文件系统",
}


def _cannot_write(target: Path, error: OSError) -> LoadError:
    reason = _REASONS.get(error.errno or 0, error.strerror or str(error))
    return LoadError.single(str(target), f"无法写入输出文件（{reason}）")


def _mode_for(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(target: Path, write: Any) -> None:
    """Call ``write(temporary_path)`` beside ``target`` and rename it over ``target``, so an
    existing file is replaced whole or not at all."""
    import tempfile  # here: ``check`` imports this module and never writes a file

    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent or Path("."), prefix=f".{target.stem}.", suffix=target.suffix
        )
    except OSError as error:
        raise _cannot_write(target, error) from error
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(target, error) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render_report(service: Any, report: Report, fmt: str, target: str) -> str | None:
    """Render ``report`` to ``target`` (a path, or ``-`` for a text format: the text is
    returned for the caller to print)."""
    chosen = _format(fmt)
    function = chosen.renderer()
    extra: dict[str, Any] = {"scheme_for": service.scheme_for} if chosen.schemes else {}
    if chosen.scores:
        extra["scores"] = [service.score(evaluation) for evaluation in report.evaluations]
    if chosen.text:
        text: str = function(report, **extra)
        if target == STDOUT:
            return text
        write_atomically(Path(target), lambda p: p.write_text(text, encoding="utf-8"))
        return None
    if target == STDOUT:
        raise LoadError.single(STDOUT, f"{chosen.name} 格式不能输出到标准输出，请用 -o 给出文件")
    write_atomically(Path(target), lambda p: function(report, p, **extra))
    return None


def render_file(
    service: Any, path: str | Path, fmt: str, output: str | None
) -> tuple[str, str | None]:
    """Load ``path`` and render it; returns (where it was written, text for ``-``)."""
    _format(fmt)
    report = renderable(path)
    target = STDOUT if output == STDOUT else str(output_path(path, fmt, output))
    return target, render_report(service, report, fmt, target)


REVIEW_FORMATS = ("docx", "xlsx")


def write_review(results: Any, fmt: str, target: str | Path) -> Path:
    """Write the review opinion (审核意见) of checked files to ``target``, whole or not at
    all; ``fmt`` is docx or xlsx."""
    from jixiao.render.review import review_docx, review_xlsx

    write = review_docx if fmt == "docx" else review_xlsx
    path = Path(target)
    items = list(results)
    write_atomically(path, lambda p: write(items, p))
    return path


def write_report_charts(service: Any, path: str | Path, directory: str | Path) -> list[Path]:
    """The charts of every table of ``path`` as PNG files under ``directory``: one folder
    per self-evaluation table (表1, 表2…) when the report has several."""
    from jixiao.render.charts import write_charts

    report = renderable(path)
    evaluations = report.evaluations
    if not evaluations:
        raise LoadError.single(str(path), "没有可画图的自评表")
    folder = Path(directory)
    written: list[Path] = []
    try:
        for number, evaluation in enumerate(evaluations, start=1):
            target = folder / f"表{number}" if len(evaluations) > 1 else folder
            written += write_charts(evaluation, target, service.score(evaluation))
    except OSError as error:
        raise _cannot_write(folder, error) from error
    return written
