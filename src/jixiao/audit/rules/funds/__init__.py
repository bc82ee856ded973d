"""FD: the funds block (执行率, 执行得分, funds rows)."""

CODES: tuple[str, ...] = ("FD01", "FD02", "FD03", "FD04", "FD05")
