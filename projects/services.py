"""Writes about projects, their partners, places, beneficiaries and results."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Organisation

from .models import BeneficiaryGroup, Funding, Location, Partnership, Project, Result


@transaction.atomic
def save_location(
    *, name: str, kind: str, parent: Location | None = None, code: str = ""
) -> Location:
    location, _created = Location.objects.update_or_create(
        name=name, parent=parent, defaults={"kind": kind, "code": code}
    )
    return location


@transaction.atomic
def save_project(
    *,
    code: str,
    title: str,
    planned_start: date,
    planned_end: date,
    summary: str = "",
    status: str = Project.Status.ACTIVE,
    budget: Decimal | None = None,
    currency: str = "EUR",
    dates_note: str = "",
    source: str = "",
    is_public: bool = False,
    locations: list[Location] | None = None,
) -> Project:
    """Create the project with this code, or bring it up to date."""
    if planned_end < planned_start:
        raise ValidationError({"planned_end": _("The end must not come before the start.")})
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("A budget cannot be negative.")})
    project, _created = Project.objects.update_or_create(
        code=code,
        defaults={
            "title": title,
            "summary": summary,
            "status": status,
            "planned_start": planned_start,
            "planned_end": planned_end,
            "budget": budget,
            "currency": currency,
            "dates_note": dates_note,
            "source": source,
            "is_public": is_public,
        },
    )
    if locations is not None:
        project.locations.set(locations)
    return project


@transaction.atomic
def set_funding(
    *,
    project: Project,
    funder: Organisation,
    amount: Decimal | None,
    currency: str,
    instrument: str = "",
    date: date | None = None,
    liaison: str = "",
) -> Funding:
    """Record a funder's contribution; the funder also becomes a funding partner (IATI role 1)."""
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("A contribution cannot be negative.")})
    funding, _created = Funding.objects.update_or_create(
        project=project,
        funder=funder,
        instrument=instrument,
        defaults={"amount": amount, "currency": currency, "date": date, "liaison": liaison},
    )
    Partnership.objects.get_or_create(
        project=project, organisation=funder, role=Partnership.Role.FUNDING
    )
    return funding


@transaction.atomic
def set_partnership(
    *, project: Project, organisation: Organisation, role: int, note: str = ""
) -> Partnership:
    partnership, _created = Partnership.objects.update_or_create(
        project=project, organisation=organisation, role=role, defaults={"note": note}
    )
    return partnership


@transaction.atomic
def save_beneficiary_group(
    *,
    project: Project,
    name: str,
    description: str = "",
    estimated_size: int | None = None,
    women_share: Decimal | None = None,
    minors_share: Decimal | None = None,
) -> BeneficiaryGroup:
    for field, share in (("women_share", women_share), ("minors_share", minors_share)):
        if share is not None and not Decimal(0) <= share <= 1:
            raise ValidationError({field: _("A share is a fraction between 0 and 1.")})
    group, _created = BeneficiaryGroup.objects.update_or_create(
        project=project,
        name=name,
        defaults={
            "description": description,
            "estimated_size": estimated_size,
            "women_share": women_share,
            "minors_share": minors_share,
        },
    )
    return group


@transaction.atomic
def save_result(
    *,
    project: Project,
    number: str,
    level: str,
    title: str,
    parent: Result | None = None,
    description: str = "",
    order: int = 0,
) -> Result:
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": _("A result can only contribute to its own project.")})
    result, _created = Result.objects.update_or_create(
        project=project,
        number=number,
        defaults={
            "level": level,
            "title": title,
            "parent": parent,
            "description": description,
            "order": order,
        },
    )
    return result
