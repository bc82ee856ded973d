"""SC: scores (above weight, totals, grade, score vs the scoring method)."""

CODES: tuple[str, ...] = ("SC01", "SC02", "SC03", "SC04", "SC05", "SC06")
