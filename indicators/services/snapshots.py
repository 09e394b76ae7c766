"""Recomputing the snapshots dashboards read, from approved updates only: each indicator's here,
and the orchestration of a whole recompute; the projects' and portfolios' above them in
`project_snapshots`.

Every function recomputes from the source rows, so running it twice, or concurrently, ends with
the same figures: rows being recomputed are locked (indicators, then projects, then
organisations) so concurrent jobs take turns, and the last one reads what is committed. The
locks are FOR NO KEY UPDATE: an approval marking a snapshot stale meanwhile needs a KEY SHARE
lock on the indicator for its foreign key, and must not deadlock with the job.
"""

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import reduce

from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from core.bulk import upsert
from indicators import progress
from indicators.models import (
    CategoryTarget,
    Indicator,
    IndicatorSnapshot,
    OrganisationIndicatorSnapshot,
    Period,
)
from indicators.selectors import spec_for
from partners.models import Organisation
from partners.selectors import ancestors
from projects.models import Project

from .project_snapshots import (
    BATCH,
    recompute_portfolios,
    recompute_projects,
)
from .readings import approved_readings

CHUNK_PROJECTS = 100  # projects per chunk of a full recompute spread over workers


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _parts(parts: Mapping[progress.CategoryKey, Decimal]) -> dict[str, str]:
    return {f"{dimension}/{category}": str(value) for (dimension, category), value in parts.items()}


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
            # Their translations, so that every reader's language shows without a query.
            "dimension_names": target.category.dimension.translations_of("name"),
            "category_names": target.category.translations_of("name"),
            "is_share_target": target.target_share is not None,
            "target_value": _text(row.target_value),
            "target_share": _text(row.target_share),
            "achieved_value": _text(row.achieved_value),
            "achieved_share": _text(row.achieved_share),
            "met": row.met,
            "to_go": _text(row.to_go),
            "share_on_course": row.share_on_course,
        }
        for target, row in zip(targets, figures.categories, strict=True)
    ]


# What a snapshot row keeps of a figure, in the JSON its readers expect.
def _period_rows(
    periods: Sequence[tuple[int, str, date, date]], series: Sequence[progress.PeriodFigures]
) -> list[dict]:
    return [
        {
            "name": name,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "target_value": _text(row.target_value),
            "achieved_value": _text(row.achieved_value),
            "cumulative_value": _text(row.cumulative_value),
            "percent": _text(row.percent),
            "parts": _parts(row.parts),
        }
        for (_pk, name, start, end), row in zip(periods, series, strict=True)
    ]


# The columns a recompute sets on an existing snapshot: all but its key, its stale mark (cleared
# apart, only where nothing changed meanwhile) and its count of jobs (set only when counting).
WRITTEN = tuple(
    field.name
    for field in IndicatorSnapshot._meta.concrete_fields
    if field.name not in ("indicator", "stale_since", "recomputes")
)


# No savepoint when inside a larger transaction: nothing catches their errors half-way, and a
# savepoint costs two more round trips on every approval's recompute.
@transaction.atomic(savepoint=False)
def recompute_indicators(
    indicator_ids: Sequence[int], *, today: date | None = None, count: bool = False
) -> list[int]:
    """Recompute the snapshots (and network roll-ups) of these indicators; return their
    projects' ids. With `count`, each snapshot's count of recomputes goes up by one.

    The database groups the approved updates (`approved_readings`), the progress module turns
    them into every indicator's figures at once (`progress.evaluate_many`), and the snapshots
    are written in one statement."""
    today = today or timezone.localdate()
    # The snapshot's stale mark and count come with the indicator, whose lock keeps every
    # other recompute away from it meanwhile: read here, in the same query.
    indicators = list(
        Indicator.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=indicator_ids)
        .select_related("project")
        .only(*SPEC_FIELDS)
        .annotate(
            snapshot_stale_since=F("snapshot__stale_since"),
            snapshot_recomputes=F("snapshot__recomputes"),
        )
        .order_by("pk")
    )
    ids = [indicator.pk for indicator in indicators]
    targets: dict[int, list[CategoryTarget]] = defaultdict(list)
    for target in CategoryTarget.objects.filter(indicator_id__in=ids).select_related(
        "category__dimension"
    ):
        targets[target.indicator_id].append(target)
    # Every indicator's values by category: the periods' figures show them, targets or not.
    readings = approved_readings(indicators, with_parts=set(ids))
    project_ids = {indicator.project_id for indicator in indicators}
    periods, period_targets = _periods_with_targets(project_ids, ids)

    cases = [
        progress.Case(
            spec=spec_for(indicator, targets[indicator.pk]),
            readings=readings.get(indicator.pk, []),
            periods=[
                progress.PeriodWindow(start, end, period_targets.get((indicator.pk, pk)))
                for pk, _name, start, end in periods[indicator.project_id]
            ],
        )
        for indicator in indicators
    ]
    now = timezone.now()
    rows = []
    for indicator, case, (figures, series) in zip(
        indicators, cases, progress.evaluate_many(cases, today=today), strict=True
    ):
        rows.append(
            {
                "indicator": indicator.pk,
                "achieved": figures.achieved,
                "numerator": figures.numerator,
                "denominator": figures.denominator,
                "percent_of_target": figures.percent_of_target,
                "expected_percent": figures.expected_percent,
                "within_range": figures.within_range,
                "status": str(figures.status),
                "updates_counted": figures.readings_counted,
                "last_update": max((r.as_of for r in case.readings), default=None),
                "categories": _category_rows(targets[indicator.pk], figures),
                "parts": _parts(figures.parts),
                "periods": _period_rows(periods[indicator.project_id], series),
                "computed_at": now,
                "stale_since": indicator.snapshot_stale_since,
                "recomputes": (indicator.snapshot_recomputes or 0) + (1 if count else 0),
            }
        )
    upsert(
        IndicatorSnapshot,
        rows,
        unique=["indicator"],
        update=[*WRITTEN, "recomputes"] if count else WRITTEN,
    )
    # Clear the stale mark only where nothing changed since this job read it: a change that
    # came in meanwhile keeps its mark, and the job it scheduled (or the repair) follows.
    unchanged = [
        Q(pk=indicator.pk, stale_since=indicator.snapshot_stale_since)
        for indicator in indicators
        if indicator.snapshot_stale_since
    ]
    if unchanged:
        IndicatorSnapshot.objects.filter(reduce(operator.or_, unchanged)).update(stale_since=None)
    reporters = {
        pk: [(reading.source, reading) for reading in mine if reading.source is not None]
        for pk, mine in readings.items()
    }
    _recompute_network_rollups(list(indicators), reporters, now)
    return sorted(project_ids)


# What `spec_for` reads of an indicator and its project, and the readings of its kind.
SPEC_FIELDS = (
    "project",
    "measure",
    "aggregation",
    "target_date",
    "direction",
    "target_kind",
    "target_value",
    "target_min",
    "target_max",
    "baseline_value",
    "baseline_date",
    "project__actual_start",
    "project__planned_start",
    "project__actual_end",
    "project__planned_end",
)


def _periods_with_targets(
    project_ids: Iterable[int], indicator_ids: Sequence[int]
) -> tuple[dict[int, list[tuple[int, str, date, date]]], dict[tuple[int, int], Decimal]]:
    """Each project's periods in order (id, name, start, end), and (indicator, period) →
    target, in one query."""
    periods: dict[int, list[tuple[int, str, date, date]]] = defaultdict(list)
    targets: dict[tuple[int, int], Decimal] = {}
    seen: set[int] = set()
    for pk, project_id, name, start, end, target_of, target in (
        Period.objects.filter(project_id__in=project_ids)
        .annotate(
            wanted=FilteredRelation("targets", condition=Q(targets__indicator_id__in=indicator_ids))
        )
        .order_by("start", "pk")
        .values_list(
            "pk",
            "project_id",
            "name",
            "start",
            "end",
            "wanted__indicator_id",
            "wanted__target_value",
        )
    ):
        if pk not in seen:
            seen.add(pk)
            periods[project_id].append((pk, name, start, end))
        if target_of is not None:
            targets[(target_of, pk)] = target
    return periods, targets


def _recompute_network_rollups(
    indicators: list[Indicator],
    reporters: Mapping[int, list[tuple[int, progress.Reading]]],
    now: datetime,
) -> None:
    """Each reporting organisation's figure, and each one's with everything below it.

    Only organisations in a network (with a parent or with members) get rows: network pages
    are the only ones that show them.
    """
    ids = [indicator.pk for indicator in indicators]
    OrganisationIndicatorSnapshot.objects.filter(indicator_id__in=ids).delete()
    reporting = {org for rows in reporters.values() for org, _reading in rows}
    if not reporting:
        return
    # With their parents: the climb up the network starts above them.
    parent_of = dict(
        Organisation.objects.filter(pk__in=reporting)
        .filter(Q(parent__isnull=False) | Q(members__isnull=False))
        .order_by()
        .values_list("pk", "parent_id")
        .distinct()
    )
    if not parent_of:
        return
    networked = set(parent_of)
    above = ancestors(networked, known_parents=parent_of)
    rows = []
    for indicator in indicators:
        by_org = [(org, r) for org, r in reporters.get(indicator.pk, []) if org in networked]
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


@transaction.atomic
def recompute_for_indicator(indicator_id: int) -> list[int]:
    """What an approval sets off: the indicator, then its project, then the portfolios above,
    in one transaction that takes its locks in that order. Returns the projects whose figures
    were recomputed."""
    # Counted so that coalescing can be seen working: a burst of approvals, a few recomputes.
    project_ids = recompute_indicators([indicator_id], count=True)
    if project_ids:
        recompute_projects(project_ids, adjust_portfolios=True)
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
    today: date | None = None,
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
        projects.update(recompute_indicators(batch, today=today))
        progress_callback(len(batch))
    organisations: set[int] = set()
    project_list = sorted(projects)
    for start in range(0, len(project_list), BATCH):
        organisations.update(recompute_projects(project_list[start : start + BATCH]))
    organisation_list = sorted(organisations)
    for start in range(0, len(organisation_list), BATCH):
        recompute_portfolios(organisation_list[start : start + BATCH])
    return len(indicator_ids)


def project_chunks(size: int = CHUNK_PROJECTS) -> list[list[int]]:
    """Every project, in chunks of about `size`, for workers to recompute side by side."""
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def recompute_chunk(project_ids: Sequence[int]) -> int:
    """Recompute every indicator of these projects and the projects themselves (not their
    portfolios, which `recompute_all_portfolios` does once every chunk is done). Chunks hold
    different projects, so workers running them side by side never wait for each other."""
    indicator_ids = list(
        Indicator.objects.filter(project_id__in=project_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(indicator_ids), BATCH):
        recompute_indicators(indicator_ids[start : start + BATCH])
    # Every portfolio is recomputed once all chunks are done (`recompute_all_portfolios`).
    recompute_projects(project_ids, portfolios=False)
    return len(indicator_ids)
