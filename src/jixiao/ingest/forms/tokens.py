"""A table that lost its grid, as the cells it still shows: one token per cell, in order.

Web pages, Word exports and PDFs hand over tables as text in several ways; each keeps the
cells in reading order but loses where one row ends:
- ``a |`` / ``a | b | c |``: a ``|`` after each cell, an empty cell as a bare ``|``, a cell
  broken over lines ending only at its ``|`` (web-page extraction);
- cells separated by blank lines, an empty cell as a line holding only a space (Word's
  text export);
- one cell per line;
- several cells on one line separated by spaces (PDF text).
Labels broken over cells (``年初`` / ``预算数``, ``年度预`` / ``算申请``) are joined back when
together they spell a label the forms use. Rows are rebuilt from the tokens elsewhere
(``forms.stream``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from jixiao.ingest.cells import amount, clean
from jixiao.ingest.forms.glued import BLOCK_WEIGHT, holds_cells, holds_table, looks_glued, segment
from jixiao.ingest.forms.spelling import normalise
from jixiao.ingest.forms.vocabulary import LEVEL1
from jixiao.model import SourceRef


@lru_cache(maxsize=1 << 16)
def normal(text: str) -> str:
    """``normalise`` of a cell's text (cells repeat: cached)."""
    return normalise(text)


EMPTY_MARKS = frozenset({"", "/", "—", "——", "-", "--", "\\", "－", "／"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the cell's text, lines joined
    source: SourceRef | None = None
    first: bool = False  # the first cell on its line (where a line is a row, a row starts)

    @property
    def key(self) -> str:
        return normal(self.text)

    @property
    def blank(self) -> bool:
        return self.key in EMPTY_MARKS

    @property
    def number(self) -> bool:
        return amount(self.text) is not None

    @property
    def money(self) -> str:
        """The text of an amount written with its unit, "150万" → "150" (万元 is the unit
        of the forms' amounts); other text as it is."""
        bare = self.key.removesuffix("万元").removesuffix("万")
        return bare if bare != self.key and amount(bare) is not None else self.text


_PIPE = re.compile(r"\s*\|\s*")


def _source(file: str, line: int, text: str) -> SourceRef:
    return SourceRef(file=file, line=line, excerpt=text[:30] or None)


_STANDALONE = re.compile(r"自评表|^[-•·]\s|[:：]")


def _apart(pending: list[tuple[int, str]], file: str) -> tuple[list[Token], list[tuple[int, str]]]:
    """Lines without a bar before a barred line: the last one or two may be the start of
    its first cell (a cell broken over lines); lines before those, and a title, a list item
    or a "label: value" line among several, stand on their own."""
    if len(pending) < 2:
        return [], pending
    cut = len(pending) - 2
    for i, (_, text) in enumerate(pending):
        if _STANDALONE.search(text):
            cut = max(cut, i + 1)
    alone = [Token(clean(t), _source(file, n, t), first=True) for n, t in pending[:cut]]
    return alone, pending[cut:]


def _pipe_tokens(lines: Sequence[str], first: int, file: str) -> list[Token]:
    piped = [line.strip() for line in lines if "|" in line]
    # "| cell" lines (the bar opens each cell) rather than "cell |" (the bar closes it)
    leading = sum(p.startswith("|") and not p.endswith("|") for p in piped) > len(piped) // 2
    out: list[Token] = []
    pending: list[tuple[int, str]] = []  # lines of a cell that has not met its "|" yet
    for n, line in enumerate(lines, first):
        if "|" not in line:
            if line.strip().startswith(("http://", "https://")):
                out.append(Token(line.strip(), _source(file, n, line.strip())))  # an address
            elif line.strip():
                pending.append((n, line.strip()))
            continue
        alone, pending = _apart(pending, file)
        out.extend(alone)
        parts = _PIPE.split(line.strip())
        if parts and parts[-1] == "":
            parts.pop()  # the "|" that closes the last cell
        opened = False
        for i, part in enumerate(parts):
            if leading and i == 0 and not part and not pending:
                continue  # nothing stands before the bar that opens this line's cell
            joined = [t for _, t in pending] if i == 0 else []
            text = "\n".join([*joined, part])
            where = pending[0][0] if i == 0 and pending else n
            out.append(Token(clean(text), _source(file, where, text), first=not opened))
            opened = True
            pending = []
        if not parts and pending:
            out.extend(_pending_cell(pending, file))
            pending = []
    if pending:
        out.extend(_pending_cell(pending, file))
    return out


def _pending_cell(pending: list[tuple[int, str]], file: str) -> list[Token]:
    text = "\n".join(t for _, t in pending)
    return [Token(clean(text), _source(file, pending[0][0], pending[0][1]))]


def _spaced_tokens(lines: Sequence[str], first: int, file: str) -> list[Token]:
    """Cells separated by blank lines; a line of spaces is an empty cell."""
    out: list[Token] = []
    cell: list[str] = []
    start = first
    for n, line in enumerate(lines, first):
        if line.strip():
            if not cell:
                start = n
            cell.append(line.strip())
            continue
        if cell:
            out.append(Token(clean("\n".join(cell)), _source(file, start, cell[0])))
            cell = []
        elif line and not line.strip(" \t\r\n"):
            out.append(Token("", _source(file, n, "")))  # "　" / " ": an empty cell
    if cell:
        out.append(Token(clean("\n".join(cell)), _source(file, start, cell[0])))
    return out


def _line_tokens(lines: Sequence[str], first: int, file: str) -> list[Token]:
    """One cell per line, or several separated by spaces (PDF text: Chinese cells seldom
    hold a space, so a space is where one cell ends)."""
    out: list[Token] = []
    for n, line in enumerate(lines, first):
        parts = segment(line) if looks_glued(line) else line.split()
        out.extend(Token(clean(p), _source(file, n, p), first=i == 0) for i, p in enumerate(parts))
    return out


def _unglued(tokens: list[Token], glued: Callable[[str], bool] = looks_glued) -> list[Token]:
    """Cells that are whole tables run together, cut into their cells."""
    out: list[Token] = []
    for token in tokens:
        if glued(token.text):
            out.extend(Token(clean(p), token.source) for p in segment(token.text))
        else:
            out.append(token)
    return out


_PAGE_MARK = re.compile(r"^\s*(\d{1,2})、")


def _join_pages(lines: Sequence[str]) -> list[str]:
    """Document-sharing sites print a table as one line a page, each opened by "1、", "2、",
    … wherever the page broke (inside a cell, a number even): the pages joined again."""
    out: list[str] = []
    page = 0  # the number of the last page mark met
    at = -1  # the line the pages are joined on
    for line in lines:
        mark = _PAGE_MARK.match(line)
        number = int(mark.group(1)) if mark else 0
        if mark and page and number == page + 1 and looks_glued(out[at]):
            out[at] += line[mark.end() :].strip()
            out.append("")  # keep the line count: sources stay on their lines
            page = number
        elif mark and number == 1 and looks_glued(line):
            at, page = len(out), 1
            out.append(line[mark.end() :])
        else:
            out.append(line)
    return out


def tokenise(lines: Sequence[str], file: str, first_line: int = 1) -> tuple[list[Token], str]:
    """The cells of ``lines`` and the way they were told apart (pipe, spaced or lines)."""
    lines = _join_pages(lines)
    filled = [line for line in lines if line.strip()]
    if not filled:
        return [], "lines"
    piped = sum("|" in line for line in filled)
    if piped >= max(3, len(filled) // 3):
        return _unglued(_pipe_tokens(lines, first_line, file), holds_table), "pipe"
    blank = len(lines) - len(filled)
    if blank >= len(filled) * 0.6:
        return _unglued(_spaced_tokens(lines, first_line, file), holds_cells), "spaced"
    return _unglued(_line_tokens(lines, first_line, file), holds_cells), "lines"


OPEN_WEIGHT = re.compile(r"[（(]\d{1,3}(?:\.\d)?分")


def _weighing(joined: str, known: frozenset[str]) -> bool:
    """A label with the start of its block weight ("效益指标(30")."""
    found = _PARTIAL_WEIGHT.search(joined)
    return found is not None and joined[: found.start()] in known


def _weighed(tokens: Sequence[Token], i: int, known: frozenset[str], longest: int) -> int:
    """Where a label broken over cells together with its block weight ends ("效益指" +
    "标(30" + "分)" → "效益指标(30分)"), or 0."""
    joined = tokens[i].key
    for j in range(i + 1, min(i + longest, len(tokens))):
        joined += tokens[j].key
        found = BLOCK_WEIGHT.search(joined)
        if found and found.end() == len(joined) and joined[: found.start()] in known:
            return j + 1
        if not _weighing(joined, known) and joined not in known:
            return 0
    return 0


_PARTIAL_WEIGHT = re.compile(r"[（(]\d{0,3}(?:\.\d?)?分?$")


def _interleaved(
    tokens: Sequence[Token], known: frozenset[str], prefixes: frozenset[str]
) -> list[Token]:
    """Labels of side-by-side cells broken over lines, read line by line across the cells
    ("服务对象满 | 指标1:是否满意 | (10分 | 意度指标"): a label's start joined with the end
    one or two cells on that completes it, the cells between kept after it."""
    out = list(tokens)
    i = 0
    while i < len(out):
        start = out[i].key
        if len(start) >= 2 and start in prefixes and start not in known:
            for gap in (1, 2):
                at = i + 1 + gap
                if at < len(out) and start + out[at].key in known:
                    between = out[i + 1 : at]
                    if any(t.key in prefixes or t.key in known for t in between):
                        break  # a label of its own between: not a cell read across
                    joined = Token(start + out[at].key, out[i].source, out[i].first)
                    out[i : at + 1] = [joined, *between]
                    break
        i += 1
    return out


def _weightless(out: list[Token]) -> int | None:
    """A 一级 label among the last three cells, with no weight of its own."""
    for at in range(len(out) - 1, max(-1, len(out) - 4), -1):
        if out[at].key in LEVEL1:
            return at
    return None


_QUANTITY = re.compile(r"^\d+(?:\.\d+)?[\u4e00-\u9fff]{1,2}$")  # "5000吨", "1.2万亩"
_ENUMERATED = re.compile(r"[\u4e00-\u9fff]{2,}、")  # "稻谷、": words cut inside an enumeration


def _enumerations(tokens: Sequence[Token], known: frozenset[str]) -> list[Token]:
    """A cell cut inside an enumeration ("5000吨 | 稻谷、 | 500吨 | 成品粮储备到位率"): no cell
    ends with 、, so a piece that does is joined with the piece after it, and with the
    quantity just before it on its line ("5000吨稻谷、500吨成品粮储备到位率")."""
    out: list[Token] = []
    carry: Token | None = None
    for token in tokens:
        if carry is not None:
            if token.blank or token.key in known:
                out.append(carry)
            else:
                token = Token(carry.text + token.text, carry.source, carry.first)
            carry = None
        if _ENUMERATED.fullmatch(token.key):
            before = out[-1] if out else None
            if (
                before is not None
                and _QUANTITY.match(before.key)
                and not token.first
                and not token.key[0].isdigit()
            ):
                out.pop()
                token = Token(before.text + token.text, before.source, before.first)
            carry = token
            continue
        out.append(token)
    if carry is not None:
        out.append(carry)
    return out


def rejoin(tokens: Sequence[Token], labels: Iterable[str], longest: int = 4) -> list[Token]:
    """Join runs of up to ``longest`` tokens that together spell one of ``labels`` and are
    not a label on their own (``年初`` + ``预算数`` → ``年初预算数``)."""
    known = frozenset(labels)
    prefixes = frozenset(label[:i] for label in known for i in range(1, len(label)))
    tokens = _enumerations(_interleaved(tokens, known, prefixes), known)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        joined, used = tokens[i].key, 1
        best = None
        if joined and joined not in known and joined in prefixes:
            for j in range(i + 1, min(i + longest, len(tokens))):
                joined += tokens[j].key
                if joined in known:
                    best = j - i + 1
                    break
                if joined not in prefixes and not _weighing(joined, known):
                    break
        first = tokens[i].key
        if not best and first in prefixes:  # "效益指" + "标(30" + "分)": with its weight
            end = _weighed(tokens, i, known, longest)
            if end:
                best = end - i
        closing = tokens[i + 1].key if i + 1 < len(tokens) else ""
        if not best and closing in (")", "）") and OPEN_WEIGHT.fullmatch(first):
            best = 2  # "(50分" + ")": a block's weight whose bracket the text moved on
            at = len(out) - 1 if out and out[-1].key in known else _weightless(out)
            if at is not None:
                out[at] = Token(out[at].key + first + closing, out[at].source, out[at].first)
                i += best
                continue
        if best:
            used = best
            text = "".join(t.key for t in tokens[i : i + used])
            out.append(Token(text, tokens[i].source, tokens[i].first))
        elif out and BLOCK_WEIGHT.fullmatch(tokens[i].key) and out[-1].key in known:
            # "产出指标" + "(60分)" on the next line: the block's weight stays with its name
            out[-1] = Token(out[-1].key + tokens[i].key, out[-1].source, out[-1].first)
        elif BLOCK_WEIGHT.fullmatch(tokens[i].key) and (at := _weightless(out)) is not None:
            # "满意度指标 | 服务对象满意度指标 | 指标1:是否满意 | (10分)": the 一级 cell's second
            # line, read after the first line of the cells beside it
            out[at] = Token(out[at].key + tokens[i].key, out[at].source, out[at].first)
        else:
            out.append(tokens[i])
        i += used
    return out
