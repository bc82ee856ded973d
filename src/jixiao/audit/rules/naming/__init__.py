"""NM 指标名称：被截断或残缺的指标名称。"""

CODES: tuple[str, ...] = ("NM01",)
