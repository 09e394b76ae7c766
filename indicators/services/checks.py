"""Checks shared by the services, with messages for people."""

from decimal import Decimal

from django.utils.translation import gettext as _

from portfolio.checks import MAX_TEXT_LENGTH, refuse_nul_and_oversize
from portfolio.numbers import as_written

__all__ = ["MAX_TEXT_LENGTH", "fraction_refusal", "problem_message", "refuse_nul_and_oversize"]


def problem_message(code: str) -> str:
    messages = {
        "negative": _("Values cannot be negative."),
        "parts_not_equal_total": _(
            "The categories of this dimension cover everyone, so they must add up to the total."
        ),
        "parts_above_total": _("The categories add up to more than the total."),
        "shares_above_one": _("The shares of this dimension add up to more than 100 %."),
        "share_out_of_range": _("A share must be between 0 % and 100 %."),
        "value_or_share": _("Give either a value or a share, not both."),
    }
    return messages[code]


def fraction_refusal(number: Decimal, unit: str) -> str:
    """What is said of a fraction where the indicator counts whole people or things."""
    if unit:
        return _("%(number)s is not a whole number: this indicator counts whole %(unit)s.") % {
            "number": as_written(number),
            "unit": unit,
        }
    return _("%(number)s is not a whole number: this indicator counts in whole numbers.") % {
        "number": as_written(number)
    }
