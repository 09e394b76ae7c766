"""Currencies: the ISO 4217 list as the iso-codes project publishes it
(https://salsa.debian.org/iso-codes-team/iso-codes), read through pycountry 26.2.16 (released
16 February 2026), with the currencies' names in the reader's language from the same project.

The portal never converts between currencies; it only makes sure a code is a real one."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

# Offered first: the currencies the portal's NGOs and their funders report in most.
USUAL = ("PEN", "USD", "EUR", "GBP", "CHF", "CAD")

# Codes people type that are no ISO 4217 code, and the currency they mean. The Peruvian sol's
# code is PEN ("S/" is its symbol); nothing else is guessed.
MEANT = {"SOL": "PEN", "S/": "PEN", "S/.": "PEN", "SOLES": "PEN"}


@cache
def _names() -> dict[str, str]:
    return {currency.alpha_3: currency.name for currency in pycountry.currencies}


def is_currency(code: str) -> bool:
    return code in _names()


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso4217", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def name_of(code: str, language: str | None = None) -> str:
    """The currency's name in the language (the current one by default): "Sol" → "Sol"."""
    english = _names().get(code)
    if english is None:
        return code
    return _translation(language or get_language() or "en").gettext(english)


def currency_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every ISO 4217 currency as (code, "PEN · Sol"), the usual ones first, then by code."""
    return list(_choices_in(language or get_language() or "en"))


@cache
def _choices_in(language: str) -> tuple[tuple[str, str], ...]:
    # Every form with a currency asks for these: named once per language.
    rest = sorted(code for code in _names() if code not in USUAL)
    return tuple((code, f"{code} · {name_of(code, language)}") for code in (*USUAL, *rest))


def meant(code: str) -> str | None:
    """The ISO code a typed currency stands for, or None when it names none."""
    cleaned = code.strip().upper()
    if is_currency(cleaned):
        return cleaned
    return MEANT.get(cleaned)
