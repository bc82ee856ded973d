"""NM: naming (cut-off or malformed indicator names)."""

CODES: tuple[str, ...] = ("NM01",)
