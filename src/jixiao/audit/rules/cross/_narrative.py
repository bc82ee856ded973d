"""Sentences of the narrative with their stated figures, for rules that check text (XC03/04/07).

A figure's sentence is where its meaning lives ("2021年…达到", "比上年增加…"); these helpers
give each sentence with the figures in it (and their places), the headings above it and
the paragraph it came from, and compare written numbers at the precision they show. The
sentences are cut once per audit (``report_sentences``) and shared by the rules; many words
are looked for in a text in one pass (``Finder``), however many there are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

import ahocorasick

from jixiao.audit.rule import Checked, Context
from jixiao.model import Report, Section, SourceRef, StatedFigure

_SENTENCE_END = re.compile(r"[。！？；;!?]")
_SPACE = re.compile(r"\s+")
CLAUSE_MARKS = "，,；;：:、。"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# Table rows read as text (a PDF's scrambled table, "奖励企业 10家 8家 10 8"): two numbers
# with nothing but a space (and perhaps a unit) between them, or a tab.
_TABLE_ROW = re.compile(r"\t|\d\s*(?:[%％]|万元|亿元|元|家|个|项|件|名|人)?[ \u3000]+\d")
# Amounts in 万元: how many 万元 one written unit is.
MONEY = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(frozen=True, slots=True)
class Placed:
    """A stated figure and where it stands in its sentence (character offsets)."""

    figure: StatedFigure
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    figures: tuple[Placed, ...]
    headings: tuple[str, ...]  # the section headings above it, outermost first
    source: SourceRef | None  # the paragraph it belongs to


def sentences(report: Report | None) -> Iterator[Sentence]:
    """Every sentence of the narrative that states at least one figure, in order."""
    for section in report.sections if report is not None else ():
        yield from _walk(section, ())


def report_sentences(context: Context) -> tuple[Sentence, ...]:
    """``sentences`` of the audited report, cut once for all the rules that read them."""
    return context.derived(_all_sentences)


def _all_sentences(_tables: tuple[Checked, ...], report: Report | None) -> tuple[Sentence, ...]:
    return tuple(sentences(report))


def texts(sections: Iterable[Section]) -> Iterator[str]:
    """Every heading and text of the narrative, sections before their subsections."""
    for section in sections:
        yield section.heading
        yield section.text
        yield from texts(section.children)


def _walk(section: Section, above: tuple[str, ...]) -> Iterator[Sentence]:
    path = (*above, section.heading)
    yield from _section(section, path)
    for child in section.children:
        yield from _walk(child, path)


def _section(section: Section, path: tuple[str, ...]) -> Iterator[Sentence]:
    """Give each line of the section back its figures (they come in order, one source each)."""
    pending, i = section.figures, 0
    for line in section.text.split("\n"):
        placed: list[Placed] = []
        position = 0
        source = pending[i].source if i < len(pending) else None
        while i < len(pending) and pending[i].source == source:
            at = line.find(pending[i].text, position)
            if at < 0:
                break
            placed.append(Placed(pending[i], at, at + len(pending[i].text)))
            position, i = at + len(pending[i].text), i + 1
        if placed:
            yield from _split(line, placed, path, source)


def _split(
    line: str, placed: list[Placed], path: tuple[str, ...], source: SourceRef | None
) -> Iterator[Sentence]:
    start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(line)]
    for end in [*ends, len(line)]:
        inside = tuple(
            Placed(p.figure, p.start - start, p.end - start)
            for p in placed
            if start <= p.start < end
        )
        if inside and not _TABLE_ROW.search(line[start:end]):
            yield Sentence(line[start:end], inside, path, source)
        start = end


def half_unit(value: Decimal, exact: bool = False) -> Decimal:
    """Half the last written digit: 0.005 for 3.06, 0.5 for 120 (how far rounding may move it);
    0 for a whole number that counts things (``exact``: 120家 is 120, not 119.5 to 120.5)."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if exact and places == 0:
        return Decimal(0)
    return Decimal(5).scaleb(-places - 1)


def overlap(a: Decimal, half_a: Decimal, b: Decimal, half_b: Decimal, tolerance: Decimal) -> bool:
    """True when a ± half_a and b ± half_b can be the same number (give or take tolerance)."""
    return abs(a - b) <= half_a + half_b + tolerance


def in_wan(figure: StatedFigure) -> tuple[Decimal, Decimal] | None:
    """A money figure in 万元 with its rounding half-unit; None for anything else."""
    factor = MONEY.get(figure.unit or "")
    if factor is None:
        return None
    return figure.value * factor, half_unit(figure.value) * factor


def years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


@functools.lru_cache(maxsize=4096)  # built for every indicator name at every figure
def spaced(word: str) -> re.Pattern[str]:
    """``word`` allowing whitespace between its characters (text exports space out numbers)."""
    return re.compile(r"\s*".join(re.escape(c) for c in word if not c.isspace()))


def only_words(text: str, words: Iterable[str]) -> bool:
    """True when ``text`` (whitespace ignored) is nothing but ``words`` one after another."""
    compact = _SPACE.sub("", text)
    if not compact:
        return True
    sequence = _sequence(tuple(words))
    return sequence is not None and sequence.fullmatch(compact) is not None


@functools.lru_cache(maxsize=256)  # a rule's option: the same few tuples every time
def _sequence(words: tuple[str, ...]) -> re.Pattern[str] | None:
    choices = sorted({w for w in words if w}, key=len, reverse=True)
    if not choices:
        return None
    return re.compile(f"(?:{'|'.join(map(re.escape, choices))})+")


def any_word(text: str, words: Sequence[str]) -> bool:
    compact = _SPACE.sub("", text)
    return any(w and w in compact for w in words)


def clause_start(text: str, position: int) -> int:
    """Where the clause holding ``position`` begins (after the last comma, colon…)."""
    return max((text.rfind(mark, 0, position) for mark in CLAUSE_MARKS), default=-1) + 1


def quote(text: str, limit: int = 40, end: int | None = None) -> str:
    """A sentence as a short quotation, whitespace removed; a long one is cut around the
    figure that ends at ``end`` (…全年预算金额192.31万元…)."""
    whole = compact(text).rstrip("。；;，,")
    if len(whole) <= limit:
        return whole
    head = compact(text[:end]) if end is not None else whole[: limit - 1]
    if len(head) < limit:
        return head + "…"
    return "…" + head[-(limit - 1) :]


def compact(text: str) -> str:
    return _SPACE.sub("", text)


def plain(text: str | None) -> str:
    """``text`` in one form however it was typed (full-width letters and digits made
    half-width, NFKC) and without whitespace: how names are compared."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


class Finder:
    """Many words looked for in a text at once: an Aho-Corasick automaton goes over the text
    in one pass whatever the number of words (a report's every indicator name in its
    narrative), where ``str.find`` word by word goes over it once per word."""

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in words:
            if word:
                self._automaton.add_word(word, word)
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> Iterator[tuple[int, str]]:
        """(start, word) for every place a word occurs, overlaps included, by where it ends."""
        if self._empty:
            return
        for last, word in self._automaton.iter(text):
            yield last - len(word) + 1, word

    def places(self, text: str) -> dict[str, list[int]]:
        """Where each word found starts in ``text``, in order (found by where it ends: for
        one word, the same order)."""
        found: dict[str, list[int]] = {}
        for start, word in self.find(text):
            found.setdefault(word, []).append(start)
        return found
