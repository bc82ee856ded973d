"""VL: values (no number where one is needed, dropped units, unreadable)."""

CODES: tuple[str, ...] = ()
