"""The benchmark command keeps working; its timings are printed, never asserted."""

import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from api.models import ApiToken
from devtools.benchmark_portfolio import ensure_portfolio
from indicators.models import IndicatorSnapshot
from projects.models import Project

PAGES = [
    *(
        (page, who)
        for page in (
            "/api/v1/projects/?page_size=100",
            "/api/v1/indicators/?page_size=100",
            "/api/v1/updates/?page_size=100",
        )
        for who in ("operator", "funder", "partner")
    ),
    ("/api/v1/updates/", "funder"),
    ("/api/v1/updates/?cursor=", "funder"),
    ("/api/v1/changes/", "funder"),
    ("/funder/", "funder"),
    ("/implementer/", "partner"),
]


def benchmark(**options) -> str:
    out = io.StringIO()
    call_command("benchmark", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_the_benchmark_prints_every_figure_and_leaves_exact_snapshots():
    text = benchmark(projects=3, updates=300, repeats=2, no_workers=True)

    assert "Generating 3 projects and 300 updates" in text
    ratio = re.search(r"Full recompute, one process: +([\d.]+) s += ([\d.]+) × raw SQL", text)
    assert ratio is not None, text
    assert float(ratio.group(2)) > 0
    if connection.vendor == "postgresql":
        # PostgreSQL may spread the raw GROUP BYs over parallel workers: they are timed in one
        # process too, and the recompute set against both.
        assert re.search(r"the same in one process: +[\d.]+ s", text), text
        assert re.search(r"× raw SQL, [\d.]+ × raw SQL in one process \(median of 3\)", text)
    for size in ("10 updates", "10,000 updates"):
        for part in ("with project and portfolios", "the indicator's snapshot"):
            line = next(line for line in text.splitlines() if f"{size}, {part}" in line)
            assert re.search(r"ms +\d+$", line), line
    printed = [line for line in text.splitlines() if line.strip().startswith("GET ")]
    assert len(printed) == len(PAGES)
    for (page, who), line in zip(PAGES, printed, strict=True):
        assert page in line and f" {who} " in line and re.search(r"ms +\d+$", line), line
    # The full recompute's peak memory, beside its time.
    assert re.search(r"its peak memory \(.+\): +\d+ MB", text), text
    # The portfolio's files: time, peak memory and size of each.
    for name in ("funder's XLSX", "funder's summary PDF", "every project, XLSX"):
        line = next(line for line in text.splitlines() if line.strip().startswith(name))
        assert re.search(r"projects +[\d.]+ s +[\d.]+ MB +[\d.]+ MB$", line), line
    every = next(line for line in text.splitlines() if "every project, summary PDF" in line)
    assert f"{Project.objects.count():>6,} projects" in every
    # What was timed was the real recompute: the probes hold 10 and 10,000 updates of 2 people.
    probes = IndicatorSnapshot.objects.filter(indicator__project__code="benchmark-probe")
    assert sorted(s.achieved for s in probes) == [Decimal(20), Decimal(20_000)]
    # The token the lists were requested with does not outlive the run.
    assert not ApiToken.objects.filter(name="benchmark", revoked_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_second_run_reuses_the_portfolio_and_another_size_is_refused():
    said: list[str] = []
    ensure_portfolio(projects=2, updates=50, out=said.append)
    ensure_portfolio(projects=2, updates=50, out=said.append)
    assert said[-1] == "Reusing the synthetic portfolio already in the database."
    assert Project.objects.filter(code__startswith="synthetic-").count() == 2
    with pytest.raises(CommandError, match="2 projects and 50 updates, not the 5 and 50"):
        benchmark(projects=5, updates=50, repeats=1, no_workers=True)


def test_nonsense_sizes_are_refused():
    with pytest.raises(CommandError, match="at least 1 project"):
        benchmark(projects=0, updates=10)


@pytest.mark.celery_worker
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL for real Celery workers")
@pytest.mark.django_db(transaction=True)
def test_the_benchmark_measures_approvals_and_recomputes_on_real_workers():
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL")
    text = benchmark(projects=4, updates=400, repeats=1)
    assert re.search(r"Approval → fresh snapshot, 1 worker .*ms", text), text
    assert re.search(r"Full recompute, 1 chunk on 1 worker: +[\d.]+ s", text), text
    assert re.search(r"Full recompute, 1 chunk on 2 workers: +[\d.]+ s += [\d.]+ × raw SQL", text)
