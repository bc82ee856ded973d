"""One way in: a file, from its path or its bytes and name, read as a report whatever its format."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jixiao.document import EVALUATION_SUFFIXES, load_evaluation_bytes
from jixiao.ingest import Problem, parse_bytes, read_file
from jixiao.ingest.raw import RawTable, ReadError
from jixiao.ingest.readers import CONVERTED, READERS
from jixiao.loading import LoadError
from jixiao.loading import Problem as LoadProblem
from jixiao.loading.errors import format_path
from jixiao.model import Report, SourceRef

# Every suffix jixiao reads, in the registry's order: evaluation files, then the readers.
READABLE: tuple[str, ...] = (*EVALUATION_SUFFIXES, *READERS, *CONVERTED)


@dataclass(frozen=True, slots=True)
class ReadReport:
    """What one file held: the report (None when nothing could be read), what could not be
    read (``errors``), what was repaired (``notes``) and the tables no form matched."""

    name: str
    report: Report | None = None
    errors: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    other_tables: tuple[RawTable, ...] = ()

    def messages(self) -> list[str]:
        """Each error as ``file:place: message``."""
        return [problem_text(p, self.name) for p in self.errors]

    def error_text(self) -> str:
        """The first error as ``file:place: message``, and how many more there are."""
        if not self.errors:
            return ""
        more = f"（另有 {len(self.errors) - 1} 处）" if len(self.errors) > 1 else ""
        return problem_text(self.errors[0], self.name) + more

    def load_error(self) -> LoadError:
        """The errors as a ``LoadError`` (what the CLI prints as ``错误：file:place: …``)."""
        return LoadError([_load_problem(p, self.name) for p in self.errors])


def problem_text(problem: Problem, name: str) -> str:
    """The one wording of a read problem: ``file:place: message``."""
    return f"{_where(problem, name)}: {problem.message}"


def _where(problem: Problem, name: str) -> str:
    source = problem.source
    if source is None:
        return name
    return dataclasses.replace(source, file=source.file or name).label()


def _load_problem(problem: Problem, name: str) -> LoadProblem:
    """A line alone stays the loaders' ``file:line`` (with its number); any other place
    (表2:行5, a page, a sheet) goes with the file, as ``problem_text`` words it."""
    source = problem.source
    if source is not None and source == SourceRef(file=source.file, line=source.line):
        return LoadProblem(source.file or name, problem.message, source.line)
    return LoadProblem(_where(problem, name), problem.message)


def unsupported(name: str, also: tuple[str, ...] = ()) -> str:
    """Why a file of this type is refused, listing what is readable (and ``also``)."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower() or "（无扩展名）"
    known = "、".join(sorted({s.lstrip(".") for s in (*READABLE, *also)}))
    return f"不支持的文件类型“{suffix}”（支持：{known}）"


def read_report(source: str | Path | bytes, name: str | None = None) -> ReadReport:
    """Read an evaluation file (.yaml/.yml/.json) or a report in any readable format.

    ``source`` is a path, or a file's bytes (an upload, a stored document: nothing is
    written to disk, except by LibreOffice for .doc/.wps/.et/.rtf); ``name`` is what
    messages and sources call the file (required with bytes; the path by default), and
    its suffix says the format. Never raises for bad input: what went wrong is in ``errors``.
    """
    if isinstance(source, bytes):
        if name is None:
            raise TypeError("read_report(bytes) needs the file's name")
        content = source
    else:
        path = Path(source)
        name = str(path) if name is None else name
        try:
            content = read_file(path)
        except ReadError as error:
            return ReadReport(name, errors=(Problem(error.message, SourceRef(file=name)),))
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix in EVALUATION_SUFFIXES:
        return _evaluation_file(content, name)
    if suffix not in READABLE:
        return ReadReport(name, errors=(Problem(unsupported(name), SourceRef(file=name)),))
    parsed = parse_bytes(content, name)
    return ReadReport(
        name,
        parsed.report,
        tuple(parsed.errors),
        tuple(parsed.notes),
        tuple(parsed.other_tables),
    )


def _evaluation_file(content: bytes, name: str) -> ReadReport:
    """An evaluation file as a one-table report; each problem keeps its line and key."""
    try:
        evaluation = load_evaluation_bytes(content, name)
    except LoadError as error:
        errors = tuple(
            Problem(_keyed(p), SourceRef(file=p.file, line=p.line)) for p in error.problems
        )
        return ReadReport(name, errors=errors)
    return ReadReport(name, Report(evaluations=(evaluation,), source=SourceRef(file=name)))


def _keyed(problem: LoadProblem) -> str:
    """The message with the key it is about, as ``str(problem)`` shows it after the place."""
    key = format_path(problem.path)
    return f"{key}：{problem.message}" if key else problem.message
