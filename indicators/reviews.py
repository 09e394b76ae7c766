"""What a reviewer sees of each update awaiting review: the period it reports into, its
evidence, what approving it makes of the approved figures, and the updates it likely repeats.

Reads only; the queue itself (who reviews what) is `selectors.review_queue`."""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from partners.models import User

from . import progress
from .models import Indicator, PeriodTarget, ProgressUpdate, UpdateValue
from .selectors import Authority, authority_of, reading_for, review_queue, spec_for
from .services import workflow
from .services.readings import approved_readings

Status = ProgressUpdate.Status


@dataclass(frozen=True)
class ReviewCard:
    update: ProgressUpdate
    allowed: frozenset[str]  # the transitions the reviewer may make
    effect: progress.ApprovalEffect | None  # None where there is no figure to add up
    repeats: tuple[ProgressUpdate, ...]  # likely duplicates, waiting or approved


def _figures_key(update: ProgressUpdate, parts: list[UpdateValue]) -> Hashable:
    """Same indicator, period, figures, author and day: what two entries of one report share."""

    def number(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.normalize()

    return (
        update.indicator_id,
        update.period_id if update.period_id is not None else update.as_of,
        number(update.value),
        number(update.numerator),
        number(update.denominator),
        frozenset((part.category_id, number(part.value)) for part in parts),
        update.created_by_id,
        timezone.localdate(update.created_at),
    )


def _repeats(updates: list[ProgressUpdate]) -> dict[int, tuple[ProgressUpdate, ...]]:
    """For each update, the other waiting or approved updates with the same key, in one query."""
    others = (
        ProgressUpdate.objects.filter(
            indicator_id__in={u.indicator_id for u in updates},
            status__in=(Status.SUBMITTED, Status.APPROVED),
        )
        .filter(
            Q(period_id__in={u.period_id for u in updates if u.period_id is not None})
            | Q(period__isnull=True, as_of__in={u.as_of for u in updates})
        )
        .prefetch_related(Prefetch("values", queryset=UpdateValue.objects.order_by("pk")))
        .order_by("pk")
    )
    by_key: dict[Hashable, list[ProgressUpdate]] = defaultdict(list)
    for other in others:
        by_key[_figures_key(other, list(other.values.all()))].append(other)
    return {
        update.pk: tuple(
            other
            for other in by_key[_figures_key(update, list(update.values.all()))]
            if other.pk != update.pk
        )
        for update in updates
    }


def _effects(updates: list[ProgressUpdate]) -> dict[int, progress.ApprovalEffect]:
    indicators = list({u.indicator_id: u.indicator for u in updates}.values())
    readings = approved_readings(indicators, with_parts=set())
    period_targets = {
        (target.indicator_id, target.period_id): target.target_value
        for target in PeriodTarget.objects.filter(
            indicator_id__in=[i.pk for i in indicators],
            period_id__in={u.period_id for u in updates if u.period_id is not None},
        )
    }
    effects = {}
    for update in updates:
        indicator: Indicator = update.indicator
        if indicator.measure == Indicator.Measure.QUALITATIVE:
            continue
        period = update.period
        window = (
            progress.PeriodWindow(
                period.start, period.end, period_targets.get((indicator.pk, period.pk))
            )
            if period is not None
            else None
        )
        effects[update.pk] = progress.approval_effect(
            spec_for(indicator, ()),
            readings.get(indicator.pk, []),
            reading_for(update),
            window,
        )
    return effects


def review_cards(user: User, *, authority: Authority | None = None) -> list[ReviewCard]:
    """The user's review queue, each update with what a reviewer needs to judge it."""
    authority = authority or authority_of(user)
    updates = list(review_queue(user, authority=authority).select_related("period", "created_by"))
    if not updates:
        return []
    effects = _effects(updates)
    repeats = _repeats(updates)
    return [
        ReviewCard(
            update=update,
            allowed=workflow.allowed_transitions(user, update, authority=authority),
            effect=effects.get(update.pk),
            repeats=repeats[update.pk],
        )
        for update in updates
    ]
