"""Reads about projects: the one place that decides which projects a user may see."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from partners.models import Membership, Organisation, User
from partners.selectors import acting_organisations, ancestors

from .models import Confirmation, Funding, Location, Partnership, Project

# Partnership roles whose people do the work and so see figures before approval.
WORKING_ROLES = (
    Partnership.Role.ACCOUNTABLE,
    Partnership.Role.EXTENDING,
    Partnership.Role.IMPLEMENTING,
)


def implementers_prefetch() -> Prefetch:
    """A project's implementing organisations, read with it, as `project.implementers`."""
    return Prefetch(
        "partnerships",
        queryset=Partnership.objects.filter(role=Partnership.Role.IMPLEMENTING).select_related(
            "organisation"
        ),
        to_attr="implementers",
    )


def visible_projects(
    user: User | AnonymousUser, *, organisation_ids: Iterable[int] | None = None
) -> QuerySet[Project]:
    """Projects where one of the user's organisations is a partner or a funder. A caller that
    has already read the user's `acting_organisations` passes their ids."""
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    organisation_ids = list(
        acting_organisations(user) if organisation_ids is None else organisation_ids
    )
    if not organisation_ids:
        return Project.objects.none()
    # IN rather than EXISTS: the planner then reads the organisations' few partnerships and
    # fundings first instead of testing every project.
    partner = Partnership.objects.filter(organisation_id__in=organisation_ids)
    funder = Funding.objects.filter(funder_id__in=organisation_ids)
    return Project.objects.filter(
        Q(pk__in=partner.values("project_id")) | Q(pk__in=funder.values("project_id"))
    )


def projects_by_access(organisation_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """The rule of `visible_projects` as two sets of ids: the projects these organisations work
    on, and those they only see (as funders, or in a partner role that does no work)."""
    ids = list(organisation_ids)
    working: set[int] = set()
    seen: set[int] = set()
    for project_id, role in Partnership.objects.filter(organisation_id__in=ids).values_list(
        "project_id", "role"
    ):
        (working if role in WORKING_ROLES else seen).add(project_id)
    seen.update(Funding.objects.filter(funder_id__in=ids).values_list("project_id", flat=True))
    return working, seen - working


def sees_provisional(user: User | AnonymousUser, project: Project) -> bool:
    """People who work on a project see submitted figures too; funders see approved only."""
    return project_role(user, project) is not None


def project_for_page(user: User | AnonymousUser, pk: int) -> Project:
    """One project with everything its page lists, or 404 when the user may not see it."""
    queryset = visible_projects(user).prefetch_related(
        Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
        Prefetch("partnerships", queryset=Partnership.objects.select_related("organisation")),
        Prefetch("locations"),
        Prefetch("beneficiary_groups"),
        Prefetch("results"),
    )
    try:
        return queryset.get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None


def projects_for_portfolio(user: User | AnonymousUser, archived: bool = False) -> QuerySet[Project]:
    """The user's current (or archived) projects with their fundings, for the portfolio page."""
    return (
        visible_projects(user)
        .filter(archived_at__isnull=not archived)
        .select_related("snapshot")
        .prefetch_related(
            Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
            implementers_prefetch(),
        )
        .order_by("title")
    )


@dataclass(frozen=True)
class FundingRow:
    funding: Funding
    share_of_budget: Decimal | None  # percent of the project's budget, when comparable


def funding_rows(project: Project) -> list[FundingRow]:
    """Each funding with its share of the budget (16,322 of 69,966 EUR = 23.33 %)."""
    rows = []
    for funding in project.fundings.all():
        share = None
        if funding.amount is not None and project.budget and funding.currency == project.currency:
            share = (funding.amount / project.budget * 100).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        rows.append(FundingRow(funding=funding, share_of_budget=share))
    return rows


def location_paths(locations: Iterable[Location]) -> list[str]:
    """Each location written with the places above it: Peru › Lima › La Ensenada."""
    wanted = {location.pk for location in locations}
    everywhere = list(Location.objects.all())
    paths = _paths(everywhere)
    return sorted(path for loc, path in zip(everywhere, paths, strict=True) if loc.pk in wanted)


# What each organisation role may do on the projects its organisation works on.
ROLE_RANK: dict[str, int] = {
    Membership.Role.VIEWER: 0,
    Membership.Role.EDITOR: 1,
    Membership.Role.MANAGER: 2,
    Membership.Role.ADMIN: 3,
}


def roles_at_least(role: str) -> list[str]:
    """The membership roles that carry `role`'s rights, `role` included."""
    return [held for held, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]


def working_roles(user: User | AnonymousUser) -> dict[int, str]:
    """Project id → the user's highest role on it, through organisations that work on it.

    Funding alone gives no role: funders read, and may change nothing.
    """
    if not user.is_authenticated or not user.is_active:
        return {}
    roles = acting_organisations(user)
    best: dict[int, str] = {}
    partnerships = Partnership.objects.filter(
        organisation_id__in=list(roles), role__in=WORKING_ROLES
    ).values_list("project_id", "organisation_id")
    for project_id, organisation_id in partnerships:
        keep_highest(best, project_id, roles[organisation_id])
    return best


def site_links(user: User) -> dict[str, bool]:
    """Which of the site's links lead to something this person can use: their own indicators
    (an editor or more on a project), the review queue (a manager or more) and the
    organisations they administer. Worked out at sign-in; the pages check access again."""
    if user.is_superuser:
        return {"mine": True, "review": True, "organisations": True}
    best = max((ROLE_RANK[role] for role in working_roles(user).values()), default=-1)
    return {
        "mine": best >= ROLE_RANK[Membership.Role.EDITOR],
        "review": best >= ROLE_RANK[Membership.Role.MANAGER],
        "organisations": Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists(),
    }


def keep_highest(best: dict[int, str], key: int, role: str) -> None:
    """Record `role` for `key` unless a higher one is recorded already."""
    if key not in best or ROLE_RANK[role] > ROLE_RANK[best[key]]:
        best[key] = role


def project_role(user: User | AnonymousUser, project: Project) -> str | None:
    """The user's role on one project; superusers administer every project."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Membership.Role.ADMIN
    return working_roles(user).get(project.pk)


def has_role(user: User | AnonymousUser, project: Project, at_least: str) -> bool:
    role = project_role(user, project)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[at_least]


def projects_with_role(user: User | AnonymousUser, at_least: str) -> QuerySet[Project]:
    """Projects on which the user holds at least the given role."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Project.objects.all()
    ids = [
        project_id
        for project_id, role in working_roles(user).items()
        if ROLE_RANK[role] >= ROLE_RANK[at_least]
    ]
    return Project.objects.filter(pk__in=ids)


def reporting_organisations(user: User | AnonymousUser, project: Project) -> list[Organisation]:
    """Organisations the user may report for on this project: working partners the user is an
    editor (or more) for, and the members of those partners below them in the network."""
    roles = {
        org_id: role
        for org_id, role in acting_organisations(user).items()
        if ROLE_RANK[role] >= ROLE_RANK[Membership.Role.EDITOR]
    }
    partners = set(
        Partnership.objects.filter(project=project, role__in=WORKING_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    above = ancestors(roles)
    eligible = {org_id for org_id in roles if org_id in partners or above[org_id] & partners}
    return list(Organisation.objects.filter(pk__in=eligible).order_by("name"))


# Partnership roles whose administrators and managers set a project up: the organisations that
# implement it and the one accountable for it.
SETUP_ROLES = (Partnership.Role.ACCOUNTABLE, Partnership.Role.IMPLEMENTING)
SETUP_MEMBERSHIPS = (Membership.Role.ADMIN, Membership.Role.MANAGER)


def may_report(user: User | AnonymousUser, project: Project) -> bool:
    """Report progress on the project, alone or by import: an editor or more of an
    organisation that works on it."""
    return has_role(user, project, Membership.Role.EDITOR)


def may_lock(user: User | AnonymousUser, project: Project) -> bool:
    """Lock a reporting period once reported to a funder: a manager or more."""
    return has_role(user, project, Membership.Role.MANAGER)


def may_unlock(user: User | AnonymousUser, project: Project) -> bool:
    """Unlock a period for corrections: an administrator only, and it is recorded."""
    return has_role(user, project, Membership.Role.ADMIN)


def may_set_up(user: User | AnonymousUser, project: Project) -> bool:
    """Whether the user may change the project's set-up: its details, partners, funding,
    beneficiaries, results framework, indicators and periods."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = acting_organisations(user)
    organisations = [org_id for org_id, role in roles.items() if role in SETUP_MEMBERSHIPS]
    return Partnership.objects.filter(
        project=project, organisation_id__in=organisations, role__in=SETUP_ROLES
    ).exists()


def project_for_setup(user: User | AnonymousUser, pk: int) -> Project:
    """A project whose set-up the user may change: 404 when they may not see it, 403 when they
    see it but may not change it."""
    try:
        project = visible_projects(user).get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    if not may_set_up(user, project):
        raise PermissionDenied
    return project


def setup_page_project(user: User | AnonymousUser, pk: int) -> Project:
    """The project with everything its set-up page lists, or 404/403 as project_for_setup."""
    project_for_setup(user, pk)
    return project_for_page(user, pk)


def location_choices() -> list[tuple[int, str]]:
    """Every place, written with the places above it, for choosing a project's places."""
    locations = list(Location.objects.all())
    paths = dict(zip([loc.pk for loc in locations], _paths(locations), strict=True))
    return sorted(paths.items(), key=lambda item: item[1])


def _paths(locations: list[Location]) -> list[str]:
    tree = {loc.pk: (loc.parent_id, loc.name) for loc in locations}
    paths = []
    for location in locations:
        chain = []
        current: int | None = location.pk
        while current is not None:
            current, name = tree[current]
            chain.append(name)
        paths.append(" › ".join(reversed(chain)))
    return paths


# Consent of the organisations a project names (see models.Confirmation).
CONFIRMED, AWAITING, RECORDED = "confirmed", "awaiting", "recorded"


@dataclass(frozen=True)
class Link:
    """A funding or partnership as its project's set-up page shows it."""

    item: Funding | Partnership
    consent: str  # CONFIRMED, AWAITING (its administrators are asked) or RECORDED (none to ask)


def links_for_setup(project: Project) -> tuple[list[Link], list[Link]]:
    """Every funding and partnership of the project, with where its organisation's consent
    stands. Whether a link counts is `models.standing`'s rule, read through the managers."""
    fundings = list(Funding.every.filter(project=project).select_related("funder"))
    partnerships = list(Partnership.every.filter(project=project).select_related("organisation"))
    confirmed = set(
        Confirmation.objects.filter(project=project).values_list("organisation_id", flat=True)
    )
    counting = set(Funding.objects.filter(project=project).values_list("pk", flat=True))
    counting_partners = set(
        Partnership.objects.filter(project=project).values_list("pk", flat=True)
    )

    def consent(organisation_id: int, counts: bool) -> str:
        if organisation_id in confirmed:
            return CONFIRMED
        return RECORDED if counts else AWAITING

    return (
        [Link(f, consent(f.funder_id, f.pk in counting)) for f in fundings],
        [Link(p, consent(p.organisation_id, p.pk in counting_partners)) for p in partnerships],
    )


@dataclass(frozen=True)
class Awaiting:
    """A project that names an organisation the user administers, awaiting its word."""

    organisation: Organisation
    project: Project
    roles: tuple[str, ...]
    fundings: tuple[Funding, ...]


def awaiting_confirmation(user: User | AnonymousUser) -> list[Awaiting]:
    """What the organisations the user administers are asked to confirm, oldest first."""
    if not user.is_authenticated or not user.is_active:
        return []
    administered = list(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organisation_id", flat=True
        )
    )
    unconfirmed = ~Exists(
        Confirmation.objects.filter(
            project_id=OuterRef("project_id"), organisation_id=OuterRef("organisation_id")
        )
    )
    partnerships = (
        Partnership.every.filter(organisation_id__in=administered)
        .filter(unconfirmed)
        .select_related("project", "organisation")
        .order_by("project_id", "role")
    )
    fundings: dict[tuple[int, int], list[Funding]] = {}
    for funding in Funding.every.filter(
        funder_id__in=administered, project_id__in={p.project_id for p in partnerships}
    ):
        fundings.setdefault((funding.project_id, funding.funder_id), []).append(funding)
    grouped: dict[tuple[int, int], list[Partnership]] = {}
    for partnership in partnerships:
        grouped.setdefault((partnership.project_id, partnership.organisation_id), []).append(
            partnership
        )
    return [
        Awaiting(
            organisation=links[0].organisation,
            project=links[0].project,
            roles=tuple(str(link.get_role_display()) for link in links),
            fundings=tuple(fundings.get(key, ())),
        )
        for key, links in grouped.items()
    ]


def awaiting_one(user: User, project_pk: int, organisation_pk: int) -> Awaiting:
    """One project the user's organisation is asked about, or 404."""
    for awaiting in awaiting_confirmation(user):
        if awaiting.project.pk == project_pk and awaiting.organisation.pk == organisation_pk:
            return awaiting
    raise Http404


def reporting_organisation(project: Project) -> Organisation | None:
    """Who reports the activity to IATI: the accountable partner (the lead), or else the
    implementer who started it."""
    partnerships = Partnership.objects.filter(
        project=project,
        role__in=[Partnership.Role.ACCOUNTABLE, Partnership.Role.IMPLEMENTING],
    ).select_related("organisation")
    ordered = sorted(partnerships, key=lambda p: (p.role != Partnership.Role.ACCOUNTABLE, p.pk))
    return ordered[0].organisation if ordered else None


def visible_organisations(user: User | AnonymousUser) -> "QuerySet[Organisation]":
    """Organisations a user may look up: their own (and those above them), and every partner or
    funder of a project they may see."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    own = set(acting_organisations(user))
    above = ancestors(own)
    projects = visible_projects(user)
    return Organisation.objects.filter(
        Q(pk__in=own.union(*above.values()) if above else own)
        | Q(partnerships__project__in=projects)
        | Q(fundings__project__in=projects)
    ).distinct()
