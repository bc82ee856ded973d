"""VL: values (no number where one is needed, dropped units, unreadable)."""

CODES: tuple[str, ...] = ("VL01", "VL02", "VL03")
