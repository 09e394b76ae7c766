"""Checks of free text, currencies and shares shared by every app's services."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TEXT_LENGTH = 10_000


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


def currency_refusal(code: str) -> str:
    """What is said of a currency that is no ISO 4217 code."""
    return _(
        "%(code)s is not an ISO 4217 currency code: choose one from the list, such as PEN, "
        "USD or EUR."
    ) % {"code": code or "—"}


def share_out_of_range() -> str:
    """What is said of a share (a fraction of a group, 0 to 1) outside 0 % to 100 %."""
    return _("A share must be between 0 % and 100 %.")


def share_refusal(share: Decimal | None) -> str | None:
    if share is not None and not Decimal(0) <= share <= 1:
        return share_out_of_range()
    return None


def share_problems(**shares: Decimal | None) -> dict[str, str]:
    """The refusal of each share that is not a fraction of one, by its field's name."""
    refusals = {name: share_refusal(share) for name, share in shares.items()}
    return {name: refusal for name, refusal in refusals.items() if refusal is not None}
