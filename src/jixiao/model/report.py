"""A whole self-evaluation report: narrative sections plus the tables attached to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.model.evaluation import Evaluation
from jixiao.model.source import SourceRef
from jixiao.model.tables import AllocationTable, BasicData


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """A number stated in the narrative ("实际支出4465.5万元"), kept for cross-checks."""

    text: str
    value: Decimal
    unit: str | None = None
    context: str | None = None
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A narrative section: its number (一、 / （一） / 1.), heading, text and subsections."""

    heading: str
    number: str | None = None
    level: int = 1
    text: str = ""
    figures: tuple[StatedFigure, ...] = ()
    children: tuple[Section, ...] = ()
    source: SourceRef | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """What one document holds."""

    title: str | None = None
    unit: str | None = None
    year: int | None = None
    date: str | None = None
    sections: tuple[Section, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    basic_data: tuple[BasicData, ...] = ()
    allocations: tuple[AllocationTable, ...] = ()
    # Where the text shows a self-evaluation table that could not be read (its words are
    # there, its rows could not be put back): not the unit's omission, a reading to check.
    unread: tuple[SourceRef, ...] = ()
    source: SourceRef | None = None
