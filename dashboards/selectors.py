"""Reads for the dashboards: snapshot rows only, never raw updates, a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404

from indicators import progress
from indicators.models import (
    Category,
    Indicator,
    OrganisationIndicatorSnapshot,
    PortfolioSnapshot,
)
from indicators.services.project_snapshots import portfolio_projects
from partners.models import Organisation, User
from partners.selectors import acting_organisations, descendants, descendants_by_root
from projects.models import Funding, Partnership, Project
from projects.selectors import WORKING_ROLES, implementers_prefetch, visible_projects

Kind = PortfolioSnapshot.Kind


@dataclass(frozen=True)
class DashboardChoice:
    organisation: Organisation
    kinds: list[str]


def dashboard_choices(user: User | AnonymousUser) -> list[DashboardChoice]:
    """The dashboards a user may open: for each of their organisations, the portfolios it has."""
    ids = list(acting_organisations(user)) if user.is_authenticated else []
    organisations = Organisation.objects.filter(pk__in=ids).order_by("name")
    funders = set(Funding.objects.filter(funder_id__in=ids).values_list("funder_id", flat=True))
    workers = set(
        Partnership.objects.filter(organisation_id__in=ids, role__in=WORKING_ROLES).values_list(
            "organisation_id", flat=True
        )
    )
    parents = set(
        Organisation.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True)
    )
    networks = {
        parent_id
        for parent_id, members in descendants_by_root(parents).items()
        if members <= set(ids)
    }
    choices = []
    for organisation in organisations:
        kinds = [
            str(kind)
            for kind, present in (
                (Kind.FUNDER, organisation.pk in funders),
                (Kind.IMPLEMENTER, organisation.pk in workers),
                (Kind.NETWORK, organisation.pk in networks),
            )
            if present
        ]
        if kinds:
            choices.append(DashboardChoice(organisation=organisation, kinds=kinds))
    return choices


def _sees_whole_network(acting: set[int], organisation_id: int) -> bool:
    """A network's dashboard is for those who see the work of all its members: people of a
    network that oversees its members, or of one above it that does."""
    return descendants([organisation_id]) <= acting


def dashboard_organisation(user: User | AnonymousUser, pk: int, kind: str) -> Organisation:
    """The organisation whose dashboard is asked for, or 404 if the user does not act for it
    (or, for a network, does not see every member's work)."""
    acting = set(acting_organisations(user))
    if kind not in Kind.values or pk not in acting:
        raise Http404
    if kind == Kind.NETWORK and not _sees_whole_network(acting, pk):
        raise Http404
    try:
        return Organisation.objects.get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def portfolio_snapshot(organisation: Organisation, kind: str) -> PortfolioSnapshot | None:
    return PortfolioSnapshot.objects.filter(organisation=organisation, kind=kind).first()


def dashboard_projects(
    user: User | AnonymousUser, organisation: Organisation, kind: str
) -> QuerySet[Project]:
    """The portfolio's projects with their snapshot and the organisation's own fundings; never
    one the user may not see."""
    return (
        Project.objects.filter(
            pk__in=Project.objects.filter(portfolio_projects(organisation, kind)).values("pk")
        )
        .filter(pk__in=visible_projects(user).values("pk"))
        .select_related("snapshot")
        .prefetch_related(
            Prefetch(
                "fundings",
                queryset=Funding.objects.filter(funder=organisation),
                to_attr="own_fundings",
            ),
            implementers_prefetch(),
        )
        .order_by("title")
    )


def report_projects(
    user: User | AnonymousUser, organisation: Organisation, kind: str
) -> QuerySet[Project]:
    """The portfolio's projects for its report file: only what the user may see, in order."""
    return (
        Project.objects.filter(
            pk__in=Project.objects.filter(portfolio_projects(organisation, kind)).values("pk")
        )
        .filter(pk__in=visible_projects(user).values("pk"))
        .order_by("title", "pk")
    )


@dataclass(frozen=True)
class PeopleReached:
    reach: progress.Reach
    by_sex: list[tuple[str, Decimal]]  # the sex dimension's categories, named, in order
    over_time: list[tuple[date, Decimal]]  # people reached by the end of each half-year


def people_reached(
    user: User | AnonymousUser, organisation: Organisation, kind: str, *, today: date
) -> PeopleReached:
    """The people the portfolio's projects reach, from the one indicator per beneficiary group
    flagged as counting each person once (never a sum of every indicator counting people), by
    sex where the indicator says it, and by the end of each half-year. Two queries."""
    rows = list(
        Indicator.objects.filter(
            project__in=dashboard_projects(user, organisation, kind).values("pk"),
            counts_people_reached=True,
            beneficiary_group__isnull=False,
        ).values_list("snapshot__achieved", "snapshot__parts", "snapshot__periods")
    )
    reach = progress.people_reached((achieved, parts or {}) for achieved, parts, _p in rows)
    series = [
        [
            (date.fromisoformat(period["end"]), _decimal(period["cumulative_value"]))
            for period in periods or []
        ]
        for _a, _parts, periods in rows
    ]
    starts = [points[0][0] for points in series if points]
    ends = progress.half_year_ends(min(starts), today) if starts else []
    names = {
        category.slug: category.translated("name")
        for category in Category.objects.filter(dimension__slug=progress.SEX).order_by("order")
    }
    return PeopleReached(
        reach=reach,
        by_sex=[(name, reach.by_sex[slug]) for slug, name in names.items() if slug in reach.by_sex],
        over_time=list(zip(ends, progress.reach_to_date(series, ends), strict=True)),
    )


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def contribution_share(project: Project, fundings: list[Funding]) -> Decimal | None:
    """What the organisation's fundings are of the project's budget, in percent."""
    amounts = [
        f.amount for f in fundings if f.amount is not None and f.currency == project.currency
    ]
    if not amounts or not project.budget:
        return None
    return (sum(amounts, Decimal(0)) / project.budget * 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def dashboard_project(
    user: User | AnonymousUser, organisation: Organisation, kind: str, pk: int
) -> Project:
    try:
        return (
            Project.objects.filter(portfolio_projects(organisation, kind))
            .filter(pk__in=visible_projects(user).values("pk"))
            .select_related("snapshot")
            .distinct()
            .get(pk=pk)
        )
    except Project.DoesNotExist:
        raise Http404 from None


def indicator_snapshots(project: Project) -> list[Indicator]:
    """The project's indicators, each with its snapshot (or none yet), in framework order."""
    return list(
        Indicator.objects.filter(project=project)
        .select_related("result", "snapshot")
        .order_by(F("result__order").asc(nulls_last=True), "result__number", "order", "code")
    )


@dataclass(frozen=True)
class RollupRow:
    organisation: Organisation
    depth: int
    values: list[Decimal | None]  # one per indicator, with the organisation's members


def network_rollup(
    organisation: Organisation, indicators: list[Indicator]
) -> tuple[list[Indicator], list[RollupRow]]:
    """The network's tree (this organisation and every member below it), each with the figures
    it and its members reported on the indicators that members report."""
    members = descendants([organisation.pk])
    rows = list(
        OrganisationIndicatorSnapshot.objects.filter(
            indicator__in=indicators, organisation_id__in=members
        )
    )
    reported = [i for i in indicators if any(r.indicator_id == i.pk for r in rows)]
    figures = {(r.organisation_id, r.indicator_id): r.rolled_up for r in rows}
    tree: dict[int | None, list[Organisation]] = defaultdict(list)
    for member in Organisation.objects.filter(pk__in=members).order_by("name"):
        tree[member.parent_id if member.pk != organisation.pk else None].append(member)
    ordered: list[RollupRow] = []

    def walk(node: Organisation, depth: int) -> None:
        ordered.append(
            RollupRow(
                organisation=node,
                depth=depth,
                values=[figures.get((node.pk, i.pk)) for i in reported],
            )
        )
        for child in tree.get(node.pk, []):
            walk(child, depth + 1)

    walk(organisation, 0)
    return reported, ordered


def stale_count(indicators: list[Indicator]) -> int:
    return sum(
        1
        for indicator in indicators
        if not hasattr(indicator, "snapshot") or indicator.snapshot.stale_since is not None
    )


def oldest_computation(indicators: list[Indicator]) -> datetime | None:
    times = [
        indicator.snapshot.computed_at
        for indicator in indicators
        if hasattr(indicator, "snapshot") and indicator.snapshot.computed_at
    ]
    return min(times) if times else None
