"""CP: completeness (goals, header fields, required categories)."""

CODES: tuple[str, ...] = ("CP01", "CP02", "CP03")
