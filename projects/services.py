"""Writes about projects, their partners, places, beneficiaries and results."""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners.models import Membership, Organisation, User
from partners.selectors import acting_organisations, managed_organisations
from portfolio.checks import refuse_nul_and_oversize
from portfolio.translations import Translated, clean_translations

from .models import BeneficiaryGroup, Funding, Location, Partnership, Project, Result
from .selectors import WORKING_ROLES, may_set_up


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
    sectors: str = "",
    language: str = settings.LANGUAGE_CODE,
    translations: Mapping[str, Mapping[str, str]] | None = None,
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
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> BeneficiaryGroup:
    for key, share in (("women_share", women_share), ("minors_share", minors_share)):
        if share is not None and not Decimal(0) <= share <= 1:
            raise ValidationError({key: _("A share is a fraction between 0 and 1.")})
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


# Set-up from the portal's pages: each write names who makes it and checks they may.


def require_setup(by: User, project: Project) -> None:
    """Refuse anyone but the administrators and managers who set the project up."""
    if not may_set_up(by, project):
        raise PermissionDenied(
            _(
                "Only administrators and managers of the organisations implementing the project "
                "may change its set-up."
            )
        )


@dataclass(frozen=True)
class ProjectDetails:
    code: str
    title: str
    planned_start: date
    planned_end: date
    summary: str = ""
    status: str = Project.Status.ACTIVE
    actual_start: date | None = None
    actual_end: date | None = None
    budget: Decimal | None = None
    currency: str = "EUR"
    is_public: bool = False
    locations: tuple[Location, ...] = field(default_factory=tuple)
    sectors: str = ""
    language: str = settings.LANGUAGE_CODE
    # The title and summary in other languages; None keeps those the project has.
    translations: Mapping[str, Mapping[str, str]] | None = None


# The fields of a project that ProjectDetails carries, besides its places.
DETAIL_FIELDS = (
    "code",
    "title",
    "planned_start",
    "planned_end",
    "summary",
    "status",
    "actual_start",
    "actual_end",
    "budget",
    "currency",
    "is_public",
    "sectors",
    "language",
)


def _check_details(details: ProjectDetails, project: Project | None) -> None:
    refuse_nul_and_oversize(code=details.code, title=details.title, summary=details.summary)
    errors: dict[str, str] = {}
    others = Project.objects.all() if project is None else Project.objects.exclude(pk=project.pk)
    if not slug_re.match(details.code):
        errors["code"] = _("Use letters, digits, hyphens and underscores only.")
    elif others.filter(code__iexact=details.code).exists():
        errors["code"] = _("Another project already has this code.")
    if not details.title.strip():
        errors["title"] = _("Give the project a title.")
    if details.planned_end < details.planned_start:
        errors["planned_end"] = _("The end must not come before the start.")
    if (
        details.actual_start is not None
        and details.actual_end is not None
        and details.actual_end < details.actual_start
    ):
        errors["actual_end"] = _("The end must not come before the start.")
    if details.budget is not None and details.budget < 0:
        errors["budget"] = _("A budget cannot be negative.")
    if not re.fullmatch(r"[A-Z]{3}", details.currency):
        errors["currency"] = _("Give the currency's three-letter ISO code, such as EUR or PEN.")
    if details.status not in Project.Status.values:
        errors["status"] = _("Choose one of the statuses offered.")
    if details.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    try:
        Project._meta.get_field("sectors").run_validators(details.sectors)
    except ValidationError as error:
        errors["sectors"] = error.messages[0]
    if errors:
        raise ValidationError(errors)


def _store_details(project: Project, details: ProjectDetails, by: User) -> Project:
    for name in DETAIL_FIELDS:
        setattr(project, name, getattr(details, name))
    project.title = project.title.strip()
    if details.translations is not None:
        project.translations = clean_translations(Project, details.translations)
    project._history_user = by  # type: ignore[attr-defined]
    project.save()
    project.locations.set(details.locations)
    return project


@transaction.atomic
def create_project(*, by: User, implementer: Organisation, details: ProjectDetails) -> Project:
    """Start a project that `implementer` carries out; `by` must administer or manage it."""
    role = acting_organisations(by).get(implementer.pk)
    if not by.is_superuser and role not in (Membership.Role.ADMIN, Membership.Role.MANAGER):
        raise PermissionDenied(
            _("Only administrators and managers of %(organisation)s may start its projects.")
            % {"organisation": implementer.name}
        )
    _check_details(details, None)
    project = _store_details(Project(), details, by)
    partnership = Partnership(
        project=project, organisation=implementer, role=Partnership.Role.IMPLEMENTING
    )
    partnership._history_user = by  # type: ignore[attr-defined]
    partnership.save()
    return project


@transaction.atomic
def edit_project(*, project: Project, by: User, details: ProjectDetails) -> Project:
    """Change a project's details. Its reporting periods must stay within its dates."""
    require_setup(by, project)
    _check_details(details, project)
    start = details.actual_start or details.planned_start
    end = details.actual_end or details.planned_end
    outside = project.periods.exclude(start__gte=start, end__lte=end).first()
    if outside is not None:
        raise ValidationError(
            {
                "planned_end": _(
                    "The reporting period %(period)s would fall outside the project's dates."
                )
                % {"period": outside.name}
            }
        )
    return _store_details(project, details, by)


@transaction.atomic
def archive_project(*, project: Project, by: User) -> Project:
    """Take a finished project off the portfolio list. Nothing of it is deleted."""
    require_setup(by, project)
    if project.archived_at is None:
        project.archived_at = timezone.now()
        project._history_user = by  # type: ignore[attr-defined]
        project.save(update_fields=["archived_at", "updated_at"])
    return project


@transaction.atomic
def restore_project(*, project: Project, by: User) -> Project:
    require_setup(by, project)
    if project.archived_at is not None:
        project.archived_at = None
        project._history_user = by  # type: ignore[attr-defined]
        project.save(update_fields=["archived_at", "updated_at"])
    return project


def _organisation_named(name: str, kind: str, by: User) -> Organisation:
    """The organisation with this name, or a new one: a funder or partner need not use the
    portal to be listed."""
    name = name.strip()
    refuse_nul_and_oversize(name=name)
    if not name:
        raise ValidationError(
            {"organisation": _("Choose an organisation or give a new one's name.")}
        )
    existing = Organisation.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing
    base = slugify(name)[:56] or "organisation"
    short_name, suffix = base, 1
    while Organisation.objects.filter(short_name__iexact=short_name).exists():
        suffix += 1
        short_name = f"{base}-{suffix}"
    organisation = Organisation(name=name[:255], short_name=short_name, kind=kind)
    organisation._history_user = by  # type: ignore[attr-defined]
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def add_funding(
    *,
    project: Project,
    by: User,
    funder: Organisation | None,
    new_funder_name: str = "",
    amount: Decimal | None,
    currency: str,
    date: date | None = None,
    instrument: str = "",
) -> Funding:
    """Record a funder's contribution (or change the one from the same fund), naming an
    organisation of the portal or a new one."""
    require_setup(by, project)
    refuse_nul_and_oversize(instrument=instrument)
    if funder is None:
        funder = _organisation_named(new_funder_name, Organisation.Kind.FUNDER, by)
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise ValidationError(
            {"currency": _("Give the currency's three-letter ISO code, such as EUR or PEN.")}
        )
    return set_funding(
        project=project,
        funder=funder,
        amount=amount,
        currency=currency,
        instrument=instrument.strip(),
        date=date,
    )


@transaction.atomic
def remove_funding(*, funding: Funding, by: User) -> None:
    """Remove a contribution; the funder stays a funding partner while it has another."""
    project = funding.project
    require_setup(by, project)
    funding._history_user = by  # type: ignore[attr-defined]
    funding.delete()
    if not project.fundings.filter(funder_id=funding.funder_id).exists():
        for partnership in project.partnerships.filter(
            organisation_id=funding.funder_id, role=Partnership.Role.FUNDING
        ):
            partnership._history_user = by  # type: ignore[attr-defined]
            partnership.delete()


@transaction.atomic
def add_partner(
    *,
    project: Project,
    by: User,
    organisation: Organisation | None,
    new_organisation_name: str = "",
    role: int,
    note: str = "",
) -> Partnership:
    require_setup(by, project)
    refuse_nul_and_oversize(note=note)
    if role not in Partnership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles offered.")})
    if organisation is None:
        organisation = _organisation_named(new_organisation_name, Organisation.Kind.NGO, by)
    if project.partnerships.filter(organisation=organisation, role=role).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s already has this role in the project.")
                % {"organisation": organisation.name}
            }
        )
    partnership = Partnership(project=project, organisation=organisation, role=role, note=note)
    partnership._history_user = by  # type: ignore[attr-defined]
    partnership.save()
    return partnership


@transaction.atomic
def remove_partner(*, partnership: Partnership, by: User) -> None:
    """Remove an organisation's role in the project, unless the project would be left with no
    implementer or the organisation's reported progress with no working role behind it."""
    project = partnership.project
    require_setup(by, project)
    others = project.partnerships.exclude(pk=partnership.pk)
    if (
        partnership.role == Partnership.Role.IMPLEMENTING
        and not others.filter(role=Partnership.Role.IMPLEMENTING).exists()
    ):
        raise ValidationError(_("A project needs at least one implementing organisation."))
    if (
        partnership.role == Partnership.Role.FUNDING
        and project.fundings.filter(funder_id=partnership.organisation_id).exists()
    ):
        raise ValidationError(_("Remove the organisation's funding first."))
    working = [role.value for role in WORKING_ROLES]
    if (
        partnership.role in working
        and not others.filter(
            organisation_id=partnership.organisation_id, role__in=working
        ).exists()
        and project.indicators.filter(updates__organisation_id=partnership.organisation_id).exists()
    ):
        raise ValidationError(
            _("%(organisation)s has reported progress on this project: it stays a partner.")
            % {"organisation": partnership.organisation.name}
        )
    partnership._history_user = by  # type: ignore[attr-defined]
    partnership.delete()


@transaction.atomic
def save_group(
    *,
    project: Project,
    by: User,
    group: BeneficiaryGroup | None = None,
    name: str,
    description: str = "",
    estimated_size: int | None = None,
    women_share: Decimal | None = None,
    minors_share: Decimal | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> BeneficiaryGroup:
    """Add a beneficiary group, or change one of the project's (its name in other languages
    too, when `translations` is given)."""
    require_setup(by, project)
    name = name.strip()
    refuse_nul_and_oversize(name=name, description=description)
    errors: dict[str, str] = {}
    if group is not None and group.project_id != project.pk:
        raise ValidationError(_("The beneficiary group belongs to another project."))
    others = project.beneficiary_groups.all()
    if group is not None:
        others = others.exclude(pk=group.pk)
    if not name:
        errors["name"] = _("Give the group a name.")
    elif others.filter(name__iexact=name).exists():
        errors["name"] = _("The project already has a group with this name.")
    if estimated_size is not None and estimated_size < 0:
        errors["estimated_size"] = _("A size cannot be negative.")
    for key, share in (("women_share", women_share), ("minors_share", minors_share)):
        if share is not None and not Decimal(0) <= share <= 1:
            errors[key] = _("A share must be between 0 % and 100 %.")
    if errors:
        raise ValidationError(errors)
    group = group or BeneficiaryGroup(project=project)
    group.name = name
    group.description = description
    group.estimated_size = estimated_size
    group.women_share = women_share
    group.minors_share = minors_share
    if translations is not None:
        group.translations = clean_translations(BeneficiaryGroup, translations)
    group._history_user = by  # type: ignore[attr-defined]
    group.save()
    return group


@transaction.atomic
def remove_group(*, group: BeneficiaryGroup, by: User) -> None:
    require_setup(by, group.project)
    if group.indicators.exists():
        raise ValidationError(_("Indicators measure this group: change them before removing it."))
    group._history_user = by  # type: ignore[attr-defined]
    group.delete()


# The results framework: objectives → outcomes → outputs, numbered by their place in the tree.

PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    Result.Level.OBJECTIVE: (),
    Result.Level.OUTCOME: (Result.Level.OBJECTIVE,),
    Result.Level.OUTPUT: (Result.Level.OUTCOME, Result.Level.OBJECTIVE),
}


@transaction.atomic
def add_result(
    *,
    project: Project,
    by: User,
    level: str,
    title: str,
    parent: Result | None = None,
    description: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Result:
    """Add a result at the end of its parent's (or the project's) list; numbers follow."""
    require_setup(by, project)
    _check_result(project, level, title, parent, description)
    cleaned = clean_translations(Result, translations)
    siblings = project.results.filter(parent=parent)
    result = Result(
        project=project,
        parent=parent,
        level=level,
        title=title.strip(),
        description=description,
        number=f"new-{uuid.uuid4().hex[:10]}",
        order=(max((r.order for r in siblings), default=0) + 1),
        translations=cleaned,
    )
    result._history_user = by  # type: ignore[attr-defined]
    result.save()
    renumber_results(project, by)
    result.refresh_from_db()
    return result


def _check_result(
    project: Project, level: str, title: str, parent: Result | None, description: str
) -> None:
    refuse_nul_and_oversize(title=title, description=description)
    errors: dict[str, str] = {}
    if level not in Result.Level.values:
        errors["level"] = _("Choose one of the levels offered.")
    if not title.strip():
        errors["title"] = _("Give the result a title.")
    elif len(title) > 500:
        errors["title"] = _("A title has at most 500 characters.")
    if parent is not None and parent.project_id != project.pk:
        errors["parent"] = _("A result can only contribute to its own project.")
    elif level in PARENT_LEVELS and (problem := level_problem(level, parent)):
        errors["parent"] = problem
    if errors:
        raise ValidationError(errors)


def level_problem(level: str, parent: Result | None) -> str | None:
    """Why a result of this level cannot sit under `parent`, if it cannot."""
    if parent is None or parent.level in PARENT_LEVELS[level]:
        return None
    return _("A result at level “%(level)s” cannot contribute to one at level “%(parent)s”.") % {
        "level": Result.Level(level).label,
        "parent": parent.get_level_display(),
    }


@transaction.atomic
def edit_result(
    *,
    result: Result,
    by: User,
    title: str,
    description: str = "",
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> Result:
    require_setup(by, result.project)
    _check_result(result.project, result.level, title, result.parent, description)
    result.title = title.strip()
    result.description = description
    if translations is not None:
        result.translations = clean_translations(Result, translations)
    result._history_user = by  # type: ignore[attr-defined]
    result.save(update_fields=["title", "description", "translations"])
    return result


@transaction.atomic
def move_result(*, result: Result, by: User, up: bool) -> Result:
    """Swap a result with its neighbour among its siblings; it and their children renumber."""
    require_setup(by, result.project)
    siblings = list(result.project.results.filter(parent_id=result.parent_id).order_by("order"))
    index = siblings.index(result)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                sibling.order = order
                sibling._history_user = by  # type: ignore[attr-defined]
                sibling.save(update_fields=["order"])
        renumber_results(result.project, by)
    result.refresh_from_db()
    return result


@transaction.atomic
def remove_result(*, result: Result, by: User) -> None:
    require_setup(by, result.project)
    if result.children.exists():
        raise ValidationError(_("Remove or move the results under it first."))
    if result.indicators.exists():
        raise ValidationError(_("Indicators measure this result: move or remove them first."))
    result._history_user = by  # type: ignore[attr-defined]
    result.delete()
    renumber_results(result.project, by)


def renumber_results(project: Project, by: User | None) -> None:
    """Number the framework by its tree (1, 1.1, 1.1.1, 2…) and order it depth first, so that
    lists ordered by `order` read as the tree."""
    results = list(project.results.order_by("order", "number"))
    children: dict[int | None, list[Result]] = {}
    for result in results:
        children.setdefault(result.parent_id, []).append(result)
    wanted: dict[int, tuple[str, int]] = {}
    counter = 0

    def walk(parent_id: int | None, prefix: str) -> None:
        nonlocal counter
        for position, result in enumerate(children.get(parent_id, []), start=1):
            counter += 1
            number = f"{prefix}{position}"
            wanted[result.pk] = (number, counter)
            walk(result.pk, f"{number}.")

    walk(None, "")
    changed = [r for r in results if (r.number, r.order) != wanted.get(r.pk, (r.number, r.order))]
    # Numbers are unique per project: step aside first, then take the new numbers.
    for result in changed:
        result.number = f"~{result.pk}"
        result.save(update_fields=["number"])
    for result in changed:
        result.number, result.order = wanted[result.pk]
        result._history_user = by  # type: ignore[attr-defined]
        result.save(update_fields=["number", "order"])


@transaction.atomic
def add_place(*, by: User, name: str, kind: str, parent: Location | None) -> Location:
    """Add a place to the shared list projects choose their places from: a country, or a place
    within one already listed."""
    if not managed_organisations(by).exists():
        raise PermissionDenied(_("Only administrators and managers may add places."))
    name = name.strip()
    refuse_nul_and_oversize(name=name)
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the place's name.")
    elif Location.objects.filter(parent=parent, name__iexact=name).exists():
        errors["name"] = _("This place is listed already.")
    if kind not in Location.Kind.values:
        errors["kind"] = _("Choose one of the kinds offered.")
    elif (kind == Location.Kind.COUNTRY) != (parent is None):
        errors["parent"] = _("A country stands alone; every other place lies within another.")
    if errors:
        raise ValidationError(errors)
    return Location.objects.create(name=name[:255], kind=kind, parent=parent)
