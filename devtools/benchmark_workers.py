"""The part of a benchmark run that needs real Celery workers: how soon an approval reaches the
snapshots, what a burst of approvals sets off, and the full recompute spread over workers."""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from celery import chord
from django.conf import settings
from django.utils import timezone

from core.processes import CeleryProcess, database_url, wait_until
from devtools.benchmark_portfolio import PROBE_CODE, PROBE_SIZES, BenchmarkError, Cast, Timing
from devtools.synthetic import PREFIX
from indicators import services as indicator_services
from indicators.models import Indicator, IndicatorSnapshot, Period, ProgressUpdate
from indicators.services import snapshots
from indicators.tasks import recompute_portfolio_snapshots, recompute_snapshot_chunk
from portfolio.celery import app as celery_app
from projects.models import Project


@dataclass(frozen=True)
class Burst:
    approvals: int
    seconds: float  # from the first approval to the last
    recomputes: int  # of the indicator's snapshot, set off by them
    settled: float  # from the last approval to a fresh snapshot


@contextmanager
def workers_on(queue: str) -> Iterator[Callable[[], CeleryProcess]]:
    """Tasks of this process go to `queue` on the broker; the callable starts one more worker
    on that queue, sharing this process's database. Every worker is stopped on the way out."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "portfolio.settings.dev"
        ),
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # As in production: DEBUG keeps a log of every query.
        "DEBUG": "false",
    }
    started: list[CeleryProcess] = []

    def start() -> CeleryProcess:
        process = CeleryProcess(
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname=benchmark{len(started) + 1}@%h",
            env=environment,
            ready="ready.",
        )
        started.append(process)
        return process.start()

    eager, default_queue = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = eager
        celery_app.conf.task_default_queue = default_queue
        for process in started:
            process.stop()


def _is_fresh(indicator_id: int) -> bool:
    return IndicatorSnapshot.objects.filter(pk=indicator_id, stale_since__isnull=True).exists()


def approval_latency(people: Cast, samples: int) -> Timing:
    """Seconds from an approval's commit to its indicator's snapshot being fresh again."""
    candidates = ProgressUpdate.objects.filter(
        status=ProgressUpdate.Status.SUBMITTED,
        organisation=people.ngo,
        indicator__project__code__startswith=f"{PREFIX}-",
    ).order_by("pk")[: samples * 20]
    # One update per indicator: a second approval on the same one would join the first's job.
    by_indicator = {update.indicator_id: update for update in candidates}
    submitted = list(by_indicator.values())[:samples]
    if not submitted:
        raise BenchmarkError(f"{people.ngo} has no submitted update left to approve.")
    timing = Timing()
    for update in submitted:
        indicator_services.approve_update(update=update, by=people.manager)
        timing.samples.append(
            wait_until(partial(_is_fresh, update.indicator_id), timeout=60, step=0.02)
        )
    return timing


BURST_SIZE = 100
BURST_CODE = "P-burst"


def _burst_updates(people: Cast) -> list[ProgressUpdate]:
    """BURST_SIZE updates submitted by the editor on one indicator of the probe project (the
    indicator made once), waiting for the manager's approval."""
    project = Project.objects.get(code=PROBE_CODE)
    indicator, _created = Indicator.objects.get_or_create(
        project=project,
        code=BURST_CODE,
        defaults={"name": "Approved in a burst", "unit": "people", "order": len(PROBE_SIZES)},
    )
    period = Period.objects.get(project=project)
    now = timezone.now()
    return ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            indicator=indicator,
            period=period,
            organisation=people.ngo,
            as_of=period.end,
            value=Decimal(1),
            status=ProgressUpdate.Status.SUBMITTED,
            created_by=people.ngo_user,
            submitted_by=people.ngo_user,
            submitted_at=now,
            version=1,
        )
        for _ in range(BURST_SIZE)
    )


def _recomputes(indicator_id: int) -> int:
    snapshot = IndicatorSnapshot.objects.filter(pk=indicator_id).first()
    return snapshot.recomputes if snapshot is not None else 0


def approval_burst(people: Cast) -> Burst:
    """BURST_SIZE approvals on one indicator as fast as one manager's requests go, and how
    many recomputes of its snapshot they set off: coalescing should make it a few."""
    updates = _burst_updates(people)
    indicator_id = updates[0].indicator_id
    snapshots.recompute_for_indicator(indicator_id)  # a snapshot to count on
    before = _recomputes(indicator_id)
    started = time.perf_counter()
    for update in updates:
        indicator_services.approve_update(update=update, by=people.manager)
    seconds = time.perf_counter() - started
    settled = wait_until(partial(_is_fresh, indicator_id), timeout=60, step=0.01)
    # A job queued by the last approvals may still be waiting: let every wait run out.
    time.sleep(settings.SNAPSHOT_COALESCE_SECONDS + 1)
    return Burst(
        approvals=len(updates),
        seconds=seconds,
        recomputes=_recomputes(indicator_id) - before,
        settled=settled,
    )


def recompute_on_workers(timeout: float) -> float:
    chunks = snapshots.project_chunks()
    started = time.perf_counter()
    result = chord(recompute_snapshot_chunk.si(chunk) for chunk in chunks)(
        recompute_portfolio_snapshots.si()
    )
    result.get(timeout=timeout, disable_sync_subtasks=False)
    return time.perf_counter() - started
