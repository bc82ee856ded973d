"""Words placed on a page: what a PDF's text layer or OCR of a scanned page gives, before
any table is found in them.

Coordinates are in the page's own units (points for a PDF's text layer, pixels for an
image), ``top`` measured down from the top edge, as pdfplumber gives them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None  # OCR's confidence, 0–1; None for a text layer

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2
