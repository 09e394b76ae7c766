"""Checks shared by the services, with messages for people."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TEXT_LENGTH = 10_000


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


def refuse_nul_and_oversize(**texts: str) -> None:
    errors = {}
    for field, text in texts.items():
        if "\x00" in text:
            errors[field] = _("The text contains a NUL character, which cannot be stored.")
        elif len(text) > MAX_TEXT_LENGTH:
            errors[field] = _("The text is longer than %(limit)s characters.") % {
                "limit": f"{MAX_TEXT_LENGTH:,}"
            }
    if errors:
        raise ValidationError(errors)
