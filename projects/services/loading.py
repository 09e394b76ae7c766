"""Writes that load data as given (the demo, seeds): the project with this code, brought up to
date, without asking who writes."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.checks import share_problems
from core.translations import Translated, clean_translations
from partners.models import Organisation
from projects.models import BeneficiaryGroup, Funding, Location, Partnership, Project, Result

from .activity_identifier import fix_activity_identifier
from .consent import record_consent
from .dates import actual_date_problems


def _language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    return language


def _translations_of(
    model: type[Translated], translations: Mapping[str, Mapping[str, str]] | None
) -> dict[str, Any]:
    """The `translations` to store, when given: nothing to change otherwise."""
    return {} if translations is None else {"translations": clean_translations(model, translations)}


@transaction.atomic
def save_location(
    *,
    name: str,
    kind: str,
    parent: Location | None = None,
    code: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    location, _created = Location.objects.update_or_create(
        name=name,
        parent=parent,
        defaults={"kind": kind, "code": code, "latitude": latitude, "longitude": longitude},
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
    actual_start: date | None = None,
    actual_end: date | None = None,
    budget: Decimal | None = None,
    currency: str = "EUR",
    dates_note: str = "",
    source: str = "",
    is_public: bool = False,
    locations: list[Location] | None = None,
    sectors: str = "",
    language: str = settings.LANGUAGE_CODE,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Project:
    """Create the project with this code, or bring it up to date."""
    if planned_end < planned_start:
        raise ValidationError({"planned_end": _("The end must not come before the start.")})
    if budget is not None and budget < 0:
        raise ValidationError({"budget": _("A budget cannot be negative.")})
    problems = actual_date_problems(status, actual_start, actual_end)
    if problems:
        raise ValidationError(problems)
    project, _created = Project.objects.update_or_create(
        code=code,
        defaults={
            "title": title,
            "summary": summary,
            "status": status,
            "planned_start": planned_start,
            "planned_end": planned_end,
            "actual_start": actual_start,
            "actual_end": actual_end,
            "budget": budget,
            "currency": currency,
            "dates_note": dates_note,
            "source": source,
            "is_public": is_public,
            "sectors": sectors,
            "language": _language(language),
            **_translations_of(Project, translations),
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
    confirmed: bool = True,
) -> Funding:
    """Record a funder's contribution; the funder also becomes a funding partner (IATI role 1).
    Loaded data (the demo, a migration of records) comes confirmed; the set-up pages pass
    `confirmed=False` and ask the funder."""
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("A contribution cannot be negative.")})
    funding, _created = Funding.every.update_or_create(
        project=project,
        funder=funder,
        instrument=instrument,
        defaults={"amount": amount, "currency": currency, "date": date, "liaison": liaison},
    )
    Partnership.every.get_or_create(
        project=project, organisation=funder, role=Partnership.Role.FUNDING
    )
    if confirmed:
        record_consent(project=project, organisation=funder, by=None)
    return funding


@transaction.atomic
def set_partnership(
    *, project: Project, organisation: Organisation, role: int, note: str = ""
) -> Partnership:
    """Record an organisation's part in loaded data, confirmed as the data says."""
    partnership, _created = Partnership.every.update_or_create(
        project=project, organisation=organisation, role=role, defaults={"note": note}
    )
    record_consent(project=project, organisation=organisation, by=None)
    fix_activity_identifier(project=project)
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
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> BeneficiaryGroup:
    problems = share_problems(women_share=women_share, minors_share=minors_share)
    if problems:
        raise ValidationError(problems)
    group, _created = BeneficiaryGroup.objects.update_or_create(
        project=project,
        name=name,
        defaults={
            "description": description,
            "estimated_size": estimated_size,
            "women_share": women_share,
            "minors_share": minors_share,
            **_translations_of(BeneficiaryGroup, translations),
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
    translations: Mapping[str, Mapping[str, str]] | None = None,
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
            **_translations_of(Result, translations),
        },
    )
    return result
