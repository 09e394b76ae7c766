"""Numbers as people write them: 60, 160, 12.5 — never 6E+1 nor 60.0000."""

from decimal import Decimal


def as_written(value: Decimal | int) -> str:
    """The number without trailing zeros, exponent or grouping, for inputs, files and the
    history: Decimal("60.0000") → "60", Decimal("0.6250") → "0.625"."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")
