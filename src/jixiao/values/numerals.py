"""Chinese numerals (两个, 十家, 三千, 一万二千五百) to ``Decimal``."""

from __future__ import annotations

from decimal import Decimal

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def chinese_to_decimal(text: str) -> Decimal | None:
    """Read a Chinese numeral; ``None`` when ``text`` is not one.

    >>> chinese_to_decimal("一万二千五百")
    Decimal('12500')
    >>> chinese_to_decimal("十五")
    Decimal('15')
    """
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        return None
    total = 0  # finished big-unit sections
    section = 0  # the current section below 万
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row ("一二") is not a numeral
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            if section == 0 and total == 0:
                return None
            total = (total + section) * BIG_UNITS[ch]
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))
