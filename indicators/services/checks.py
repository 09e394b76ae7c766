"""Checks shared by the services, with messages for people."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.checks import MAX_TEXT_LENGTH, refuse_nul_and_oversize, share_out_of_range
from core.numbers import as_written

__all__ = [
    "MAX_TEXT_LENGTH",
    "Conflict",
    "Problems",
    "fraction_refusal",
    "problem_message",
    "refuse_nul_and_oversize",
]


class Conflict(ValidationError):
    """The update's state does not allow this now (its status, or a locked period): nothing was
    wrong with what was sent, so trying again later, after the state changed, may succeed."""


class Problems:
    """Collects the refusals of several checks, so that a person sees them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.only_conflicts = True

    def add(self, error: ValidationError) -> None:
        self.only_conflicts = self.only_conflicts and isinstance(error, Conflict)
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.errors.setdefault(field, []).extend(messages)
        else:
            self.errors.setdefault("__all__", []).extend(error.messages)

    @contextmanager
    def collect(self) -> Iterator[None]:
        """Run a check, keeping its refusal instead of stopping at it."""
        try:
            yield
        except ValidationError as error:
            self.add(error)

    def raise_any(self) -> None:
        # A locked period alone is a conflict (try again once unlocked); with anything wrong in
        # what was sent, it is a plain refusal listing everything.
        if self.errors:
            if self.only_conflicts:
                raise Conflict(self.errors)
            raise ValidationError(self.errors)


def problem_message(code: str) -> str:
    messages = {
        "negative": _("Values cannot be negative."),
        "parts_not_equal_total": _(
            "The categories of this dimension cover everyone, so they must add up to the total."
        ),
        "parts_above_total": _("The categories add up to more than the total."),
        "shares_above_one": _("The shares of this dimension add up to more than 100 %."),
        "share_out_of_range": share_out_of_range(),
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
