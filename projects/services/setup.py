"""Set-up from the portal's pages: a project's details, funders, partners, beneficiary groups
and places. Each write names who makes it and checks they may."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import currency_refusal, refuse_nul_and_oversize, share_problems
from core.currencies import is_currency
from core.translations import clean_translations
from partners.models import Membership, Organisation, User
from partners.selectors import acting_organisations, managed_organisations
from projects.emails import ask_for_confirmation
from projects.models import BeneficiaryGroup, Funding, Location, Partnership, Project
from projects.selectors import WORKING_ROLES, may_set_up

from .consent import confirm_if_own, record_consent
from .dates import actual_date_problems
from .loading import set_funding


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


def check_project_details(*, details: Mapping[str, Any], project: Project | None) -> None:
    """Refuse, all at once, whatever is wrong in the details given; a detail left out (or
    None) is not checked, so that a form whose own checks failed on some fields still says
    what is wrong with the others."""

    def given(name: str) -> Any:
        return details.get(name)

    texts = {name: given(name) for name in ("code", "title", "summary") if given(name) is not None}
    refuse_nul_and_oversize(**texts)
    errors: dict[str, str] = {}
    others = Project.objects.all() if project is None else Project.objects.exclude(pk=project.pk)
    code = given("code")
    if code is not None:
        if not slug_re.match(code):
            errors["code"] = _("Use letters, digits, hyphens and underscores only.")
        elif others.filter(code__iexact=code).exists():
            errors["code"] = _("Another project already has this code.")
    if given("title") is not None and not given("title").strip():
        errors["title"] = _("Give the project a title.")
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if given(start) is not None and given(end) is not None and given(end) < given(start):
            errors[end] = _("The end must not come before the start.")
    if given("budget") is not None and given("budget") < 0:
        errors["budget"] = _("A budget cannot be negative.")
    if given("currency") is not None and not is_currency(given("currency")):
        errors["currency"] = currency_refusal(given("currency"))
    if given("status") is not None and given("status") not in Project.Status.values:
        errors["status"] = _("Choose one of the statuses offered.")
    errors.update(actual_date_problems(given("status"), given("actual_start"), given("actual_end")))
    if given("language") is not None and given("language") not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if given("sectors") is not None:
        try:
            Project._meta.get_field("sectors").run_validators(given("sectors").strip())
        except ValidationError as error:
            errors["sectors"] = error.messages[0]
    if errors:
        raise ValidationError(errors)


def _check_details(details: ProjectDetails, project: Project | None) -> None:
    check_project_details(
        details={f.name: getattr(details, f.name) for f in fields(details)}, project=project
    )


def _store_details(project: Project, details: ProjectDetails, by: User) -> Project:
    for name in DETAIL_FIELDS:
        setattr(project, name, getattr(details, name))
    project.title = project.title.strip()
    if details.translations is not None:
        project.translations = clean_translations(Project, details.translations)
    set_author(project, by)
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
    set_author(partnership, by)
    partnership.save()
    # Its own administrator or manager starts the project: the implementer consents.
    record_consent(project=project, organisation=implementer, by=by)
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
        set_author(project, by)
        project.save(update_fields=["archived_at", "updated_at"])
    return project


@transaction.atomic
def restore_project(*, project: Project, by: User) -> Project:
    require_setup(by, project)
    if project.archived_at is not None:
        project.archived_at = None
        set_author(project, by)
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
    set_author(organisation, by)
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
    if not is_currency(currency):
        raise ValidationError({"currency": currency_refusal(currency)})
    funding = set_funding(
        project=project,
        funder=funder,
        amount=amount,
        currency=currency,
        instrument=instrument.strip(),
        date=date,
        confirmed=False,
    )
    _ask_consent(project=project, organisation=funder, by=by)
    return funding


def _ask_consent(*, project: Project, organisation: Organisation, by: User) -> None:
    """Unless the organisation's own administrator named it, or it has no members to ask, its
    administrators are asked to confirm."""
    if not confirm_if_own(project=project, organisation=organisation, by=by):
        transaction.on_commit(
            lambda: ask_for_confirmation(project=project, organisation=organisation, by=by)
        )


@transaction.atomic
def remove_funding(*, funding: Funding, by: User) -> None:
    """Remove a contribution; the funder stays a funding partner while it has another."""
    project = funding.project
    require_setup(by, project)
    set_author(funding, by)
    try:
        with transaction.atomic():
            funding.delete()
    except ProtectedError:
        # Budget lines name the funding: they say what its money pays for.
        raise ValidationError(
            _(
                "%(funder)s's funding has budget lines: remove them or give them another "
                "funding first."
            )
            % {"funder": funding.funder.name}
        ) from None
    if not Funding.every.filter(project=project, funder_id=funding.funder_id).exists():
        for partnership in Partnership.every.filter(
            project=project, organisation_id=funding.funder_id, role=Partnership.Role.FUNDING
        ):
            set_author(partnership, by)
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
    if Partnership.every.filter(project=project, organisation=organisation, role=role).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s already has this role in the project.")
                % {"organisation": organisation.name}
            }
        )
    partnership = Partnership(project=project, organisation=organisation, role=role, note=note)
    set_author(partnership, by)
    partnership.save()
    _ask_consent(project=project, organisation=organisation, by=by)
    return partnership


@transaction.atomic
def remove_partner(*, partnership: Partnership, by: User) -> None:
    """Remove an organisation's role in the project, unless the project would be left with no
    implementer or the organisation's reported progress with no working role behind it."""
    project = partnership.project
    require_setup(by, project)
    others = Partnership.every.filter(project=project).exclude(pk=partnership.pk)
    if (
        partnership.role == Partnership.Role.IMPLEMENTING
        and not others.filter(role=Partnership.Role.IMPLEMENTING).exists()
    ):
        raise ValidationError(_("A project needs at least one implementing organisation."))
    if (
        partnership.role == Partnership.Role.FUNDING
        and Funding.every.filter(project=project, funder_id=partnership.organisation_id).exists()
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
    set_author(partnership, by)
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
    errors.update(share_problems(women_share=women_share, minors_share=minors_share))
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
    set_author(group, by)
    group.save()
    return group


@transaction.atomic
def remove_group(*, group: BeneficiaryGroup, by: User) -> None:
    require_setup(by, group.project)
    if group.indicators.exists():
        raise ValidationError(_("Indicators measure this group: change them before removing it."))
    set_author(group, by)
    group.delete()


@transaction.atomic
def point_problems(latitude: Decimal | None, longitude: Decimal | None) -> dict[str, str]:
    """What is wrong with a place's point: both degrees or neither, each on the earth."""
    errors: dict[str, str] = {}
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        errors[missing] = _("Give both the latitude and the longitude, or neither.")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("A latitude lies between -90 and 90 degrees (south is negative).")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("A longitude lies between -180 and 180 degrees (west is negative).")
    return errors


@transaction.atomic
def add_place(
    *,
    by: User,
    name: str,
    kind: str,
    parent: Location | None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    """Add a place to the shared list projects choose their places from: a country, or a place
    within one already listed, with where it lies if known."""
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
    errors.update(point_problems(latitude, longitude))
    if errors:
        raise ValidationError(errors)
    return Location.objects.create(
        name=name[:255], kind=kind, parent=parent, latitude=latitude, longitude=longitude
    )
