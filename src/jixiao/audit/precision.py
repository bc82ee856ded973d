"""Compare a written figure with a computed one at the precision it was written with.

A correct report never trips on rounding: "9.26" written for 9.258 is right, "9" written
for 9.99 is not (rounded to a whole number it is 10).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def at_precision_of(written: Decimal, computed: Decimal) -> Decimal:
    """``computed`` rounded to as many decimals as ``written`` shows."""
    exponent = written.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return computed.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def agrees(written: Decimal, computed: Decimal, tolerance: Decimal = Decimal(0)) -> bool:
    """True when the written figure equals the computed one at the written precision."""
    return abs(written - at_precision_of(written, computed)) <= tolerance
