"""TG: targets set too low, vague or unmeasurable."""

CODES: tuple[str, ...] = ("TG01", "TG02")
