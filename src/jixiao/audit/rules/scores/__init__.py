"""SC: scores (above weight, totals, grade, score vs the scoring method)."""

CODES: tuple[str, ...] = ()
