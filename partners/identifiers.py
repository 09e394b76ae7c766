"""IATI organisation identifiers: a registration agency's code from IATI's
OrganisationRegistrationAgency codelist (a dated copy in `reference/`), a hyphen, and the number
that agency gave the organisation, e.g. PE-RUC-20100047218 or XM-DAC-41304."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODELIST = Path(__file__).parent / "reference" / "organisation_registration_agency.tsv"
# Letters, digits and - . _ : / only; IATI identifiers may not hold spaces.
CHARACTERS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._/-]*$")


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    withdrawn: bool


@cache
def agencies() -> dict[str, Agency]:
    with CODELIST.open(encoding="utf-8", newline="") as lines:
        rows = csv.DictReader((line for line in lines if not line.startswith("#")), delimiter="\t")
        return {
            row["code"]: Agency(row["code"], row["name"], row["status"] == "withdrawn")
            for row in rows
        }


def agency_of(identifier: str) -> Agency | None:
    """The agency whose code begins the identifier. Every code is a country (or XI, XM…)
    and a list's name, so it is the identifier's first two parts."""
    parts = identifier.split("-", 2)
    if len(parts) < 2:
        return None
    return agencies().get(f"{parts[0]}-{parts[1]}".upper())


def validate_organisation_identifier(value: str) -> None:
    if not value:
        return
    if not CHARACTERS.match(value):
        raise ValidationError(
            _("An identifier has letters, digits and - . _ : / only, and no spaces."),
            code="characters",
        )
    agency = agency_of(value)
    if agency is None:
        raise ValidationError(
            _(
                "%(identifier)s does not begin with the code of a registration agency in "
                "IATI's list (for example PE-RUC for Peru's taxpayer register, XM-DAC for the "
                "OECD's lists, XI-IATI for identifiers IATI gives)."
            ),
            code="unknown_agency",
            params={"identifier": value},
        )
    if agency.withdrawn:
        raise ValidationError(
            _("IATI has withdrawn the list %(code)s (%(name)s): use another register."),
            code="withdrawn_agency",
            params={"code": agency.code, "name": agency.name},
        )
    number = value[len(agency.code) + 1 :]
    if not number.strip("-"):
        raise ValidationError(
            _("Add the number %(name)s gave the organisation after %(code)s-."),
            code="missing_number",
            params={"code": agency.code, "name": agency.name},
        )
