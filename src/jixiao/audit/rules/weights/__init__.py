"""WT: weights (indicator weights, declared 一级 weights, total 100)."""

CODES: tuple[str, ...] = ("WT01", "WT02", "WT03")
