"""XC: cross-checks across tables and text."""

CODES: tuple[str, ...] = ()
