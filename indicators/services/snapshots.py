"""Recomputing the snapshots dashboards read, from approved updates only.

Every function recomputes from the source rows, so running it twice, or concurrently, ends with
the same figures: rows being recomputed are locked (indicators, then projects, then
organisations) so concurrent jobs take turns, and the last one reads what is committed. The
locks are FOR NO KEY UPDATE: an approval marking a snapshot stale meanwhile needs a KEY SHARE
lock on the indicator for its foreign key, and must not deadlock with the job.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from partners.models import Organisation
from partners.selectors import ancestors, descendants
from projects.models import Funding, Partnership, Project
from projects.selectors import WORKING_ROLES

from .. import progress
from ..models import (
    CategoryTarget,
    Indicator,
    IndicatorSnapshot,
    OrganisationIndicatorSnapshot,
    Period,
    PeriodTarget,
    PortfolioSnapshot,
    ProgressUpdate,
    ProjectSnapshot,
    UpdateValue,
)
from ..selectors import reading_for, spec_for

STATUSES = ("not_started", "on_track", "at_risk", "off_track", "achieved")
BATCH = 200


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def mark_stale(indicator_ids: Iterable[int]) -> None:
    """Record, in the caller's transaction, that these indicators' snapshots are out of date.

    Only existing rows are touched: an indicator without a snapshot counts as stale anyway. An
    update that leaves the key alone needs no foreign-key lock on the indicator, which a
    recompute holds, so an approval never waits in a cycle with a recompute job.
    """
    ids = sorted(set(indicator_ids))
    IndicatorSnapshot.objects.filter(pk__in=ids).update(stale_since=timezone.now())


def _category_rows(targets: list[CategoryTarget], figures: progress.Progress) -> list[dict]:
    return [
        {
            "dimension": target.category.dimension.slug,
            "category": target.category.slug,
            "dimension_name": target.category.dimension.name,
            "category_name": target.category.name,
            "is_share_target": target.target_share is not None,
            "target_value": _text(row.target_value),
            "target_share": _text(row.target_share),
            "achieved_value": _text(row.achieved_value),
            "achieved_share": _text(row.achieved_share),
            "met": row.met,
        }
        for target, row in zip(targets, figures.categories, strict=True)
    ]


@transaction.atomic
def recompute_indicators(indicator_ids: Sequence[int], *, today=None) -> list[int]:
    """Recompute the snapshots (and network roll-ups) of these indicators; return their
    projects' ids."""
    today = today or timezone.localdate()
    indicators = list(
        Indicator.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=indicator_ids)
        .select_related("project")
        .order_by("pk")
    )
    ids = [indicator.pk for indicator in indicators]
    stale_before = dict(
        IndicatorSnapshot.objects.filter(pk__in=ids).values_list("indicator_id", "stale_since")
    )
    targets: dict[int, list[CategoryTarget]] = defaultdict(list)
    for target in CategoryTarget.objects.filter(indicator_id__in=ids).select_related(
        "category__dimension"
    ):
        targets[target.indicator_id].append(target)
    readings: dict[int, list[progress.Reading]] = defaultdict(list)
    reporters: dict[int, list[tuple[int, progress.Reading]]] = defaultdict(list)
    approved = ProgressUpdate.objects.filter(
        indicator_id__in=ids, status=ProgressUpdate.Status.APPROVED
    ).prefetch_related(
        Prefetch("values", queryset=UpdateValue.objects.select_related("category__dimension"))
    )
    last_update: dict[int, Any] = {}
    for update in approved:
        reading = reading_for(update, update.values.all())
        readings[update.indicator_id].append(reading)
        if update.organisation_id is not None:
            reporters[update.indicator_id].append((update.organisation_id, reading))
        previous = last_update.get(update.indicator_id)
        last_update[update.indicator_id] = max(previous, update.as_of) if previous else update.as_of
    project_ids = {indicator.project_id for indicator in indicators}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(project_id__in=project_ids).order_by("start"):
        periods[period.project_id].append(period)
    period_targets = {
        (t.indicator_id, t.period_id): t.target_value
        for t in PeriodTarget.objects.filter(indicator_id__in=ids)
    }

    now = timezone.now()
    rows = []
    for indicator in indicators:
        spec = spec_for(indicator, targets[indicator.pk])
        figures = progress.evaluate(spec, readings[indicator.pk], today=today)
        windows = [
            progress.PeriodWindow(p.start, p.end, period_targets.get((indicator.pk, p.pk)))
            for p in periods[indicator.project_id]
        ]
        series = progress.period_figures(spec, readings[indicator.pk], windows)
        rows.append(
            IndicatorSnapshot(
                indicator=indicator,
                achieved=figures.achieved,
                numerator=figures.numerator,
                denominator=figures.denominator,
                percent_of_target=figures.percent_of_target,
                expected_percent=figures.expected_percent,
                within_range=figures.within_range,
                status=str(figures.status),
                updates_counted=figures.readings_counted,
                last_update=last_update.get(indicator.pk),
                categories=_category_rows(targets[indicator.pk], figures),
                periods=[
                    {
                        "name": period.name,
                        "start": period.start.isoformat(),
                        "end": period.end.isoformat(),
                        "target_value": _text(row.target_value),
                        "achieved_value": _text(row.achieved_value),
                        "cumulative_value": _text(row.cumulative_value),
                    }
                    for period, row in zip(periods[indicator.project_id], series, strict=True)
                ],
                computed_at=now,
                stale_since=stale_before.get(indicator.pk),
            )
        )
    fields = [f.name for f in IndicatorSnapshot._meta.concrete_fields if not f.primary_key]
    fields.remove("stale_since")
    fields.remove("recomputes")
    IndicatorSnapshot.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["indicator"], update_fields=fields
    )
    # Clear the stale mark only where nothing changed since this job read it: a change that
    # came in meanwhile keeps its mark, and the job it scheduled (or the repair) follows.
    for pk, stamp in stale_before.items():
        if stamp is not None:
            IndicatorSnapshot.objects.filter(pk=pk, stale_since=stamp).update(stale_since=None)
    _recompute_network_rollups(indicators, reporters, now)
    return sorted(project_ids)


def _recompute_network_rollups(
    indicators: list[Indicator],
    reporters: dict[int, list[tuple[int, progress.Reading]]],
    now: datetime,
) -> None:
    """Each reporting organisation's figure, and each one's with everything below it."""
    ids = [indicator.pk for indicator in indicators]
    OrganisationIndicatorSnapshot.objects.filter(indicator_id__in=ids).delete()
    reporting = {org for rows in reporters.values() for org, _reading in rows}
    if not reporting:
        return
    above = ancestors(reporting)
    rows = []
    for indicator in indicators:
        by_org = reporters.get(indicator.pk, [])
        if not by_org:
            continue
        subtree: dict[int, list[progress.Reading]] = defaultdict(list)
        own: dict[int, list[progress.Reading]] = defaultdict(list)
        for org, reading in by_org:
            own[org].append(reading)
            for holder in {org, *above[org]}:
                subtree[holder].append(reading)
        for org, readings in subtree.items():
            rows.append(
                OrganisationIndicatorSnapshot(
                    indicator=indicator,
                    organisation_id=org,
                    own=progress.achieved(indicator.measure, indicator.aggregation, own[org]).value
                    if own.get(org)
                    else None,
                    rolled_up=progress.achieved(
                        indicator.measure, indicator.aggregation, readings
                    ).value,
                    computed_at=now,
                )
            )
    OrganisationIndicatorSnapshot.objects.bulk_create(rows)


def _capped_mean(percents: list[Decimal]) -> Decimal | None:
    if not percents:
        return None
    capped = [min(Decimal(100), max(Decimal(0), p)) for p in percents]
    return (sum(capped, Decimal(0)) / len(capped)).quantize(Decimal("0.01"))


@transaction.atomic
def recompute_projects(project_ids: Sequence[int]) -> list[int]:
    """Recompute these projects' snapshots; return the organisations whose portfolios show them."""
    projects = list(
        Project.objects.select_for_update(no_key=True).filter(pk__in=project_ids).order_by("pk")
    )
    ids = [project.pk for project in projects]
    snapshots: dict[int, list[IndicatorSnapshot]] = defaultdict(list)
    for snapshot in IndicatorSnapshot.objects.filter(indicator__project_id__in=ids).annotate(
        project_pk=F("indicator__project_id")
    ):
        snapshots[snapshot.project_pk].append(snapshot)
    counts = dict(
        Indicator.objects.filter(project_id__in=ids)
        .order_by()
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    now = timezone.now()
    rows = []
    for project in projects:
        mine = snapshots[project.pk]
        by_status = {status: sum(1 for s in mine if s.status == status) for status in STATUSES}
        # Indicators not yet computed count as not started.
        by_status["not_started"] += counts.get(project.pk, 0) - len(mine)
        dates = [s.last_update for s in mine if s.last_update]
        rows.append(
            ProjectSnapshot(
                project=project,
                indicators=counts.get(project.pk, 0),
                overall_percent=_capped_mean(
                    [s.percent_of_target for s in mine if s.percent_of_target is not None]
                ),
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
    involved = set(
        Partnership.objects.filter(project_id__in=ids).values_list("organisation_id", flat=True)
    ) | set(Funding.objects.filter(project_id__in=ids).values_list("funder_id", flat=True))
    above = ancestors(involved)
    return sorted(involved.union(*above.values()) if above else involved)


def portfolio_projects(organisation: Organisation, kind: str) -> Q:
    """Which projects a portfolio snapshot of this kind covers, as a filter on Project."""
    if kind == PortfolioSnapshot.Kind.FUNDER:
        return Q(fundings__funder=organisation)
    if kind == PortfolioSnapshot.Kind.IMPLEMENTER:
        return Q(partnerships__organisation=organisation, partnerships__role__in=WORKING_ROLES)
    members = descendants([organisation.pk])
    return Q(partnerships__organisation_id__in=members) | Q(fundings__funder_id__in=members)


@transaction.atomic
def recompute_portfolios(organisation_ids: Sequence[int]) -> None:
    """Recompute the funder, implementer and network portfolios of these organisations."""
    organisations = list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(pk__in=organisation_ids)
        .order_by("pk")
    )
    now = timezone.now()
    rows = []
    for organisation in organisations:
        kinds = [PortfolioSnapshot.Kind.FUNDER, PortfolioSnapshot.Kind.IMPLEMENTER]
        if organisation.members.exists():
            kinds.append(PortfolioSnapshot.Kind.NETWORK)
        for kind in kinds:
            project_ids = list(
                Project.objects.filter(portfolio_projects(organisation, kind))
                .values_list("pk", flat=True)
                .distinct()
            )
            snapshots = list(ProjectSnapshot.objects.filter(project_id__in=project_ids))
            contributions: dict[str, Decimal] = defaultdict(Decimal)
            if kind == PortfolioSnapshot.Kind.FUNDER:
                for funding in Funding.objects.filter(
                    funder=organisation, amount__isnull=False, project_id__in=project_ids
                ):
                    contributions[funding.currency] += funding.amount or Decimal(0)
            rows.append(
                PortfolioSnapshot(
                    organisation=organisation,
                    kind=kind,
                    projects=len(project_ids),
                    indicators=sum(s.indicators for s in snapshots),
                    contributions={
                        currency: str(amount) for currency, amount in contributions.items()
                    },
                    computed_at=now,
                    **{status: sum(getattr(s, status) for s in snapshots) for status in STATUSES},
                )
            )
    PortfolioSnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organisation", "kind"],
        update_fields=["projects", "indicators", *STATUSES, "contributions", "computed_at"],
    )


def recompute_for_indicator(indicator_id: int) -> list[int]:
    """What an approval sets off: the indicator, then its project, then the portfolios above.
    Returns the projects whose figures were recomputed."""
    project_ids = recompute_indicators([indicator_id])
    # Counted so that coalescing can be seen working: a burst of approvals, a few recomputes.
    IndicatorSnapshot.objects.filter(pk=indicator_id).update(recomputes=F("recomputes") + 1)
    if project_ids:
        recompute_portfolios(recompute_projects(project_ids))
    return project_ids


def stale_indicator_ids() -> list[int]:
    """Indicators whose snapshot is marked stale or does not exist yet."""
    return list(
        Indicator.objects.filter(Q(snapshot__isnull=True) | Q(snapshot__stale_since__isnull=False))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def recompute(
    indicator_ids: Sequence[int] | None = None,
    *,
    progress_callback: Callable[[int], object] = lambda done: None,
) -> int:
    """Recompute the given indicators (all when None) in batches, then their projects and every
    portfolio above them. Returns how many indicators were recomputed."""
    if indicator_ids is None:
        indicator_ids = list(
            Indicator.objects.order_by("project_id", "pk").values_list("pk", flat=True)
        )
    projects: set[int] = set()
    for start in range(0, len(indicator_ids), BATCH):
        batch = indicator_ids[start : start + BATCH]
        projects.update(recompute_indicators(batch))
        progress_callback(len(batch))
    organisations: set[int] = set()
    project_list = sorted(projects)
    for start in range(0, len(project_list), BATCH):
        organisations.update(recompute_projects(project_list[start : start + BATCH]))
    organisation_list = sorted(organisations)
    for start in range(0, len(organisation_list), BATCH):
        recompute_portfolios(organisation_list[start : start + BATCH])
    return len(indicator_ids)


_deferred: ContextVar[set[int] | None] = ContextVar("deferred_recomputes", default=None)


def approved_figures_changed(indicator_id: int) -> None:
    """Call inside the transaction that changed what counts: the snapshot is marked stale now,
    and a recompute is scheduled once (and only if) the transaction commits."""
    mark_stale([indicator_id])
    batch = _deferred.get()
    if batch is not None:
        batch.add(indicator_id)
        return
    transaction.on_commit(lambda: _schedule([indicator_id]))


@contextmanager
def deferred_recomputes() -> Iterator[None]:
    """Gather the recomputes of a bulk operation (loading data, an import) into one batch,
    scheduled when the surrounding transaction commits."""
    batch: set[int] = set()
    token = _deferred.set(batch)
    try:
        yield
    finally:
        _deferred.reset(token)
    if batch:
        ids = sorted(batch)
        transaction.on_commit(lambda: _schedule(ids))


def _schedule(indicator_ids: list[int]) -> None:
    # Imported here: the tasks module imports these services.
    from ..tasks import schedule_batch, schedule_recompute

    if len(indicator_ids) == 1:
        schedule_recompute(indicator_ids[0])
    else:
        schedule_batch(indicator_ids)
