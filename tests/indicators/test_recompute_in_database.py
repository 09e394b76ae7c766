"""The recompute sums in the database; its figures must equal those from every update read into
Python one by one, which is how the portal computed them before and how the arithmetic is
defined (indicators/progress.py)."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators import progress
from indicators.models import (
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
from indicators.selectors import reading_for, spec_for
from indicators.services import project_snapshots, snapshots
from partners.models import Organisation
from partners.selectors import ancestors
from projects.models import Project
from tests.factories import (
    CategoryFactory,
    CategoryTargetFactory,
    DimensionFactory,
    FundingFactory,
    IndicatorDimensionFactory,
    IndicatorFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProgressUpdateFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


def _number(value):
    return None if value is None else Decimal(value)


def figures_from_every_update(indicator: Indicator) -> dict:
    """The snapshot of one indicator computed from each approved update, one reading each."""
    updates = list(
        ProgressUpdate.objects.filter(indicator=indicator, status="approved").prefetch_related(
            "values__category__dimension"
        )
    )
    readings = [reading_for(u, u.values.all()) for u in updates]
    targets = list(
        CategoryTarget.objects.filter(indicator=indicator).select_related("category__dimension")
    )
    spec = spec_for(indicator, targets)
    figures = progress.evaluate(spec, readings, today=TODAY)
    periods = list(Period.objects.filter(project=indicator.project).order_by("start"))
    period_targets = {
        t.period_id: t.target_value for t in PeriodTarget.objects.filter(indicator=indicator)
    }
    series = progress.period_figures(
        spec,
        readings,
        [progress.PeriodWindow(p.start, p.end, period_targets.get(p.pk)) for p in periods],
    )
    by_org: dict[int, list[progress.Reading]] = defaultdict(list)
    above = ancestors({u.organisation_id for u in updates if u.organisation_id})
    in_a_network = set(
        Organisation.objects.filter(members__isnull=False).values_list("pk", flat=True)
    )
    for update, reading in zip(updates, readings, strict=True):
        org = update.organisation_id
        if org and (above[org] or org in in_a_network):
            for holder in {org, *above[org]}:
                by_org[holder].append(reading)
    return {
        "achieved": figures.achieved,
        "numerator": figures.numerator,
        "denominator": figures.denominator,
        "percent_of_target": figures.percent_of_target,
        "within_range": figures.within_range,
        "status": str(figures.status),
        "updates_counted": figures.readings_counted,
        "last_update": max((u.as_of for u in updates), default=None),
        "categories": [
            (row.achieved_value, row.achieved_share, row.target_value, row.met)
            for row in figures.categories
        ],
        "periods": [(row.achieved_value, row.cumulative_value) for row in series],
        "rolled_up": {
            org: progress.achieved(indicator.measure, indicator.aggregation, rows).value
            for org, rows in by_org.items()
        },
    }


def figures_in_snapshot(indicator: Indicator) -> dict:
    snapshot = IndicatorSnapshot.objects.get(indicator=indicator)
    return {
        "achieved": snapshot.achieved,
        "numerator": snapshot.numerator,
        "denominator": snapshot.denominator,
        "percent_of_target": snapshot.percent_of_target,
        "within_range": snapshot.within_range,
        "status": snapshot.status,
        "updates_counted": snapshot.updates_counted,
        "last_update": snapshot.last_update,
        "categories": [
            (
                _number(row["achieved_value"]),
                _number(row["achieved_share"]),
                _number(row["target_value"]),
                row["met"],
            )
            for row in snapshot.categories
        ],
        "periods": [
            (_number(row["achieved_value"]), _number(row["cumulative_value"]))
            for row in snapshot.periods
        ],
        "rolled_up": dict(
            OrganisationIndicatorSnapshot.objects.filter(indicator=indicator).values_list(
                "organisation_id", "rolled_up"
            )
        ),
    }


def assert_every_indicator_matches() -> int:
    indicators = list(Indicator.objects.select_related("project").order_by("pk"))
    snapshots.recompute(today=TODAY)
    mismatched = {
        indicator.code: (expected, actual)
        for indicator in indicators
        if (expected := figures_from_every_update(indicator))
        != (actual := figures_in_snapshot(indicator))
    }
    assert mismatched == {}
    return len(indicators)


def assert_portfolios_match_their_definition() -> None:
    """Each portfolio holds the projects its definition selects, with their summed counts."""
    for row in PortfolioSnapshot.objects.select_related("organisation"):
        projects = Project.objects.filter(
            project_snapshots.portfolio_projects(row.organisation, row.kind)
        ).distinct()
        counts = ProjectSnapshot.objects.filter(project__in=projects)
        assert row.projects == projects.count(), (row.organisation, row.kind)
        for field in ("indicators", *project_snapshots.STATUSES):
            assert getattr(row, field) == sum(getattr(c, field) for c in counts), (row, field)


def test_the_demo_portfolio_has_the_same_figures_summed_in_the_database(demo):
    assert (
        ProgressUpdate.objects.filter(status="approved").count() == 23
    )  # LID-2.2 too: people trained, which the EU adds up across its projects
    assert assert_every_indicator_matches() == 46
    assert_portfolios_match_their_definition()


def test_a_generated_portfolio_has_the_same_figures_summed_in_the_database(db):
    call_command("generate_portfolio", projects=12, updates=3_000, seed=7, verbosity=0)
    # Open a gap between the first and second years, so some updates fall outside any period.
    for period in Period.objects.filter(name="Year 2"):
        Period.objects.filter(pk=period.pk).update(start=period.start + timedelta(days=40))
    assert assert_every_indicator_matches() == 96
    assert_portfolios_match_their_definition()


def test_gaps_between_periods_updates_after_the_last_and_ties_count_as_before(db):
    project = ProjectFactory(planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31))
    first = PeriodFactory(project=project, start=date(2024, 1, 1), end=date(2024, 6, 30))
    second = PeriodFactory(
        project=project, name="S1 2025", start=date(2025, 1, 1), end=date(2025, 6, 30)
    )
    summed = IndicatorFactory(project=project, target_value=Decimal(100))
    PeriodTarget.objects.create(indicator=summed, period=second, target_value=Decimal(40))
    levels = IndicatorFactory(project=project, aggregation="latest", target_value=Decimal(50))
    share = IndicatorFactory(
        project=project, measure="percentage", unit="%", target_value=Decimal(80)
    )
    north, south = OrganisationFactory(), OrganisationFactory()
    network = OrganisationFactory()
    Organisation.objects.filter(pk__in=[north.pk, south.pk]).update(parent=network)
    sex = DimensionFactory()
    women = CategoryFactory(dimension=sex, slug="women", name="Women")
    IndicatorDimensionFactory(indicator=summed, dimension=sex)
    CategoryTargetFactory(indicator=summed, category=women, target_share=Decimal("0.6"))
    same_time = timezone.now()
    for as_of, value, org in [
        (date(2024, 3, 1), 5, north),  # inside the first period
        (date(2024, 9, 1), 7, south),  # in the gap before the second
        (date(2025, 2, 1), 11, north),  # inside the second
        (date(2025, 9, 1), 13, None),  # after the last period
    ]:
        update = ProgressUpdateFactory(
            indicator=summed, as_of=as_of, value=Decimal(value), organisation=org
        )
        UpdateValue.objects.create(update=update, category=women, value=Decimal(value - 1))
        ProgressUpdateFactory(
            indicator=levels,
            as_of=as_of,
            value=Decimal(value * 2),
            organisation=org,
            reviewed_at=same_time,
        )
        ProgressUpdateFactory(
            indicator=share,
            as_of=as_of,
            value=None,
            numerator=Decimal(value),
            denominator=Decimal(20),
            organisation=org,
        )
    # Two readings on the same day from the same organisation: the later approval counts.
    ProgressUpdateFactory(
        indicator=levels,
        as_of=date(2025, 9, 1),
        value=Decimal(3),
        reviewed_at=same_time + timedelta(minutes=5),
    )
    ProgressUpdateFactory(indicator=summed, status="submitted", value=Decimal(99))
    FundingFactory(project=project)
    PartnershipFactory(project=project, organisation=north)
    assert assert_every_indicator_matches() == 3
    snapshot = IndicatorSnapshot.objects.get(indicator=summed)
    assert snapshot.achieved == Decimal(36)
    assert [row["cumulative_value"] for row in snapshot.periods] == ["5.0000", "23.0000"]
    assert IndicatorSnapshot.objects.get(indicator=levels).achieved == Decimal(3) + 22 + 14
    assert first.pk and second.pk


def test_values_by_sex_and_by_age_are_summed_once_each_per_period(db):
    project = ProjectFactory(planned_start=date(2024, 1, 1), planned_end=date(2026, 12, 31))
    PeriodFactory(project=project, start=date(2024, 1, 1), end=date(2024, 12, 31))
    PeriodFactory(project=project, name="2025", start=date(2025, 1, 1), end=date(2025, 12, 31))
    jobs = IndicatorFactory(project=project, target_value=Decimal(600))
    sex = DimensionFactory()
    age = DimensionFactory(slug="age", name="Age", kind="age")
    women = CategoryFactory(dimension=sex, slug="women", name="Women")
    men = CategoryFactory(dimension=sex, slug="men", name="Men")
    young = CategoryFactory(dimension=age, slug="young", name="18–29")
    older = CategoryFactory(dimension=age, slug="older", name="30 and over")
    IndicatorDimensionFactory(indicator=jobs, dimension=sex)
    IndicatorDimensionFactory(indicator=jobs, dimension=age)
    for as_of, (w, m, y, o) in [
        (date(2024, 5, 1), (30, 20, 40, 10)),
        (date(2024, 11, 1), (5, 5, 2, 8)),
        (date(2025, 3, 1), (60, 40, 25, 75)),
    ]:
        update = ProgressUpdateFactory(indicator=jobs, as_of=as_of, value=Decimal(w + m))
        for category, value in [(women, w), (men, m), (young, y), (older, o)]:
            UpdateValue.objects.create(update=update, category=category, value=Decimal(value))
    assert assert_every_indicator_matches() == 1
    snapshot = IndicatorSnapshot.objects.get(indicator=jobs)
    assert snapshot.parts == {
        "sex/women": "95.0000",
        "sex/men": "65.0000",
        "age/young": "67.0000",
        "age/older": "93.0000",
    }
    assert [row["parts"] for row in snapshot.periods] == [
        {
            "sex/women": "35.0000",
            "sex/men": "25.0000",
            "age/young": "42.0000",
            "age/older": "18.0000",
        },
        {
            "sex/women": "60.0000",
            "sex/men": "40.0000",
            "age/young": "25.0000",
            "age/older": "75.0000",
        },
    ]


def test_recomputing_one_indicator_costs_the_same_queries_in_a_small_or_large_portfolio(db):
    funder = OrganisationFactory(kind="funder")
    network = OrganisationFactory()

    def project_with_updates(updates: int) -> Indicator:
        project = ProjectFactory()
        FundingFactory(project=project, funder=funder)
        member = OrganisationFactory(parent=network)
        PartnershipFactory(project=project, organisation=member)
        PeriodFactory(project=project)
        indicator = IndicatorFactory.create(project=project)
        for day in range(updates):
            ProgressUpdateFactory(indicator=indicator, as_of=date(2024, 1, 1) + timedelta(days=day))
        return indicator

    watched = project_with_updates(3)
    snapshots.recompute()

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            snapshots.recompute_for_indicator(watched.pk)
        return len(captured)

    small = cost()
    for _ in range(30):
        project_with_updates(2)
    snapshots.recompute()
    assert cost() == small
    assert_portfolios_match_their_definition()


def test_an_approval_moves_the_portfolios_by_the_change_it_makes(db):
    funder = OrganisationFactory(kind="funder")
    project = ProjectFactory()
    FundingFactory(project=project, funder=funder)
    PartnershipFactory(project=project)
    indicator = IndicatorFactory(project=project, target_value=Decimal(10))
    other = IndicatorFactory(project=project)
    snapshots.recompute()
    row = PortfolioSnapshot.objects.get(organisation=funder, kind="funder")
    assert (row.indicators, row.not_started, row.achieved) == (2, 2, 0)
    ProgressUpdateFactory(indicator=indicator, value=Decimal(10))
    snapshots.recompute_for_indicator(indicator.pk)
    row.refresh_from_db()
    assert (row.indicators, row.not_started, row.achieved) == (2, 1, 1)
    snapshots.recompute_for_indicator(indicator.pk)  # again: nothing moves twice
    row.refresh_from_db()
    assert (row.indicators, row.not_started, row.achieved) == (2, 1, 1)
    assert other.pk
    assert_portfolios_match_their_definition()


def test_a_recompute_writes_its_snapshots_in_one_statement_and_keeps_their_counts(db):
    call_command("generate_portfolio", projects=12, updates=600, seed=3, verbosity=0)
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    snapshots.recompute_indicators(ids[:5], count=True)
    table = IndicatorSnapshot._meta.db_table

    with CaptureQueriesContext(connection) as captured:
        snapshots.recompute_indicators(ids)
    written = [q["sql"] for q in captured if q["sql"].startswith(f'INSERT INTO "{table}"')]

    limit = connection.features.max_query_params  # SQLite's: a statement per batch it takes
    columns = len(IndicatorSnapshot._meta.concrete_fields) - 1
    assert len(written) == (1 if limit is None else -(-len(ids) // (limit // columns)))
    assert IndicatorSnapshot.objects.count() == len(ids)
    # Recomputing without counting leaves each snapshot's count of recompute jobs as it was.
    counts = dict(IndicatorSnapshot.objects.values_list("pk", "recomputes"))
    assert [counts[pk] for pk in ids[:6]] == [1, 1, 1, 1, 1, 0]
    assert assert_every_indicator_matches() == len(ids)
