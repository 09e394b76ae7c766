"""How the recompute, the API lists and the dashboards hold up on a synthetic portfolio, measured
against the database's own speed in the same run.

Each figure is printed as soon as it is measured. Timings are wall-clock on this machine; the
ratio to raw SQL is what carries from one machine to another. The portfolio and the people it is
measured as are set up by `benchmark_portfolio`, the part with real workers is
`benchmark_workers`, and the portfolio's files are `benchmark_files`.
"""

import logging
import os
import secrets
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from api.models import ApiToken
from api.services import create_token, revoke_token
from core.processes import wait_until
from devtools.benchmark_files import FileCost, measure, portfolio_files
from devtools.benchmark_portfolio import (
    BenchmarkError,
    Cast,
    Output,
    Timing,
    analyse,
    cast,
    ensure_portfolio,
)
from devtools.benchmark_workers import (
    Burst,
    approval_burst,
    approval_latency,
    recompute_on_workers,
    workers_on,
)
from indicators.models import (
    Indicator,
    ProgressUpdate,
    UpdateValue,
)
from indicators.services import project_snapshots, snapshots
from partners import services as partner_services
from partners.models import Organisation, User
from projects.models import Project


@dataclass
class Results:
    """The figures of one run, in seconds, keyed by what was measured."""

    raw_sql: float = 0.0
    raw_sql_one_process: float = 0.0  # the same, with PostgreSQL's parallel workers turned off
    full_recompute: float = 0.0
    recompute_peak: int = 0  # bytes
    one_indicator: dict[int, Timing] = field(default_factory=dict)
    pages: dict[str, Timing] = field(default_factory=dict)
    approval_latency: Timing | None = None
    burst: Burst | None = None
    workers: dict[int, float] = field(default_factory=dict)
    files: dict[str, FileCost] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.full_recompute / self.raw_sql if self.raw_sql else 0.0

    def against_raw(self, seconds: float) -> str:
        """How many times the raw GROUP BYs some seconds are: as PostgreSQL runs them, and
        in one process where it runs them on several."""
        if not self.raw_sql:
            return ""
        text = f"= {seconds / self.raw_sql:.1f} × raw SQL"
        if self.raw_sql_one_process:
            text += f", {seconds / self.raw_sql_one_process:.1f} × raw SQL in one process"
        return text


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _median_of(action: Callable[[], object], times: int) -> float:
    return statistics.median(_timed(action) for _ in range(times))


# The measurements


def raw_group_by() -> None:
    """The floor: the approved rows and their category values summed by plain GROUP BYs."""
    updates = connection.ops.quote_name(ProgressUpdate._meta.db_table)
    values = connection.ops.quote_name(UpdateValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT indicator_id, SUM(value), SUM(numerator), SUM(denominator), COUNT(*), "
            f"MAX(as_of) FROM {updates} WHERE status = %s GROUP BY indicator_id",
            [ProgressUpdate.Status.APPROVED],
        )
        cursor.fetchall()
        cursor.execute(
            f"SELECT u.indicator_id, v.category_id, SUM(v.value) FROM {values} v "
            f"JOIN {updates} u ON u.id = v.update_id WHERE u.status = %s "
            "GROUP BY u.indicator_id, v.category_id",
            [ProgressUpdate.Status.APPROVED],
        )
        cursor.fetchall()


@contextmanager
def one_process() -> Iterator[None]:
    """PostgreSQL without parallel workers for its queries, as the one process of a
    recompute runs; elsewhere, as it is."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")


def raw_group_by_in_one_process() -> None:
    with one_process():
        raw_group_by()


def parallel_workers() -> int:
    """How many workers PostgreSQL may add to one query's own process."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return int(cursor.fetchone()[0])


def full_recompute() -> None:
    """Everything, in one process: every chunk of projects, then every portfolio."""
    for chunk in snapshots.project_chunks():
        snapshots.recompute_chunk(chunk)
    project_snapshots.recompute_all_portfolios()


def one_indicator(action: Callable[[], object], repeats: int) -> Timing:
    timing = Timing()
    with CaptureQueriesContext(connection) as queries:
        action()
    timing.queries = len(queries)
    timing.samples = [_timed(action) for _ in range(repeats)]
    return timing


def _token_client(organisation: Organisation, by: User) -> Client:
    key = create_token(organisation=organisation, name="benchmark", scope="read", by=by)[1]
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _operator() -> User:
    """A superuser of the portal, as its operator signs in."""
    user = partner_services.save_user(
        username="benchmark-operator", password=secrets.token_urlsafe(24)
    )
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


API_LISTS = (
    "/api/v1/projects/?page_size=100",
    "/api/v1/indicators/?page_size=100",
    "/api/v1/updates/?page_size=100",
)


def pages(people: Cast) -> list[tuple[str, str, Client]]:
    """The requests timed, each with who asks: the API lists as the portal's operator, a
    funder's token and an implementing partner's token; the funder's other reads; the two
    dashboards."""
    operator = Client()
    operator.force_login(_operator())
    funder = _token_client(people.funder, people.funder_user)
    partner = _token_client(people.ngo, people.ngo_admin)
    funder_pages = Client()
    funder_pages.force_login(people.funder_user)
    ngo_pages = Client()
    ngo_pages.force_login(people.ngo_user)
    callers = (("operator", operator), ("funder", funder), ("partner", partner))
    return [
        *((url, who, client) for url in API_LISTS for who, client in callers),
        ("/api/v1/updates/", "funder", funder),
        ("/api/v1/updates/?cursor=", "funder", funder),
        # After the first reading, which numbers everything, each one compares and finds no
        # change: what a partner polling its feed costs.
        ("/api/v1/changes/?limit=1000", "funder", funder),
        (f"/dashboards/{people.funder.pk}/funder/", "funder", funder_pages),
        (f"/dashboards/{people.ngo.pk}/implementer/", "partner", ngo_pages),
    ]


@contextmanager
def _quiet() -> Iterator[None]:
    """Without the sign-in records and the missing static files warning of every request."""
    sign_in_log = logging.getLogger("axes")
    level = sign_in_log.level
    sign_in_log.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "No directory at", UserWarning)
            yield
    finally:
        sign_in_log.setLevel(level)


def time_request(url: str, client: Client, repeats: int) -> Timing:
    first = client.get(url)
    if first.status_code != 200:
        raise BenchmarkError(f"GET {url} answered {first.status_code}.")
    timing = Timing()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timing.queries = len(queries)
    timing.samples = [_timed(lambda: client.get(url)) for _ in range(repeats)]
    return timing


# The run


def run(**options: Any) -> Results:
    """Measure with DEBUG off, as in production: DEBUG keeps a log of every query."""
    with override_settings(DEBUG=False):
        return _run(**options)


def _run(
    *,
    projects: int,
    updates: int,
    repeats: int = 21,
    with_workers: bool = True,
    out: Output = print,
) -> Results:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            engine = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        engine = f"{connection.vendor} (figures at scale need PostgreSQL)"
    out(f"Database: {engine}; {os.cpu_count()} CPU cores")
    ensure_portfolio(projects=projects, updates=updates, out=out)
    people = cast()
    analyse()
    approved = ProgressUpdate.objects.filter(status=ProgressUpdate.Status.APPROVED).count()
    out(
        f"Portfolio: {Project.objects.count():,} projects, {Indicator.objects.count():,} "
        f"indicators, {ProgressUpdate.objects.count():,} updates ({approved:,} approved), "
        f"{UpdateValue.objects.count():,} category values"
    )
    results = Results()

    runs = 3
    results.raw_sql = _median_of(raw_group_by, runs)
    helpers = parallel_workers()
    out(
        f"Raw SQL, two GROUP BYs over the approved rows:  {results.raw_sql:7.2f} s"
        + (f"   (PostgreSQL may add {helpers} parallel workers)" if helpers else "")
    )
    if helpers:
        results.raw_sql_one_process = _median_of(raw_group_by_in_one_process, runs)
        out(f"  the same in one process:                      {results.raw_sql_one_process:7.2f} s")
    costs = [measure(full_recompute) for _ in range(runs)]
    results.full_recompute = statistics.median(cost.seconds for cost in costs)
    results.recompute_peak = max(cost.peak_bytes for cost in costs)
    out(
        f"Full recompute, one process:                    {results.full_recompute:7.2f} s"
        f"   {results.against_raw(results.full_recompute)} (median of {runs})"
    )
    before = costs[0].before_bytes
    grown = (
        f", {_mb(results.recompute_peak - before)} above its {_mb(before)} before" if before else ""
    )
    out(f"  its peak memory ({costs[0].what_peak}): {_mb(results.recompute_peak)}{grown}")

    # The full recompute rewrote every snapshot; vacuumed now, so that the database's own
    # clean-up does not run during the short measurements that follow.
    analyse()
    # Each run is short and easily disturbed by the machine: five times the samples.
    samples = repeats * 5
    out(f"One indicator recomputed after an approval (p50 / p95 of {samples}, queries):")
    for size, indicator_id in sorted(people.probes.items()):
        # What an approval sets off, and the indicator's own part of it.
        timing = one_indicator(partial(snapshots.recompute_for_indicator, indicator_id), samples)
        alone = one_indicator(partial(snapshots.recompute_indicators, [indicator_id]), samples)
        results.one_indicator[size] = timing
        out(
            f"  {size:>6,} updates, with project and portfolios "
            f"{_ms(timing.p50)} {_ms(timing.p95)} {timing.queries:4d}"
        )
        out(
            f"  {size:>6,} updates, the indicator's snapshot    "
            f"{_ms(alone.p50)} {_ms(alone.p95)} {alone.queries:4d}"
        )

    out(f"Pages (p50 / p95 of {repeats}, queries):")
    with override_settings(ALLOWED_HOSTS=["testserver"]), _quiet():
        for url, who, client in pages(people):
            timing = time_request(url, client, repeats)
            results.pages[f"{url} {who}"] = timing
            out(f"  GET {url:40} {who:8} {_ms(timing.p50)} {_ms(timing.p95)} {timing.queries:4d}")
    admins = {people.funder.pk: people.funder_user, people.ngo.pk: people.ngo_admin}
    for token in ApiToken.objects.filter(name="benchmark", revoked_at__isnull=True):
        revoke_token(token=token, by=admins[token.organisation_id])
    results.files = portfolio_files(people.funder, people.funder_user, out)

    if not with_workers:
        return results
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        out("Workers: skipped; they need REDIS_URL and PostgreSQL.")
        return results
    _measure_workers(results, people, out=out)
    return results


def _measure_workers(results: Results, people: Cast, *, out: Output) -> None:
    queue = f"benchmark-{os.getpid()}"
    timeout = max(600.0, results.full_recompute * 20)
    with workers_on(queue) as start_worker:
        start_worker()
        # The worker repairs what it finds stale when it starts; let that pass.
        wait_until(lambda: not snapshots.stale_indicator_ids(), timeout=timeout, step=0.5)
        latency = approval_latency(people, samples=5)
        results.approval_latency = latency
        out(
            f"Approval → fresh snapshot, 1 worker (p50 / p95 of {len(latency.samples)}, with the "
            f"{settings.SNAPSHOT_COALESCE_SECONDS:g} s coalescing wait): "
            f"{_ms(latency.p50)} {_ms(latency.p95)}"
        )
        burst = approval_burst(people)
        results.burst = burst
        out(
            f"A burst: {burst.approvals} approvals on one indicator in {burst.seconds:.2f} s "
            f"set off {burst.recomputes} recomputes; fresh {_ms(burst.settled).strip()} after "
            "the last"
        )
        chunks = len(snapshots.project_chunks())
        for count in (1, 2):
            if count == 2:
                start_worker()
            seconds = recompute_on_workers(timeout)
            results.workers[count] = seconds
            out(
                f"Full recompute, {chunks} chunk{'s' if chunks > 1 else ''} on {count} "
                f"worker{'s' if count > 1 else ''}:"
                f"{'':13}{seconds:7.2f} s   {results.against_raw(seconds)}"
            )
    if 1 in results.workers and 2 in results.workers:
        out(f"  2 workers against 1: {results.workers[1] / results.workers[2]:.2f} × as fast")
