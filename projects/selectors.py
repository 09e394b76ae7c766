"""Reads about projects: the one place that decides which projects a user may see."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from partners.models import User
from partners.selectors import acting_organisations

from .models import Funding, Location, Partnership, Project

# Partnership roles whose people do the work and so see figures before approval.
WORKING_ROLES = (
    Partnership.Role.ACCOUNTABLE,
    Partnership.Role.EXTENDING,
    Partnership.Role.IMPLEMENTING,
)


def visible_projects(user: User | AnonymousUser) -> QuerySet[Project]:
    """Projects where one of the user's organisations is a partner or a funder."""
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    organisation_ids = list(acting_organisations(user))
    if not organisation_ids:
        return Project.objects.none()
    partner = Partnership.objects.filter(
        project=OuterRef("pk"), organisation_id__in=organisation_ids
    )
    funder = Funding.objects.filter(project=OuterRef("pk"), funder_id__in=organisation_ids)
    return Project.objects.filter(Q(Exists(partner)) | Q(Exists(funder)))


@dataclass(frozen=True)
class ProjectAccess:
    """What a user may do on one project they can see."""

    sees_provisional: bool  # staff of a working partner see submitted figures too
    role_by_organisation: dict[int, str]


def project_access(user: User | AnonymousUser, project: Project) -> ProjectAccess:
    roles = acting_organisations(user)
    if getattr(user, "is_superuser", False):
        return ProjectAccess(sees_provisional=True, role_by_organisation=roles)
    working = Partnership.objects.filter(
        project=project, organisation_id__in=list(roles), role__in=WORKING_ROLES
    ).exists()
    return ProjectAccess(sees_provisional=working, role_by_organisation=roles)


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


def projects_for_portfolio(user: User | AnonymousUser) -> QuerySet[Project]:
    """The user's projects with their fundings, for the portfolio page."""
    return (
        visible_projects(user)
        .prefetch_related(
            Prefetch("fundings", queryset=Funding.objects.select_related("funder")),
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.filter(
                    role=Partnership.Role.IMPLEMENTING
                ).select_related("organisation"),
                to_attr="implementers",
            ),
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
    tree = {
        pk: (parent_id, name)
        for pk, parent_id, name in Location.objects.values_list("id", "parent_id", "name")
    }
    paths = []
    for location in locations:
        chain = []
        current: int | None = location.pk
        while current is not None:
            current, name = tree[current]
            chain.append(name)
        paths.append(" › ".join(reversed(chain)))
    return sorted(paths)
