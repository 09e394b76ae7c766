"""The snapshots above indicators: each project's counts of its indicators by status, and each
organisation's portfolios (what it funds, works on, or its members work on), recomputed from the
indicators' snapshots. Rows are locked as in `snapshots` (projects, then organisations), FOR NO
KEY UPDATE, so that concurrent jobs take turns without blocking an approval.
"""

import operator
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from functools import reduce
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import F, Q, Sum, Value
from django.utils import timezone

from indicators import progress
from indicators.models import Indicator, PortfolioSnapshot, ProjectSnapshot
from partners.models import Organisation
from partners.selectors import ancestors, descendants, descendants_by_root
from projects.models import Funding, Partnership, Project
from projects.selectors import WORKING_ROLES

STATUSES = tuple(str(status) for status in progress.Status)
BATCH = 2000  # indicators (or projects, or organisations) recomputed in one transaction


def _snapshot_of(owner: Indicator | Project) -> Any:
    """The snapshot read with its owner by select_related, or None where there is none yet."""
    try:
        return owner.snapshot
    except ObjectDoesNotExist:
        return None


def _capped_mean(percents: list[Decimal]) -> Decimal | None:
    if not percents:
        return None
    capped = [min(Decimal(100), max(Decimal(0), p)) for p in percents]
    return (sum(capped, Decimal(0)) / len(capped)).quantize(Decimal("0.01"))


Counts = dict[str, int]  # "indicators" and each status → how many


COUNTED = ("indicators", *STATUSES)


def _counts_of(snapshot: ProjectSnapshot | None) -> Counts:
    return {field: getattr(snapshot, field) if snapshot else 0 for field in COUNTED}


@transaction.atomic(savepoint=False)
def recompute_projects(
    project_ids: Sequence[int], *, adjust_portfolios: bool = False, portfolios: bool = True
) -> list[int]:
    """Recompute these projects' snapshots; return the organisations whose portfolios show them.

    With `adjust_portfolios`, the portfolios showing these projects are brought up to date in
    the same transaction by the change in each project's counts, which costs the same however
    many projects a portfolio holds (what a single approval needs). Without it the caller
    recomputes the portfolios whole; a caller that recomputes every portfolio anyway passes
    `portfolios=False`, and gets no organisations back.
    """
    # Each project's snapshot comes with it, as it stood before this recompute.
    projects = list(
        Project.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=project_ids)
        .select_related("snapshot")
        .order_by("pk")
    )
    ids = [project.pk for project in projects]
    before = {
        project.pk: snapshot
        for project in projects
        if (snapshot := _snapshot_of(project)) is not None
    }
    snapshots: dict[int, list[tuple[str, Decimal | None, Any]]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for project_id, status, percent, last_update in (
        Indicator.objects.filter(project_id__in=ids)
        .order_by()
        .values_list(
            "project_id", "snapshot__status", "snapshot__percent_of_target", "snapshot__last_update"
        )
    ):
        counts[project_id] += 1
        # An indicator without a snapshot yet has no status.
        if status is not None:
            snapshots[project_id].append((status, percent, last_update))
    now = timezone.now()
    rows = []
    for project in projects:
        mine = snapshots[project.pk]
        by_status = {status: sum(1 for s in mine if s[0] == status) for status in STATUSES}
        # Indicators not yet computed count as not started.
        by_status["not_started"] += counts.get(project.pk, 0) - len(mine)
        dates = [s[2] for s in mine if s[2]]
        rows.append(
            ProjectSnapshot(
                project=project,
                indicators=counts.get(project.pk, 0),
                overall_percent=_capped_mean([s[1] for s in mine if s[1] is not None]),
                last_update=max(dates) if dates else None,
                computed_at=now,
                **by_status,
            )
        )
    ProjectSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["project"],
        update_fields=["indicators", *STATUSES, "overall_percent", "last_update", "computed_at"],
    )
    if not (portfolios or adjust_portfolios):
        return []
    shown_in = _portfolios_showing(ids)
    if adjust_portfolios:
        changes: dict[int, Counts] = {}
        for row in rows:
            old = _counts_of(before.get(row.project_id))
            changes[row.project_id] = {f: n - old[f] for f, n in _counts_of(row).items()}
        _adjust_portfolios(shown_in, changes, now)
    return sorted({organisation for organisation, _kind in shown_in})


FUNDER_ROLE = 0  # no partnership role has it: marks the rows that come from fundings


def _portfolios_showing(project_ids: Sequence[int]) -> dict[tuple[int, str], set[int]]:
    """(organisation, kind) → which of these projects that portfolio shows."""
    kinds = PortfolioSnapshot.Kind
    shown: dict[tuple[int, str], set[int]] = defaultdict(set)
    involved: list[tuple[int, int]] = []
    in_networks: set[int] = set()
    parent_of: dict[int, int] = {}
    # Partners and funders in one query, with their parent organisation: networks are looked up
    # only above the organisations that have one.
    fundings = (
        Funding.objects.filter(project_id__in=project_ids)
        .annotate(as_role=Value(FUNDER_ROLE))
        .order_by()
        .values_list("funder_id", "project_id", "as_role", "funder__parent_id")
    )
    for organisation, project, role, parent in (
        Partnership.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list("organisation_id", "project_id", "role", "organisation__parent_id")
        .union(fundings, all=True)
    ):
        involved.append((organisation, project))
        if parent is not None:
            in_networks.add(organisation)
            parent_of[organisation] = parent
        if role == FUNDER_ROLE:
            shown[(organisation, kinds.FUNDER)].add(project)
        elif role in WORKING_ROLES:
            shown[(organisation, kinds.IMPLEMENTER)].add(project)
    above = ancestors(in_networks, known_parents=parent_of)
    for organisation, project in involved:
        for network in {organisation, *above.get(organisation, ())}:
            shown[(network, kinds.NETWORK)].add(project)
    return shown


def _adjust_portfolios(
    shown_in: dict[tuple[int, str], set[int]], changes: dict[int, Counts], now: datetime
) -> None:
    organisations = sorted({organisation for organisation, _kind in shown_in})
    # Locked in the same order as a whole recompute of portfolios takes them, which then reads
    # the project snapshots only once this change is committed; their snapshots' kinds come in
    # the same query.
    existing = {
        (organisation, kind)
        for organisation, kind in Organisation.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=organisations)
        .order_by("pk")
        .values_list("pk", "portfolio_snapshots__kind")
        if kind is not None
    }
    missing = {
        organisation
        for organisation, kind in shown_in
        if (organisation, kind) not in existing and kind != PortfolioSnapshot.Kind.NETWORK
    }
    by_change: dict[tuple[tuple[str, int], ...], list[Q]] = defaultdict(list)
    for (organisation, kind), projects in shown_in.items():
        if (organisation, kind) not in existing:
            continue
        total = {field: sum(changes[p][field] for p in projects) for field in COUNTED}
        if any(total.values()):
            by_change[tuple(sorted(total.items()))].append(
                Q(organisation_id=organisation, kind=kind)
            )
    for change, where in by_change.items():
        PortfolioSnapshot.objects.filter(reduce(operator.or_, where)).update(
            computed_at=now, **{field: F(field) + amount for field, amount in change}
        )
    if missing:
        recompute_portfolios(sorted(missing))


def portfolio_projects(organisation: Organisation, kind: str) -> Q:
    """Which projects a portfolio snapshot of this kind covers, as a filter on Project."""
    if kind == PortfolioSnapshot.Kind.FUNDER:
        return Q(fundings__funder=organisation)
    if kind == PortfolioSnapshot.Kind.IMPLEMENTER:
        return Q(partnerships__organisation=organisation, partnerships__role__in=WORKING_ROLES)
    members = descendants([organisation.pk])
    return Q(partnerships__organisation_id__in=members) | Q(fundings__funder_id__in=members)


def _portfolio_contents(organisation_ids: Sequence[int]) -> dict[tuple[int, str], set[int]]:
    """(organisation, kind) → every project in that portfolio, for these organisations: their
    funded and implemented projects, and for those with members, their network's projects."""
    kinds = PortfolioSnapshot.Kind
    wanted = set(organisation_ids)
    contents: dict[tuple[int, str], set[int]] = {}
    for organisation in wanted:
        contents[(organisation, kinds.FUNDER)] = set()
        contents[(organisation, kinds.IMPLEMENTER)] = set()
    networks = set(
        Organisation.objects.filter(parent_id__in=wanted).values_list("parent_id", flat=True)
    )
    below = descendants_by_root(networks)
    network_of: dict[int, list[int]] = defaultdict(list)
    for network, members in below.items():
        contents[(network, kinds.NETWORK)] = set()
        for member in members:
            network_of[member].append(network)
    reach = wanted | set(network_of)
    for organisation, project, role in Partnership.objects.filter(
        organisation_id__in=reach
    ).values_list("organisation_id", "project_id", "role"):
        if organisation in wanted and role in WORKING_ROLES:
            contents[(organisation, kinds.IMPLEMENTER)].add(project)
        for network in network_of.get(organisation, ()):
            contents[(network, kinds.NETWORK)].add(project)
    for funder, project in Funding.objects.filter(funder_id__in=reach).values_list(
        "funder_id", "project_id"
    ):
        if funder in wanted:
            contents[(funder, kinds.FUNDER)].add(project)
        for network in network_of.get(funder, ()):
            contents[(network, kinds.NETWORK)].add(project)
    return contents


@transaction.atomic
def recompute_portfolios(organisation_ids: Sequence[int]) -> None:
    """Recompute the funder, implementer and network portfolios of these organisations, from
    their projects' snapshots, in a fixed number of queries."""
    organisations = list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk__in=organisation_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    contents = _portfolio_contents(organisations)
    in_any = set().union(*contents.values()) if contents else set()
    counts = {
        snapshot.project_id: _counts_of(snapshot)
        for snapshot in ProjectSnapshot.objects.filter(project_id__in=in_any)
    }
    contributions: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for funder, currency, amount in (
        Funding.objects.filter(funder_id__in=organisations, amount__isnull=False)
        .values_list("funder_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        contributions[funder][currency] += amount
    now = timezone.now()
    rows = []
    for (organisation, kind), projects in sorted(contents.items()):
        totals = {
            field: sum(counts[p][field] for p in projects if p in counts) for field in COUNTED
        }
        funded = (
            contributions.get(organisation, {}) if kind == PortfolioSnapshot.Kind.FUNDER else {}
        )
        rows.append(
            PortfolioSnapshot(
                organisation_id=organisation,
                kind=kind,
                projects=len(projects),
                contributions={currency: str(amount) for currency, amount in funded.items()},
                computed_at=now,
                **totals,
            )
        )
    PortfolioSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organisation", "kind"],
        update_fields=["projects", "indicators", *STATUSES, "contributions", "computed_at"],
    )


def recompute_all_portfolios() -> int:
    """Recompute the portfolio of every organisation that funds, works on, or has members
    working on a project."""
    involved = set(Partnership.objects.values_list("organisation_id", flat=True)) | set(
        Funding.objects.values_list("funder_id", flat=True)
    )
    above = ancestors(involved)
    organisations = sorted(involved.union(*above.values()))
    for start in range(0, len(organisations), BATCH):
        recompute_portfolios(organisations[start : start + BATCH])
    return len(organisations)
