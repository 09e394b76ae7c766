"""The synthetic portfolio a benchmark run measures, the people it asks as, and the record of
its timings."""

import random
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from devtools.synthetic import PREFIX, generate_portfolio
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
from partners import services as partner_services
from partners.models import Organisation, User
from projects.models import Confirmation, Funding, Partnership, Project, Result

PROBE_CODE = "benchmark-probe"
PROBE_SIZES = (10, 10_000)
Output = Callable[[str], object]


class BenchmarkError(Exception):
    """The benchmark cannot run on this database as asked."""


@dataclass
class Timing:
    """Repeated timings of one thing, in seconds, and the queries it costs once."""

    samples: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def synthetic_projects() -> int:
    return Project.objects.filter(code__startswith=f"{PREFIX}-").count()


def synthetic_updates() -> int:
    return ProgressUpdate.objects.filter(indicator__project__code__startswith=f"{PREFIX}-").count()


def ensure_portfolio(*, projects: int, updates: int, out: Output) -> None:
    """Generate the synthetic portfolio, or reuse the one of the same size already here."""
    existing = synthetic_projects()
    if existing == 0:
        out(f"Generating {projects:,} projects and {updates:,} updates…")
        started = time.perf_counter()
        generate_portfolio(projects=projects, updates=updates)
        out(f"  generated in {time.perf_counter() - started:.0f} s")
        return
    existing_updates = synthetic_updates()
    if (existing, existing_updates) != (projects, updates):
        raise BenchmarkError(
            f"This database holds a synthetic portfolio of {existing:,} projects and "
            f"{existing_updates:,} updates, not the {projects:,} and {updates:,} asked for. "
            "Ask for that size, or run on an empty database."
        )
    out("Reusing the synthetic portfolio already in the database.")


@dataclass
class Cast:
    """Who the pages are requested as, and the indicators timed one by one."""

    funder: Organisation
    ngo: Organisation
    funder_user: User
    ngo_user: User
    manager: User
    ngo_admin: User
    probes: dict[int, int]  # updates on the indicator -> indicator id


def _member(username: str, organisation: Organisation, role: str) -> User:
    user = partner_services.save_user(username=username, password=secrets.token_urlsafe(24))
    partner_services.set_membership(user=user, organisation=organisation, role=role)
    return user


def _probe_indicators(ngo: Organisation, funder: Organisation) -> dict[int, int]:
    """A project of two indicators with exactly 10 and 10,000 approved updates, added once."""
    existing = dict(Indicator.objects.filter(project__code=PROBE_CODE).values_list("code", "pk"))
    if existing:
        return {size: existing[f"P-{size}"] for size in PROBE_SIZES}
    today = timezone.localdate()
    start = today - timedelta(days=730)
    project = Project.objects.create(
        code=PROBE_CODE,
        title="Benchmark probe",
        planned_start=start,
        planned_end=today + timedelta(days=365),
        status=Project.Status.ACTIVE,
    )
    Partnership.objects.create(
        project=project, organisation=ngo, role=Partnership.Role.IMPLEMENTING
    )
    Partnership.objects.create(project=project, organisation=funder, role=Partnership.Role.FUNDING)
    Funding.objects.create(project=project, funder=funder, amount=Decimal(1000), currency="EUR")
    for organisation in (ngo, funder):
        Confirmation.objects.create(project=project, organisation=organisation)
    period = Period.objects.create(project=project, name="Probe", start=start, end=today)
    objective = Result.objects.create(
        project=project, level=Result.Level.OBJECTIVE, number="1", title="Objective"
    )
    sex = indicator_services.save_dimension(
        slug="sex", name="Sex", kind="sex", categories=[("women", "Women"), ("men", "Men")]
    )
    women, men = (Category.objects.get(dimension=sex, slug=slug) for slug in ("women", "men"))
    rng = random.Random(PROBE_CODE)
    probes = {}
    for order, size in enumerate(PROBE_SIZES):
        indicator = Indicator.objects.create(
            project=project,
            result=objective,
            code=f"P-{size}",
            name=f"People reached, {size:,} updates",
            unit="people",
            target_value=Decimal(size),
            order=order,
        )
        IndicatorDimension.objects.create(indicator=indicator, dimension=sex, exhaustive=True)
        CategoryTarget.objects.create(
            indicator=indicator, category=women, target_share=Decimal("0.6")
        )
        now = timezone.now()
        updates = ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                indicator=indicator,
                period=period,
                organisation=ngo,
                as_of=start + timedelta(days=rng.randint(0, 730)),
                value=Decimal(2),
                status=ProgressUpdate.Status.APPROVED,
                submitted_at=now,
                reviewed_at=now,
                version=1,
            )
            for _ in range(size)
        )
        UpdateValue.objects.bulk_create(
            value
            for update in updates
            for value in (
                UpdateValue(update=update, category=women, value=Decimal(1)),
                UpdateValue(update=update, category=men, value=Decimal(1)),
            )
        )
        probes[size] = indicator.pk
    return probes


def cast() -> Cast:
    funder = (
        Organisation.objects.filter(short_name__startswith=f"{PREFIX}-funder-")
        .annotate(funded=Count("fundings"))
        .order_by("-funded", "pk")
        .first()
    )
    ngo = (
        Organisation.objects.filter(short_name__startswith=f"{PREFIX}-ngo-")
        .annotate(projects=Count("partnerships"))
        .order_by("-projects", "pk")
        .first()
    )
    if funder is None or ngo is None:
        raise BenchmarkError("The synthetic portfolio has no funder or no implementer.")
    return Cast(
        funder=funder,
        ngo=ngo,
        funder_user=_member("benchmark-funder", funder, "admin"),
        ngo_user=_member("benchmark-editor", ngo, "editor"),
        manager=_member("benchmark-manager", ngo, "manager"),
        ngo_admin=_member("benchmark-ngo-admin", ngo, "admin"),
        probes=_probe_indicators(ngo, funder),
    )


def analyse() -> None:
    """Fresh planner statistics, so every run starts from the same plans."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
