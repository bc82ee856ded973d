"""XC: cross-checks across tables and text."""

CODES: tuple[str, ...] = ("XC01", "XC02")
