"""Reads about indicators: their figures, computed by the progress module from stored updates.

Every function here costs a fixed number of queries, whatever the number of indicators.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from partners.models import Membership, User
from partners.selectors import acting_organisations
from projects.models import Partnership, Project
from projects.selectors import (
    ROLE_RANK,
    WORKING_ROLES,
    keep_highest,
    project_for_setup,
    projects_by_access,
    projects_with_role,
    roles_at_least,
    visible_projects,
)

from . import progress, wording
from .models import (
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
    UpdateValue,
)


@dataclass(frozen=True)
class CategoryRow:
    """A category target with the names a page shows and its progress."""

    dimension_name: str
    category_name: str
    is_share_target: bool  # "60 % women" rather than "550 women"
    figures: progress.CategoryProgress

    @property
    def standing(self) -> str:
        return wording.of_progress(self.figures, is_share_target=self.is_share_target)


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    approved: progress.Progress
    provisional: progress.Progress | None  # only for people who may see unapproved figures
    categories: tuple[CategoryRow, ...]
    exhaustive_dimensions: tuple[str, ...]


def spec_for(
    indicator: Indicator, category_targets: Iterable[CategoryTarget]
) -> progress.IndicatorSpec:
    project: Project = indicator.project
    return progress.IndicatorSpec(
        measure=indicator.measure,
        aggregation=indicator.aggregation,
        start_date=project.start_date,
        target_date=indicator.target_date or project.end_date,
        direction=indicator.direction,
        target_kind=indicator.target_kind,
        target_value=indicator.target_value,
        target_min=indicator.target_min,
        target_max=indicator.target_max,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        category_targets=tuple(
            progress.CategoryTarget(
                dimension=target.category.dimension.slug,
                category=target.category.slug,
                target_value=target.target_value,
                target_share=target.target_share,
            )
            for target in category_targets
        ),
    )


def update_values() -> QuerySet[UpdateValue]:
    """Values per category, to prefetch with their updates: ordered by their own columns, not
    through the update's default ordering, which would join the project to every page."""
    return UpdateValue.objects.select_related("category__dimension").order_by(
        "update_id", "category__dimension__name", "category__order"
    )


def reading_for(update: ProgressUpdate, values: Iterable[UpdateValue] = ()) -> progress.Reading:
    return progress.Reading(
        as_of=update.as_of,
        value=update.value,
        numerator=update.numerator,
        denominator=update.denominator,
        status=update.status,
        recorded_at=update.reviewed_at or update.submitted_at,
        sequence=update.pk or 0,
        source=update.organisation_id,
        parts={
            (value.category.dimension.slug, value.category.slug): value.value for value in values
        },
    )


def indicators_of_projects(project_ids: Sequence[int]) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(project_id__in=project_ids)
        .select_related("project", "result", "beneficiary_group")
        .prefetch_related(
            Prefetch(
                "indicator_dimensions",
                queryset=IndicatorDimension.objects.select_related("dimension"),
            )
        )
        .order_by("project_id", "order", "code")
    )


def figures_for(
    indicators: Sequence[Indicator], *, today: date, with_provisional: bool
) -> dict[int, IndicatorFigures]:
    """Figures for each indicator: approved always, provisional when asked for."""
    ids = [indicator.pk for indicator in indicators]
    targets_by_indicator: dict[int, list[CategoryTarget]] = defaultdict(list)
    for target in CategoryTarget.objects.filter(indicator_id__in=ids).select_related(
        "category__dimension"
    ):
        targets_by_indicator[target.indicator_id].append(target)

    statuses = progress.PROVISIONAL_STATUSES if with_provisional else progress.COUNTED_STATUSES
    updates = ProgressUpdate.objects.filter(
        indicator_id__in=ids, status__in=statuses
    ).prefetch_related(Prefetch("values", queryset=update_values()))
    readings_by_indicator: dict[int, list[progress.Reading]] = defaultdict(list)
    for update in updates:
        readings_by_indicator[update.indicator_id].append(reading_for(update, update.values.all()))

    result = {}
    for indicator in indicators:
        targets = targets_by_indicator[indicator.pk]
        spec = spec_for(indicator, targets)
        readings = readings_by_indicator[indicator.pk]
        approved = progress.evaluate(spec, readings, today=today)
        provisional = (
            progress.evaluate(spec, readings, today=today, provisional=True)
            if with_provisional
            else None
        )
        result[indicator.pk] = IndicatorFigures(
            indicator=indicator,
            approved=approved,
            provisional=provisional,
            categories=tuple(
                CategoryRow(
                    dimension_name=target.category.dimension.translated("name"),
                    category_name=target.category.translated("name"),
                    is_share_target=target.target_share is not None,
                    figures=figures,
                )
                for target, figures in zip(targets, approved.categories, strict=True)
            ),
            exhaustive_dimensions=tuple(
                link.dimension.slug
                for link in indicator.indicator_dimensions.all()
                if link.exhaustive
            ),
        )
    return result


def visible_indicator(user: User | AnonymousUser, pk: int) -> Indicator:
    """One indicator of a project the user may see, or 404."""
    try:
        return Indicator.objects.select_related("project", "result", "beneficiary_group").get(
            pk=pk, project__in=visible_projects(user)
        )
    except Indicator.DoesNotExist:
        raise Http404 from None


def visible_updates(user: User | AnonymousUser) -> QuerySet[ProgressUpdate]:
    """Updates the user may see: all of those on projects they work on, and only approved ones
    on projects they merely fund."""
    if not user.is_authenticated or not user.is_active:
        return ProgressUpdate.objects.none()
    if user.is_superuser:
        return ProgressUpdate.objects.all()
    # Read step by step as plain lists of ids, each an index lookup: given the visibility
    # subqueries themselves, the database plans long and scans every update to count a few.
    working, seen = projects_by_access(acting_organisations(user))
    every_status: list[int] = []
    approved_only: list[int] = []
    for pk, project_id in (
        Indicator.objects.filter(project_id__in=working | seen)
        .order_by("pk")
        .values_list("pk", "project_id")
    ):
        (every_status if project_id in working else approved_only).append(pk)
    return ProgressUpdate.objects.filter(
        Q(indicator_id__in=every_status)
        | Q(indicator_id__in=approved_only, status=ProgressUpdate.Status.APPROVED)
    )


def visible_update(user: User | AnonymousUser, pk: int) -> ProgressUpdate:
    try:
        return (
            visible_updates(user)
            .select_related(
                "indicator__project",
                "period",
                "organisation",
                "created_by",
                "submitted_by",
                "reviewed_by",
            )
            .prefetch_related(Prefetch("values", queryset=update_values()))
            .get(pk=pk)
        )
    except ProgressUpdate.DoesNotExist:
        raise Http404 from None


def updates_of_indicator(
    user: User | AnonymousUser, indicator: Indicator
) -> QuerySet[ProgressUpdate]:
    return (
        visible_updates(user)
        .filter(indicator=indicator)
        .select_related("submitted_by", "reviewed_by", "organisation")
        .prefetch_related(
            Prefetch("values", queryset=UpdateValue.objects.select_related("category"))
        )
        .order_by("-as_of", "-id")
    )


def reviewable(authority: "Authority") -> Q:
    """Updates the user may review: those of organisations they manage, on projects those
    organisations work on, and every update of a project whose lead organisation they manage."""
    if authority.is_superuser:
        return Q()
    manages = ROLE_RANK[Membership.Role.MANAGER]
    organisations = [
        org for org, role in authority.organisation_roles.items() if ROLE_RANK[role] >= manages
    ]
    led = [project for project, role in authority.lead_roles.items() if ROLE_RANK[role] >= manages]
    worked = list(authority.project_roles)
    managed = [p for p, role in authority.project_roles.items() if ROLE_RANK[role] >= manages]
    return (
        Q(organisation_id__in=organisations, indicator__project_id__in=worked)
        | Q(indicator__project_id__in=led)
        | Q(organisation__isnull=True, indicator__project_id__in=managed)
    )


def review_queue(
    user: User | AnonymousUser, *, authority: "Authority | None" = None
) -> QuerySet[ProgressUpdate]:
    """Submitted updates awaiting the user's review, oldest first."""
    authority = authority or authority_of(user)
    if authority.user_id is None:
        return ProgressUpdate.objects.none()
    return (
        ProgressUpdate.objects.filter(reviewable(authority), status=ProgressUpdate.Status.SUBMITTED)
        .select_related("indicator__project", "submitted_by", "organisation")
        .prefetch_related(
            Prefetch("values", queryset=UpdateValue.objects.select_related("category"))
        )
        .order_by("submitted_at", "id")
    )


def open_updates(user: User | AnonymousUser) -> QuerySet[ProgressUpdate]:
    """Drafts and returned updates on the projects the user reports on."""
    return (
        ProgressUpdate.objects.filter(
            status__in=(ProgressUpdate.Status.DRAFT, ProgressUpdate.Status.RETURNED),
            indicator__project__in=projects_with_role(user, Membership.Role.EDITOR),
        )
        .select_related("indicator__project", "reviewed_by")
        .order_by("-updated_at")
    )


# Projects whose people are asked to report: running ones, not archived.
REPORTING_STATUSES = (Project.Status.ACTIVE, Project.Status.FINALISATION)


def takes_reports(project: Project) -> bool:
    return project.archived_at is None and project.status in REPORTING_STATUSES


@dataclass(frozen=True)
class Due:
    """A period an indicator is still to be reported in."""

    period: Period
    overdue: bool  # the period has ended


def periods_due(
    periods: Sequence[Period],
    reported: set[int],
    *,
    today: date,
    horizon: date | None = None,
) -> list[Due]:
    """The periods, of one indicator's project, that are still to be reported: begun, not
    locked, with no update, and after the last one reported or locked (a gap behind it was
    passed over on purpose, and nagging about it helps no one). Overdue ones first, oldest
    first. With `horizon`, only periods ending by then."""
    ordered = sorted(periods, key=lambda period: period.start)
    settled = [p.start for p in ordered if p.pk in reported or p.is_locked]
    frontier = max(settled) if settled else None
    due = [
        Due(period=period, overdue=period.end < today)
        for period in ordered
        if period.start <= today
        and not period.is_locked
        and period.pk not in reported
        and (frontier is None or period.start > frontier)
        and (horizon is None or period.end <= horizon)
    ]
    return sorted(due, key=lambda d: (not d.overdue, d.period.start))


def reported_periods(
    indicator_ids: Iterable[int], organisation_ids: Iterable[int] | None = None
) -> dict[int, set[int]]:
    """Indicator id → the periods with an update that is not sent back. With organisations,
    only their updates count (and those reported for no organisation in particular)."""
    updates = ProgressUpdate.objects.filter(
        indicator_id__in=list(indicator_ids), period__isnull=False
    ).exclude(status=ProgressUpdate.Status.RETURNED)
    if organisation_ids is not None:
        updates = updates.filter(
            Q(organisation_id__in=list(organisation_ids)) | Q(organisation__isnull=True)
        )
    reported: dict[int, set[int]] = defaultdict(set)
    for indicator_id, period_id in updates.values_list("indicator_id", "period_id"):
        reported[indicator_id].add(period_id)
    return reported


def due_periods(
    indicators: Sequence[Indicator],
    *,
    today: date,
    organisation_ids: Iterable[int] | None = None,
) -> dict[int, list[Due]]:
    """Indicator id → the periods it is due in (see periods_due); nothing for projects that
    take no reports. Three queries whatever the number of indicators."""
    project_ids = {indicator.project_id for indicator in indicators}
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(project_id__in=project_ids).order_by("start"):
        periods[period.project_id].append(period)
    reported = reported_periods([i.pk for i in indicators], organisation_ids)
    return {
        indicator.pk: periods_due(
            periods[indicator.project_id], reported.get(indicator.pk, set()), today=today
        )
        if takes_reports(indicator.project)
        else []
        for indicator in indicators
    }


def reporting_organisation_ids(user: User | AnonymousUser) -> list[int]:
    """The organisations the user reports for, as an editor or more."""
    editors = set(roles_at_least(Membership.Role.EDITOR))
    return [org for org, role in acting_organisations(user).items() if role in editors]


def reportable_periods(project: Project, *, today: date) -> list[Period]:
    """Periods progress may be reported in: started, and not locked."""
    return list(Period.objects.filter(project=project, locked_at__isnull=True, start__lte=today))


def my_indicators(user: User | AnonymousUser) -> list[Indicator]:
    """Indicators of the projects the user reports on, in project and framework order."""
    projects = projects_with_role(user, Membership.Role.EDITOR)
    return list(
        indicators_of_projects(list(projects.values_list("pk", flat=True))).order_by(
            "project__title", "result__order", "result__number", "order", "code"
        )
    )


@dataclass(frozen=True)
class Authority:
    """What a user holds over progress updates, read once and then asked about many updates.

    An update belongs to the organisation it was reported for: its people (and those of an
    organisation overseeing it) act on it with their role there. A project's lead organisation
    (IATI's "accountable" partner) reviews its partners' updates with its managers, but never
    edits, submits or deletes them.
    """

    user_id: int | None
    is_superuser: bool
    organisation_roles: dict[int, str]  # organisation id → the user's role for it
    lead_roles: dict[int, str]  # project id → the user's role in the project's lead organisation
    project_roles: dict[int, str]  # project id → the user's highest role on the project
    single_manager_organisations: frozenset[int]  # where the user may approve their own figures


def authority_of(user: User | AnonymousUser) -> Authority:
    if not user.is_authenticated or not user.is_active:
        return Authority(None, False, {}, {}, {}, frozenset())
    roles = acting_organisations(user)
    # The same reading as working_roles(), with the lead partnerships picked out on the way.
    working: dict[int, str] = {}
    leads: dict[int, str] = {}
    for project_id, organisation_id, part in Partnership.objects.filter(
        organisation_id__in=list(roles), role__in=WORKING_ROLES
    ).values_list("project_id", "organisation_id", "role"):
        keep_highest(working, project_id, roles[organisation_id])
        if part == Partnership.Role.ACCOUNTABLE:
            keep_highest(leads, project_id, roles[organisation_id])
    single = Membership.objects.filter(user=user, organisation__single_manager=True).values_list(
        "organisation_id", flat=True
    )
    return Authority(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        organisation_roles=roles,
        lead_roles=leads,
        project_roles=working,
        single_manager_organisations=frozenset(single),
    )


def approved_narratives(project: Project, period: Period | None) -> QuerySet[ProgressUpdate]:
    """The approved updates of a project that tell something, in the period (by its dates, or
    reported for it) or in the whole project when no period is given; in framework order."""
    updates = (
        ProgressUpdate.objects.filter(
            indicator__project=project, status=ProgressUpdate.Status.APPROVED
        )
        .exclude(narrative="")
        .select_related("indicator", "organisation", "period")
    )
    if period is not None:
        in_its_dates = Q(period__isnull=True, as_of__gte=period.start, as_of__lte=period.end)
        updates = updates.filter(Q(period=period) | in_its_dates)
    return updates.order_by("indicator__order", "indicator__code", "as_of", "pk")


def latest_reported_period(project: Project, periods: Sequence[Period]) -> Period | None:
    """The latest period, begun, that has approved figures or narrative (reported for it, or
    dated within it): what a report shows unless asked otherwise. None when none has."""
    today = timezone.localdate()
    begun = {period.pk: period for period in periods if period.start <= today}
    if not begun:
        return None
    approved = ProgressUpdate.objects.filter(
        indicator__project=project, status=ProgressUpdate.Status.APPROVED
    )
    reported_for = Q(period=OuterRef("pk"))
    dated_within = Q(period__isnull=True, as_of__gte=OuterRef("start"), as_of__lte=OuterRef("end"))
    latest = (
        Period.objects.filter(pk__in=list(begun))
        .filter(Exists(approved.filter(reported_for | dated_within)))
        .order_by("-start")
        .values_list("pk", flat=True)
        .first()
    )
    return begun.get(latest) if latest is not None else None


def has_approved_progress(indicator: Indicator) -> bool:
    """Whether figures have been approved on the indicator, fixing what they were reported in."""
    return ProgressUpdate.objects.filter(
        indicator=indicator, status=ProgressUpdate.Status.APPROVED
    ).exists()


def dimension_owners_of(project: Project) -> list[int]:
    """The organisations whose own dimensions a project may use: those that work on it."""
    return list(
        Partnership.objects.filter(project=project, role__in=WORKING_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def dimensions_for(project: Project) -> QuerySet[Dimension]:
    """The dimensions a project's indicators may use: the shared ones, those of the
    organisations working on it, and any its indicators already use."""
    return Dimension.objects.filter(
        Q(owner__isnull=True)
        | Q(owner_id__in=dimension_owners_of(project))
        | Q(
            pk__in=IndicatorDimension.objects.filter(indicator__project=project).values(
                "dimension_id"
            )
        )
    )


def may_translate_dimension(user: User | AnonymousUser, dimension: Dimension) -> bool:
    """An organisation's managers and administrators translate its own dimensions; the shared
    ones, which every organisation reads, only the portal's operators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if dimension.owner_id is None:
        return False
    role = acting_organisations(user).get(dimension.owner_id)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[Membership.Role.MANAGER]


def visible_dimension(user: User | AnonymousUser, pk: int) -> Dimension:
    """A dimension the user may see: shared, or of an organisation they act for; else 404."""
    dimension = Dimension.objects.filter(pk=pk).select_related("owner").first()
    if dimension is None:
        raise Http404
    if dimension.owner_id is None or getattr(user, "is_superuser", False):
        return dimension
    if user.is_authenticated and dimension.owner_id in acting_organisations(user):
        return dimension
    raise Http404


def may_change_dimensions(user: User | AnonymousUser) -> bool:
    """Dimensions serve every project: administrators and managers of any organisation add and
    translate them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.memberships.filter(role__in=roles_at_least(Membership.Role.MANAGER)).exists()
    )


def indicator_for_setup(user: User, pk: int) -> Indicator:
    """An indicator whose project's set-up the user may change: 404 when they may not see the
    project, 403 when they see it but may not change it."""
    indicator = (
        Indicator.objects.select_related("project")
        .filter(pk=pk, project__in=visible_projects(user))
        .first()
    )
    if indicator is None:
        raise Http404
    project_for_setup(user, indicator.project_id)
    return indicator
