"""Parse one file: read it, recognise its tables and narrative, and say what went wrong."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.ingest.forms.allocation import looks_like_allocation, recognise_allocation
from jixiao.ingest.forms.basic_data import looks_like_basic_data, recognise_basic_data
from jixiao.ingest.forms.confidence import assess, scanned, with_notes
from jixiao.ingest.forms.continued import CONTINUED, continues, join_tables
from jixiao.ingest.forms.evaluation import looks_like_evaluation, recognise_evaluation
from jixiao.ingest.forms.flowed import looks_flowed, recognise_flowed
from jixiao.ingest.forms.stream import read_streamed
from jixiao.ingest.narrative import read_narrative
from jixiao.ingest.raw import Paragraph, RawDocument, RawTable, ReadError
from jixiao.ingest.readers import read_document_bytes
from jixiao.model import Evaluation, Report, SourceRef

MAX_BYTES = 200 * 1024 * 1024
_YEAR = re.compile(r"(\d{4})\s*年")
_FOOTER = re.compile(r"(填表人|填报人|填报日期|联系电话)[:：]\s*(\S*)")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that could not be read (``errors``) or was repaired (``notes``)."""

    message: str
    source: SourceRef | None = None


@dataclass
class ParsedFile:
    path: str
    report: Report | None = None
    other_tables: list[RawTable] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def read_file(path: Path) -> bytes:
    """A file's bytes; ``ReadError`` when it is missing, a directory, too large or unreadable."""
    try:
        if path.is_dir():
            raise ReadError("这是一个目录，不是文件")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_large(size)
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("文件不存在") from None
    except OSError as error:
        raise ReadError(f"无法读取文件（{error.strerror}）") from None


def _too_large(size: int) -> ReadError:
    mb = 1024 * 1024
    return ReadError(f"文件过大（{size // mb} MB，上限 {MAX_BYTES // mb} MB）")


def parse_file(path: str | Path) -> ParsedFile:
    """Never raises for bad input: what went wrong is in ``errors``."""
    path = Path(path)
    try:
        data = read_file(path)
    except ReadError as error:
        return ParsedFile(str(path), errors=[Problem(error.message, SourceRef(file=str(path)))])
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, name: str) -> ParsedFile:
    """``parse_file`` of a file's bytes; ``name`` (its suffix says the format) is what messages
    and sources call the file. Never raises for bad input."""
    result = ParsedFile(name)
    try:
        if len(data) > MAX_BYTES:
            raise _too_large(len(data))
        document = read_document_bytes(data, name)
    except ReadError as error:
        result.errors.append(Problem(error.message, error.source or SourceRef(file=name)))
        return result
    _recognise(document, result)
    return result


def _nearby_title(paragraphs: list[Paragraph]) -> str | None:
    for p in reversed(paragraphs[-3:]):
        if "表" in p.text and len(p.text) <= 40:
            return re.sub(r"\s+", "", p.text)
    return None


def _title_row(table: RawTable) -> str | None:
    """A spreadsheet keeps its title inside the grid: a first row that is one merged text."""
    for row in table.texts()[:2]:
        texts = {re.sub(r"\s+", "", t) for t in row if t.strip()}
        if len(texts) == 1:
            (text,) = texts
            if "表" in text and len(text) <= 40:
                return text
    return None


def _recognise(document: RawDocument, result: ParsedFile) -> None:
    narrative = read_narrative(document.paragraphs)
    evaluations: list[Evaluation] = []
    basic, allocations = [], []
    before: list[Paragraph] = []
    blocks = list(document.blocks)
    last: tuple[RawTable, str | None, int | None] | None = None  # the last evaluation's grid
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            before.append(block)
            continue
        title = _nearby_title(before) or _title_row(block)
        year_match = _YEAR.search(title or "")
        year = int(year_match.group(1)) if year_match else narrative.year
        if last is not None and continues(block, before):
            # the same table on a new page (header repeated, perhaps a 续表 line between)
            block = join_tables(last[0], block)
            title, year = last[1], last[2]
            evaluations.pop()
            result.notes.append(Problem(CONTINUED, block.source))
        if looks_like_evaluation(block):
            recognised = recognise_evaluation(block, title, year)
            evaluation = _with_footer(recognised.evaluation, blocks[index + 1 :])
            evaluation = assess(evaluation, rebuilt=False, repairs=len(recognised.notes))
            evaluation, read_by_ocr = scanned(evaluation, block)
            recognised.notes[:0] = [(note, block.source) for note in read_by_ocr]
            evaluation = with_notes(evaluation, recognised.notes)
            evaluations.append(evaluation)
            result.notes.extend(Problem(m, s) for m, s in recognised.notes)
            last = (block, title, year)
        elif looks_like_basic_data(block):
            basic.append(recognise_basic_data(block, title, year))
        elif looks_like_allocation(block):
            allocations.append(recognise_allocation(block, title))
        else:
            result.other_tables.append(block)
        if not looks_like_evaluation(block):
            last = None
        before = []
    if not evaluations:
        _read_gridless(document, narrative.year, evaluations, result)
    unread = _unread(document) if not evaluations else None
    if unread is not None:
        result.notes.append(Problem(UNREAD, unread))
    mentions = any("绩效" in p.text for p in document.paragraphs[:50])
    if not evaluations and not basic and not allocations and not mentions:
        message = "没有找到预算绩效自评表或自评报告的内容，请确认是否为绩效自评材料"
        result.errors.append(Problem(message, SourceRef(file=document.path)))
    result.report = Report(
        title=narrative.title,
        unit=narrative.unit or _unit(evaluations),
        year=narrative.year,
        date=narrative.date,
        sections=narrative.sections,
        evaluations=_link(evaluations),
        basic_data=tuple(basic),
        allocations=tuple(allocations),
        unread=(unread,) if unread is not None else (),
        source=SourceRef(file=document.path),
    )


UNREAD = "此处有绩效自评表的文字，但未能读出表格的行列（文字顺序错乱或挤在一起），请与原件核对"
# Words only a self-evaluation table's body holds (a report's text names the table, not these).
_TABLE_BODY = ("年度资金总额", "三级指标", "年初预算数", "全年执行数", "年度指标值")


def _unread(document: RawDocument) -> SourceRef | None:
    """Where a self-evaluation table shows in the text though none could be read: a line
    with 年度资金总额 or 三级指标 (a report's prose names the table, not its rows), or two
    lines with the table's other column words."""
    found = [p for p in document.paragraphs if any(w in p.text for w in _TABLE_BODY)]
    strong = [p for p in found if any(w in p.text for w in _TABLE_BODY[:2])]
    if strong:
        return strong[0].source
    return found[0].source if len(found) >= 2 else None


def _filled(evaluations: list[Evaluation]) -> int:
    """How much a reading found: indicators with a weight, funds rows with a figure."""
    return sum(
        sum(i.weight is not None for i in e.indicators)
        + sum(r.annual_budget is not None or r.executed is not None for r in e.funds.rows)
        for e in evaluations
    )


def _read_gridless(
    document: RawDocument, year: int | None, evaluations: list[Evaluation], result: ParsedFile
) -> None:
    """Tables whose grid the text lost: rebuilt from their cells (``forms.stream``) or, for
    the PDF text the flowed reader knows (rows flowed line by line), by that reader; the
    reading that finds more is kept (the flowed one alone when its sums already hold)."""
    readings: list[tuple[list[Evaluation], list[tuple[str, SourceRef | None]]]] = []
    if looks_flowed(list(document.paragraphs)):
        title = next(
            (
                re.sub(r"\s+", "", p.text)
                for p in document.paragraphs
                if "自评表" in p.text and len(p.text) <= 40
            ),
            None,
        )
        year_match = _YEAR.search(title or "")
        flowed, notes = recognise_flowed(
            list(document.paragraphs), title, int(year_match.group(1)) if year_match else year
        )
        readings.append(([with_notes(assess(flowed, rebuilt=True), notes)], notes))
    if not readings or not _whole(readings[0][0][0]):
        streamed = read_streamed(document, year)
        readings.append(([r.evaluation for r in streamed], [n for r in streamed for n in r.notes]))
    found, notes = max(readings, key=lambda reading: _filled(reading[0]))  # a tie: the first
    evaluations.extend(found)
    result.notes.extend(Problem(m, s) for m, s in notes)


def _whole(evaluation: Evaluation) -> bool:
    """A reading with its indicators' weights and scores all read and a 总分 row."""
    rows = evaluation.indicators
    complete = all(i.weight is not None and i.score is not None for i in rows)
    total = evaluation.total
    return len(rows) >= 3 and complete and None not in (total.weight, total.score)


def _unit(evaluations: list[Evaluation]) -> str | None:
    return next(
        (e.department or e.name for e in evaluations if e.kind == "department"), None
    ) or next((e.department for e in evaluations if e.department), None)


def _with_footer(evaluation: Evaluation, following: list[Paragraph | RawTable]) -> Evaluation:
    """填表人 / 填报日期 / 联系电话 from the lines under the table, up to the next table."""
    found: dict[str, str] = {}
    for block in following[:6]:
        if isinstance(block, RawTable):
            break
        for label, value in _FOOTER.findall(block.text):
            if value:
                found.setdefault("填表人" if label == "填报人" else label, value)
    extra = dict(evaluation.extra)
    if "联系电话" in found:
        extra["联系电话"] = found["联系电话"]
    return dataclasses.replace(
        evaluation, filled_by=found.get("填表人"), filled_on=found.get("填报日期"), extra=extra
    )


def _link(evaluations: list[Evaluation]) -> tuple[Evaluation, ...]:
    """Sub-direction tables (name = parent's name + （支出方向）) become the parent's children."""
    top: list[Evaluation] = []
    for evaluation in evaluations:
        parent = next(
            (
                p
                for p in reversed(top)
                if p.name
                and evaluation.name
                and evaluation.name != p.name
                and evaluation.name.startswith(p.name)
            ),
            None,
        )
        if parent is None:
            top.append(evaluation)
            continue
        i = top.index(parent)
        top[i] = dataclasses.replace(parent, children=(*parent.children, evaluation))
    return tuple(top)
