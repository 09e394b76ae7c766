"""Numbers as people write them: 60, 160, 12.5 — never 6E+1 nor 60.0000."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def as_written(value: Decimal | int) -> str:
    """The number without trailing zeros, exponent or grouping, for inputs, files and the
    history: Decimal("60.0000") → "60", Decimal("0.6250") → "0.625"."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def formatted(value: Decimal | int) -> str:
    """The number as written, with the reader's locale: 69,966 or 12.5 (69.966 and 12,5 in
    Spanish); at most two decimals."""
    number = Decimal(as_written(value))
    exponent = number.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=min(places, 2), use_l10n=True, force_grouping=True)


def money(value: Decimal | int) -> str:
    """An amount of money with the reader's locale: whole as 25,000, else to the cent —
    12,000.50, never 12,000.5."""
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent(value: Decimal) -> str:
    """A percentage given in percent, to a tenth: 23.33 → 23.3 %."""
    rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 1
    return f"{number_format(rounded, decimal_pos=places, use_l10n=True)} %"
