"""A synthetic portfolio of realistic shape, for scale and performance work.

Rows are written with bulk inserts in chunks, so a million updates is practical on PostgreSQL.
Every generated figure is valid by construction (the same rules the services enforce: no
negative counts, numerators within denominators, parts within totals, dates within projects).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicators import services as indicator_services
from indicators.models import (
    Category,
    CategoryTarget,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
    UpdateValue,
)
from partners.models import Organisation
from projects.models import Confirmation, Funding, Partnership, Project, Result

CHUNK = 5_000
INDICATORS_PER_PROJECT = 8
PREFIX = "synthetic"

# (measure, aggregation, target range, unit, disaggregated by sex)
INDICATOR_SHAPES = [
    ("count", "sum", (50, 2_000), "people", True),
    ("count", "sum", (5, 60), "meetings", False),
    ("count", "latest", (100, 10_000), "m²", False),
    ("percentage", "sum", (50, 100), "% of households", False),
    ("amount", "sum", (5_000, 200_000), "EUR", False),
    ("milestone", "latest", None, "", False),
    ("count", "sum", (20, 500), "trainees", True),
    ("count", "latest", (2, 40), "organisations", False),
]

Progress = Callable[[int], object]


@dataclass
class Structure:
    indicators: list[Indicator]
    categories: dict[int, Category]
    implementers: dict[int, list[int]]  # project id -> implementing organisation ids
    periods: dict[int, list[Period]]  # project id -> its yearly periods


@dataclass
class SyntheticSummary:
    projects: int
    indicators: int
    updates: int


def _no_progress(_done: int) -> object:
    return None


def _organisations(rng: random.Random, count: int, kind: str, label: str) -> list[Organisation]:
    start = Organisation.objects.filter(short_name__startswith=f"{PREFIX}-{kind}-").count()
    rows = [
        Organisation(
            name=f"Synthetic {label} {start + i + 1:05d}",
            short_name=f"{PREFIX}-{kind}-{start + i + 1:05d}",
            kind=kind,
            country=rng.choice(["PE", "EC", "BO", "CO"]),
        )
        for i in range(count)
    ]
    return Organisation.objects.bulk_create(rows, batch_size=CHUNK)


@transaction.atomic
def _structure(rng: random.Random, project_count: int, today: date) -> Structure:
    sex = indicator_services.save_dimension(
        slug="sex", name="Sex", kind="sex", categories=[("women", "Women"), ("men", "Men")]
    )
    categories = {c.pk: c for c in sex.categories.all()}
    women = next(c for c in categories.values() if c.slug == "women")
    funders = _organisations(rng, max(3, project_count // 10), "funder", "Funder")
    implementers = _organisations(rng, max(5, project_count // 4), "ngo", "NGO")

    first = Project.objects.filter(code__startswith=f"{PREFIX}-").count() + 1
    projects = []
    for number in range(first, first + project_count):
        start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
        end = start + timedelta(days=rng.choice([365, 730, 1095, 1460]) - 1)
        projects.append(
            Project(
                code=f"{PREFIX}-{number:06d}",
                title=f"Synthetic project {number:06d}",
                planned_start=start,
                planned_end=end,
                status=Project.Status.ACTIVE if end >= today else Project.Status.CLOSED,
                budget=Decimal(rng.randrange(20_000, 2_000_000)),
                currency="EUR",
            )
        )
    projects = Project.objects.bulk_create(projects, batch_size=CHUNK)

    fundings, partnerships, results, periods = [], [], [], []
    implementing: dict[int, list[int]] = {}
    for project in projects:
        year_start, year = project.planned_start, 1
        while year_start <= project.planned_end:
            year_end = min(project.planned_end, year_start + timedelta(days=364))
            periods.append(
                Period(project=project, name=f"Year {year}", start=year_start, end=year_end)
            )
            year_start, year = year_end + timedelta(days=1), year + 1
        for funder in rng.sample(funders, k=min(len(funders), rng.randint(1, 2))):
            share = Decimal(rng.randint(10, 60)) / 100
            assert project.budget is not None
            fundings.append(
                Funding(
                    project=project,
                    funder=funder,
                    amount=(project.budget * share).quantize(Decimal(1)),
                    currency="EUR",
                )
            )
            partnerships.append(
                Partnership(project=project, organisation=funder, role=Partnership.Role.FUNDING)
            )
        chosen = rng.sample(implementers, k=rng.randint(1, 2))
        implementing[project.pk] = [organisation.pk for organisation in chosen]
        for implementer in chosen:
            partnerships.append(
                Partnership(
                    project=project, organisation=implementer, role=Partnership.Role.IMPLEMENTING
                )
            )
        results.append(
            Result(
                project=project,
                level=Result.Level.OBJECTIVE,
                number="1",
                title="Objective",
                order=0,
            )
        )
    Funding.objects.bulk_create(fundings, batch_size=CHUNK)
    Partnership.objects.bulk_create(partnerships, batch_size=CHUNK)
    # Generated data stands for links every organisation agreed to.
    Confirmation.objects.bulk_create(
        [
            Confirmation(project_id=project_id, organisation_id=organisation_id)
            for project_id, organisation_id in sorted(
                {(p.project_id, p.organisation_id) for p in partnerships}
            )
        ],
        batch_size=CHUNK,
    )
    by_project: dict[int, list[Period]] = {}
    for period in Period.objects.bulk_create(periods, batch_size=CHUNK):
        by_project.setdefault(period.project_id, []).append(period)
    objectives = {r.project_id: r for r in Result.objects.bulk_create(results, batch_size=CHUNK)}

    indicators = []
    for project in projects:
        for order, (measure, aggregation, bounds, unit, _by_sex) in enumerate(INDICATOR_SHAPES):
            target = Decimal(rng.randint(*bounds)) if bounds else Decimal(1)
            indicators.append(
                Indicator(
                    project=project,
                    result=objectives[project.pk],
                    code=f"S-{order + 1}",
                    name=f"Synthetic {unit or 'milestone'} indicator {order + 1}",
                    measure=measure,
                    aggregation=aggregation,
                    unit=unit,
                    currency="EUR" if measure == "amount" else "",
                    target_value=target,
                    order=order,
                )
            )
    indicators = Indicator.objects.bulk_create(indicators, batch_size=CHUNK)
    links, targets = [], []
    for indicator in indicators:
        if INDICATOR_SHAPES[indicator.order][4]:
            links.append(IndicatorDimension(indicator=indicator, dimension=sex, exhaustive=False))
            targets.append(
                CategoryTarget(indicator=indicator, category=women, target_share=Decimal("0.5"))
            )
    IndicatorDimension.objects.bulk_create(links, batch_size=CHUNK)
    CategoryTarget.objects.bulk_create(targets, batch_size=CHUNK)
    return Structure(indicators, categories, implementing, by_project)


def _update_for(
    rng: random.Random, indicator: Indicator, today: date, structure: Structure
) -> ProgressUpdate:
    project = indicator.project
    last_day = min(project.planned_end, today)
    span = max(0, (last_day - project.planned_start).days)
    as_of = project.planned_start + timedelta(days=rng.randint(0, span))
    status = rng.choices(
        [
            ProgressUpdate.Status.APPROVED,
            ProgressUpdate.Status.SUBMITTED,
            ProgressUpdate.Status.DRAFT,
        ],
        weights=[80, 12, 8],
    )[0]
    period = next((p for p in structure.periods[project.pk] if p.start <= as_of <= p.end), None)
    update = ProgressUpdate(
        indicator=indicator,
        period=period,
        # Each implementer reports its own share of the work.
        organisation_id=rng.choice(structure.implementers[project.pk]),
        as_of=as_of,
        status=status,
        version=1,
    )
    target = indicator.target_value or Decimal(1)
    if indicator.measure == Indicator.Measure.PERCENTAGE:
        denominator = Decimal(rng.randint(10, 200))
        update.denominator = denominator
        update.numerator = Decimal(rng.randint(0, int(denominator)))
    elif indicator.measure == Indicator.Measure.MILESTONE:
        update.value = Decimal(rng.choice([0, 1]))
    elif indicator.aggregation == Indicator.Aggregation.LATEST:
        update.value = Decimal(rng.randint(0, int(target)))
    else:
        update.value = Decimal(rng.randint(0, max(1, int(target) // 10)))
    if status != ProgressUpdate.Status.DRAFT:
        update.submitted_at = timezone.now()
    if status == ProgressUpdate.Status.APPROVED:
        update.reviewed_at = timezone.now()
    return update


def generate_portfolio(
    *, projects: int, updates: int, seed: int = 1, progress: Progress = _no_progress
) -> SyntheticSummary:
    """Add `projects` synthetic projects and `updates` progress updates spread over them."""
    if projects < 1 or updates < 0:
        raise ValueError("Ask for at least one project and no negative number of updates.")
    rng = random.Random(seed)
    today = timezone.localdate()
    structure = _structure(rng, projects, today)
    indicators, categories = structure.indicators, structure.categories
    women = next(c for c in categories.values() if c.slug == "women")
    men = next(c for c in categories.values() if c.slug == "men")
    by_sex = {ind.pk for ind in indicators if INDICATOR_SHAPES[ind.order][4]}
    written = 0
    while written < updates:
        size = min(CHUNK, updates - written)
        with transaction.atomic():
            batch = [
                _update_for(rng, rng.choice(indicators), today, structure) for _ in range(size)
            ]
            batch = ProgressUpdate.objects.bulk_create(batch)
            parts = []
            for update in batch:
                if update.indicator_id in by_sex and update.value:
                    women_count = Decimal(rng.randint(0, int(update.value)))
                    parts.append(UpdateValue(update=update, category=women, value=women_count))
                    parts.append(
                        UpdateValue(update=update, category=men, value=update.value - women_count)
                    )
            UpdateValue.objects.bulk_create(parts)
        written += size
        progress(size)
    return SyntheticSummary(projects=projects, indicators=len(indicators), updates=updates)
