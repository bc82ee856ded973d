"""DV: deviation explanations (偏差原因分析) missing where required."""

CODES: tuple[str, ...] = ("DV01", "DV02", "DV03")
