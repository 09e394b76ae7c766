"""The proof that what funders read equals the approved facts.

Hypothesis draws small portfolios — indicators of every measure and combination rule, with
and without a disaggregation and absolute or share category targets, two periods, updates
taken through every workflow path (draft, submit, return, approve, reopen, approve again,
delete) and a period lock — and checks every figure the snapshots, the selectors, the API and
the IPTT give against a recomputation written here on purpose naively, from the approved rows
in the database: after each approval's own recompute, and again after a full recompute.
Derandomized with a set number of examples; each example is rolled back."""

import io
import os
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dashboards.iptt import FIXED_SHEETS, write_iptt
from indicators import services
from indicators.models import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    IndicatorSnapshot,
    Period,
    PortfolioSnapshot,
    ProgressUpdate,
    ProjectSnapshot,
)
from indicators.selectors import figures_for
from indicators.services import snapshots
from tests.factories import (
    FundingFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
HALVES = (("H1", date(2025, 1, 1), date(2025, 6, 30)), ("H2", date(2025, 7, 1), date(2025, 12, 31)))
PATHS = ("draft", "submitted", "returned", "approved", "reopened", "approved again", "deleted")


class Rollback(Exception):
    """Raised at the end of each example, so that nothing of it stays."""


# What Hypothesis draws: plain values, turned into rows by `build`.


@dataclass(frozen=True)
class IndicatorPlan:
    measure: str
    aggregation: str
    target: Decimal
    disaggregated: bool
    exhaustive: bool
    category_target: str  # "none", "value" or "share"


@dataclass(frozen=True)
class UpdatePlan:
    indicator: int
    period: int
    first: Decimal  # the value, or the numerator
    second: Decimal  # the denominator, or the women's part
    path: str


@dataclass
class Portfolio:
    indicators: list[Indicator] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    women: Category | None = None
    men: Category | None = None


indicator_plans = st.builds(
    IndicatorPlan,
    measure=st.sampled_from(["count", "amount", "percentage", "milestone"]),
    aggregation=st.sampled_from(["sum", "latest"]),
    target=st.integers(1, 400).map(Decimal),
    disaggregated=st.booleans(),
    exhaustive=st.booleans(),
    category_target=st.sampled_from(["none", "value", "share"]),
)
update_plans = st.builds(
    UpdatePlan,
    indicator=st.integers(0, 2),
    period=st.integers(0, 1),
    first=st.integers(0, 120).map(Decimal),
    second=st.integers(0, 120).map(Decimal),
    path=st.sampled_from(PATHS),
)


def build(plans):
    ngo = OrganisationFactory(name="NGO")
    funder = OrganisationFactory(name="Funder", kind="funder")
    project = ProjectFactory(planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31))
    PartnershipFactory(project=project, organisation=ngo)
    FundingFactory(project=project, funder=funder)
    people = {
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "funder": MembershipFactory(organisation=funder, role="viewer").user,
        "project": project,
        "funder_org": funder,
    }
    portfolio = Portfolio()
    sex = Dimension.objects.create(slug="proof-sex", name="Sex", kind="sex")
    portfolio.women = Category.objects.create(dimension=sex, slug="women", name="Women", order=0)
    portfolio.men = Category.objects.create(dimension=sex, slug="men", name="Men", order=1)
    for name, start, end in HALVES:
        portfolio.periods.append(
            Period.objects.create(project=project, name=name, start=start, end=end)
        )
    for number, plan in enumerate(plans):
        target = {"percentage": min(plan.target, Decimal(100)), "milestone": Decimal(1)}.get(
            plan.measure, plan.target
        )
        indicator = Indicator.objects.create(
            project=project,
            code=f"P-{number}",
            name=f"Indicator {number}",
            measure=plan.measure,
            aggregation=plan.aggregation,
            target_value=target,
            unit="people" if plan.measure == "count" else "",
            currency="PEN" if plan.measure == "amount" else "",
            whole_numbers=plan.measure in ("count", "percentage"),
        )
        if plan.disaggregated and plan.measure in ("count", "amount"):
            IndicatorDimension.objects.create(
                indicator=indicator, dimension=sex, exhaustive=plan.exhaustive
            )
            if plan.category_target == "value":
                CategoryTarget.objects.create(
                    indicator=indicator, category=portfolio.women, target_value=target // 2
                )
            elif plan.category_target == "share":
                CategoryTarget.objects.create(
                    indicator=indicator, category=portfolio.women, target_share=Decimal("0.6")
                )
        portfolio.indicators.append(indicator)
    return portfolio, people


def figures_of(portfolio, indicator, plan):
    period = portfolio.periods[plan.period]
    if indicator.measure == "percentage":
        denominator = max(plan.second, Decimal(1))
        return services.Figures(
            period=period, numerator=min(plan.first, denominator), denominator=denominator
        )
    if indicator.measure == "milestone":
        return services.Figures(period=period, value=Decimal(plan.first % 2))
    value = plan.first if indicator.measure == "count" else plan.first + Decimal("0.25")
    parts = None
    if indicator.indicator_dimensions.exists():
        exhaustive = indicator.indicator_dimensions.get().exhaustive
        women = min(plan.second, plan.first)
        men = plan.first - women if exhaustive else Decimal(0)
        parts = {portfolio.women: women, portfolio.men: men}
        value = plan.first  # parts of amounts stay whole here: the total is their sum
    return services.Figures(period=period, value=value, parts=parts)


def run(plan: UpdatePlan, portfolio: Portfolio, people: dict, lock_after: int, step: int) -> None:
    """Take one update along its path; a refusal (a locked period) leaves it where it is."""
    indicator = portfolio.indicators[plan.indicator % len(portfolio.indicators)]
    editor, manager = people["editor"], people["manager"]
    update = services.create_update(
        indicator=indicator,
        by=editor,
        figures=figures_of(portfolio, indicator, plan),
        submit=plan.path != "draft" and plan.path != "deleted",
    )
    if plan.path == "deleted":
        services.delete_update(update=update, by=editor)
    elif plan.path == "returned":
        services.return_update(update=update, by=manager, note="Check the list")
    elif plan.path in ("approved", "reopened", "approved again"):
        update = services.approve_update(update=update, by=manager)
        if plan.path != "approved":
            update = services.reopen_update(update=update, by=manager, reason="A typo")
        if plan.path == "approved again":
            update = services.submit_update(update=update, by=editor)
            services.approve_update(update=update, by=manager)
    if step == lock_after:
        services.lock_period(period=portfolio.periods[0], by=manager)


# The naive recomputation, written without the progress module.


def percent(part, whole):
    return None if whole == 0 else (part / whole * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def combined(indicator, rows):
    """(value, numerator, denominator) of the approved rows, by the indicator's rule."""
    if not rows:
        return None, None, None
    if indicator.measure == "milestone" or indicator.aggregation == "latest":
        last = max(rows, key=lambda r: (r.as_of, r.reviewed_at, r.pk))
        if indicator.measure == "percentage":
            return percent(last.numerator, last.denominator), last.numerator, last.denominator
        return last.value, None, None
    if indicator.measure == "percentage":
        numerator = sum(r.numerator for r in rows)
        denominator = sum(r.denominator for r in rows)
        return percent(numerator, denominator), numerator, denominator
    return sum(r.value for r in rows), None, None


def naive(indicator, periods):
    rows = list(
        ProgressUpdate.objects.filter(indicator=indicator, status="approved").prefetch_related(
            "values__category"
        )
    )
    value, numerator, denominator = combined(indicator, rows)
    if indicator.measure == "milestone":
        of_target = None if value is None else (Decimal(100) if value >= 1 else Decimal(0))
    else:
        of_target = None if value is None else percent(value, indicator.target_value)
    by_period = {}
    for period in periods:
        inside = [r for r in rows if period.start <= r.as_of <= period.end]
        to_date = [r for r in rows if r.as_of <= period.end]
        by_period[period.name] = (combined(indicator, inside)[0], combined(indicator, to_date)[0])
    women: Decimal | None = None
    with_parts = [r for r in rows if r.values.all()]
    if with_parts:
        if indicator.aggregation == "latest":
            with_parts = [max(rows, key=lambda r: (r.as_of, r.reviewed_at, r.pk))]
        women = sum(
            (v.value for r in with_parts for v in r.values.all() if v.category.slug == "women"),
            Decimal(0),
        )
    return {
        "achieved": value,
        "numerator": numerator,
        "denominator": denominator,
        "percent_of_target": of_target,
        "updates": len(rows),
        "periods": by_period,
        "women": women,
    }


def naive_met(indicator, row: dict, want: dict) -> bool | None:
    """Women's target met: an absolute one when reached; a share one ("60 % of the target")
    when the share holds and the count it implies is reached."""
    women, total = want["women"], want["achieved"]
    if not row["is_share_target"]:
        return women >= Decimal(row["target_value"])
    if not total:
        return None
    holds = women / total >= Decimal("0.6")
    if indicator.target_value is None:
        return holds
    return holds and women >= indicator.target_value * Decimal("0.6")


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return Decimal(str(a)) == Decimal(str(b))


def check_snapshots(portfolio: Portfolio, expected: dict[int, dict]) -> None:
    for indicator in portfolio.indicators:
        want = expected[indicator.pk]
        snapshot = IndicatorSnapshot.objects.get(pk=indicator.pk)
        assert same(snapshot.achieved, want["achieved"]), indicator.code
        assert same(snapshot.numerator, want["numerator"])
        assert same(snapshot.denominator, want["denominator"])
        assert same(snapshot.percent_of_target, want["percent_of_target"])
        assert snapshot.updates_counted == want["updates"]
        for row in snapshot.periods:
            achieved, cumulative = want["periods"][row["name"]]
            assert same(row["achieved_value"], achieved), (indicator.code, row["name"])
            assert same(row["cumulative_value"], cumulative), (indicator.code, row["name"])
        for row in snapshot.categories:
            if row["category"] == "women" and want["women"] is not None:
                assert same(row["achieved_value"], want["women"]), indicator.code
                assert row["met"] == naive_met(indicator, row, want), indicator.code
    # The project's dashboard figure: the mean of the indicators' percentages, each capped.
    percents = [
        min(Decimal(100), w["percent_of_target"])
        for w in expected.values()
        if w["percent_of_target"] is not None
    ]
    project_snapshot = ProjectSnapshot.objects.get(pk=portfolio.indicators[0].project_id)
    mean = (sum(percents) / len(percents)).quantize(CENT) if percents else None
    assert same(project_snapshot.overall_percent, mean)
    assert project_snapshot.indicators == len(portfolio.indicators)


def check_reads(portfolio: Portfolio, people: dict, expected: dict[int, dict]) -> None:
    # The selectors the pages read.
    live = figures_for(portfolio.indicators, today=timezone.localdate(), with_provisional=False)
    for indicator in portfolio.indicators:
        want = expected[indicator.pk]
        assert same(live[indicator.pk].approved.achieved, want["achieved"])
        assert same(live[indicator.pk].approved.percent_of_target, want["percent_of_target"])
    # The funder's dashboard counts the project and its indicators.
    funded = PortfolioSnapshot.objects.get(organisation=people["funder_org"], kind="funder")
    assert (funded.projects, funded.indicators) == (1, len(portfolio.indicators))
    # What the funder's partner system pulls.
    api = APIClient()
    api.force_authenticate(people["funder"])
    answer = api.get("/api/v1/indicators/", {"project": people["project"].pk}).json()
    pulled = {row["id"]: row for row in answer["results"]}
    for indicator in portfolio.indicators:
        want = expected[indicator.pk]
        assert same(pulled[indicator.pk]["achieved_value"], want["achieved"])
        assert same(pulled[indicator.pk]["percent_of_target"], want["percent_of_target"])
        periods = api.get(f"/api/v1/indicators/{indicator.pk}/periods/").json()
        for row in periods:
            assert same(row["achieved_value"], want["periods"][row["name"]][0])
    # The IPTT the funder downloads.
    book = load_workbook(io.BytesIO(write_iptt([people["project"]], title="Proof").read()))
    sheet = book.worksheets[FIXED_SHEETS]  # after About, Projects and By period
    heads = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2, values_only=True):
        row = dict(zip(heads, cells, strict=True))
        match = [i for i in portfolio.indicators if i.code == row["Indicator code"]]
        if row["Level"] != "indicator" or not match:
            continue
        want = expected[match[0].pk]
        assert same(row["Cumulative actual"], want["achieved"]), row["Indicator code"]
        for name, (achieved, _cumulative) in want["periods"].items():
            assert same(row[f"{name} actual"], achieved), (row["Indicator code"], name)
        share = row["% of target"]
        assert same(
            None if share is None else (Decimal(str(share)) * 100).quantize(CENT),
            want["percent_of_target"],
        )


@settings(
    max_examples=int(os.environ.get("PROOF_EXAMPLES", "30")),
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(indicator_plans, min_size=1, max_size=3),
    updates=st.lists(update_plans, max_size=7),
    lock_after=st.integers(-1, 7),
)
def test_every_figure_funders_read_equals_a_naive_recomputation_of_the_approved_rows(
    plans, updates, lock_after, django_capture_on_commit_callbacks
):
    try:
        with transaction.atomic():
            portfolio, people = build(plans)
            with django_capture_on_commit_callbacks(execute=True):
                snapshots.recompute()  # the snapshots exist before the first approval
            for step, plan in enumerate(updates):
                try:
                    with transaction.atomic(), django_capture_on_commit_callbacks(execute=True):
                        run(plan, portfolio, people, lock_after, step)
                except (ValidationError, PermissionDenied):
                    pass  # refused (a locked period): nothing of it is stored
            expected = {i.pk: naive(i, portfolio.periods) for i in portfolio.indicators}
            # Through each approval's own recompute …
            check_snapshots(portfolio, expected)
            # … and through the full recompute the periodic repair runs.
            snapshots.recompute()
            check_snapshots(portfolio, expected)
            check_reads(portfolio, people, expected)
            raise Rollback
    except Rollback:
        pass
