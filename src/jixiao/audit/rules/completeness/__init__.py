"""CP: completeness (goals, header fields, required categories)."""

CODES: tuple[str, ...] = ()
