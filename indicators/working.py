"""How an indicator's figure is worked out: which approved updates it counts, under which rule,
against which baseline, target and expected-by-now band, and when it was computed.

A read, for the indicator's page and the API: the figure is the snapshot the dashboards show;
the updates are the approved ones, which anyone who may see the indicator may see. The rule's
arithmetic is indicators.progress's; its words are in indicators.wording."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from . import progress, wording
from .models import Indicator, IndicatorSnapshot, Period, ProgressUpdate
from .selectors import spec_for


@dataclass(frozen=True)
class CountedUpdate:
    update: ProgressUpdate
    period: Period | None  # the period it falls in (reported for, else by its date)
    counted: bool  # False where a later update of the same organisation replaces it


@dataclass(frozen=True)
class Working:
    indicator: Indicator
    achieved: Decimal | None
    percent_of_target: Decimal | None
    status: str
    rule: str  # how the approved updates combine into the figure
    period_rule: str  # what a period's figure is
    baseline: Decimal | None
    baseline_date: date | None
    target: Decimal | None  # the figure progress is measured against
    target_date: date
    expected_value: Decimal | None
    expected_percent: Decimal | None
    on_track_from: Decimal | None  # % of target from which it is on track at this date
    at_risk_from: Decimal | None
    computed_at: datetime | None
    being_recomputed: bool
    updates: list[CountedUpdate]

    @property
    def updates_counted(self) -> int:
        return sum(1 for row in self.updates if row.counted)


def working_of(indicator: Indicator, *, today: date | None = None) -> Working:
    """The working of one indicator's figure (a few queries: updates, their values, periods)."""
    today = today or timezone.localdate()
    snapshot = _snapshot(indicator)
    spec = spec_for(indicator, [])
    periods = list(Period.objects.filter(project_id=indicator.project_id).order_by("start"))
    approved = list(
        ProgressUpdate.objects.filter(indicator=indicator, status=ProgressUpdate.Status.APPROVED)
        .select_related("organisation", "period")
        .prefetch_related("values__category__dimension")
        .order_by("as_of", "pk")
    )
    counted = _counted(indicator, approved)
    expected = progress.expected_now(spec, today)
    if expected is not None and indicator.whole_numbers:
        expected = expected.quantize(Decimal(1), ROUND_HALF_UP)  # "about 58", not 58.02 people
    expected_percent = (
        snapshot.expected_percent
        if snapshot is not None and snapshot.computed_at is not None
        else progress.percent_of_target(spec, expected)
    )
    bands = (
        progress.status_bands(expected_percent)
        if expected_percent is not None and indicator.measure != Indicator.Measure.MILESTONE
        else (None, None)
    )
    return Working(
        indicator=indicator,
        achieved=snapshot.achieved if snapshot else None,
        percent_of_target=snapshot.percent_of_target if snapshot else None,
        status=snapshot.status if snapshot else str(progress.Status.NOT_STARTED),
        rule=wording.rule(indicator.measure, indicator.aggregation),
        period_rule=wording.period_rule(indicator.measure, indicator.aggregation),
        baseline=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        target=progress.reference_target(spec) if indicator.has_figure_target else None,
        target_date=spec.target_date,
        expected_value=expected if indicator.has_figure_target else None,
        expected_percent=expected_percent if indicator.has_figure_target else None,
        on_track_from=bands[0],
        at_risk_from=bands[1],
        computed_at=snapshot.computed_at if snapshot else None,
        being_recomputed=snapshot is None or snapshot.stale_since is not None,
        updates=[
            CountedUpdate(update, _period_of(update, periods), update.pk in counted)
            for update in approved
        ],
    )


def _snapshot(indicator: Indicator) -> IndicatorSnapshot | None:
    try:
        return indicator.snapshot
    except ObjectDoesNotExist:
        return None


def _counted(indicator: Indicator, approved: list[ProgressUpdate]) -> set[int]:
    """The updates the figure counts: all of them when updates add up; otherwise the latest
    of each reporting organisation, chosen as the progress module chooses it."""
    adds_up = (
        indicator.aggregation == Indicator.Aggregation.SUM
        and indicator.measure != Indicator.Measure.MILESTONE
    )
    if adds_up or indicator.measure == Indicator.Measure.QUALITATIVE:
        return {update.pk for update in approved}
    readings = [
        progress.Reading(
            as_of=update.as_of,
            recorded_at=update.reviewed_at or update.submitted_at,
            sequence=update.pk,
            source=update.organisation_id,
        )
        for update in approved
    ]
    return {reading.sequence for reading in progress.latest_per_source(readings)}


def _period_of(update: ProgressUpdate, periods: list[Period]) -> Period | None:
    if update.period is not None:
        return update.period
    return next((p for p in periods if p.start <= update.as_of <= p.end), None)
