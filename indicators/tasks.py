"""Background recomputation of the snapshots dashboards read.

Approving, reopening or deleting an update marks its indicator's snapshot stale and, once the
transaction commits, schedules one recompute. Scheduling is coalesced: an atomic "pending" key
(Redis SET NX) lets one job wait a moment to gather a burst of approvals, and the job clears
the key before it reads anything, so every change is either seen by the pending job or
schedules the next one. The key lives only a few seconds longer than the wait, so a job lost
with a killed worker holds back no later approval for long. Whatever slips through (a worker
killed mid-job, Redis down when the approval was saved) stays marked stale until a repair: beat
runs one every 30 s, and a worker that starts runs one at once and another once any key left
by a lost job has expired, so that a single machine without beat is right again within
seconds of its worker's return.
"""

import logging
import math
import threading
from typing import Any

from celery import chord, shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from . import events
from .services import project_snapshots, reminders, snapshots

logger = logging.getLogger(__name__)
PENDING_GRACE_SECONDS = 5  # how long a "pending" key outlives the wait of the job that set it
RETRY_BACKOFF_MAX = 60  # seconds; kept well below the broker's visibility timeout


# Every task here is acknowledged once done (a killed worker's job goes back to the queue) and
# tried again, backing off, while the database does not answer.
RETRIED = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX,
    "max_retries": 8,
}


def pending_key(indicator_id: int) -> str:
    return f"snapshots:pending:{indicator_id}"


def pending_ttl() -> int:
    return math.ceil(settings.SNAPSHOT_COALESCE_SECONDS + PENDING_GRACE_SECONDS)


def schedule_recompute(indicator_id: int) -> None:
    """Queue one recompute of this indicator unless one is already waiting to run."""
    try:
        if cache.add(pending_key(indicator_id), 1, timeout=pending_ttl()):
            recompute_indicator.apply_async(
                (indicator_id,), countdown=settings.SNAPSHOT_COALESCE_SECONDS
            )
    except Exception:
        # The change itself is saved and its snapshot marked stale; the periodic repair will
        # recompute it once the broker answers again.
        logger.warning("Could not queue the recompute of indicator %s", indicator_id, exc_info=True)
        cache_delete_quietly(pending_key(indicator_id))


def cache_delete_quietly(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.warning("Could not clear %s", key, exc_info=True)


@shared_task(**RETRIED)
def recompute_indicator(indicator_id: int) -> None:
    # Cleared first: an approval committing from now on schedules its own job.
    cache_delete_quietly(pending_key(indicator_id))
    project_ids = snapshots.recompute_for_indicator(indicator_id)
    events.snapshots_computed.send(recompute_indicator, project_ids=project_ids)


def schedule_batch(indicator_ids: list[int]) -> None:
    """Queue one recompute of many indicators at once (after a bulk change)."""
    try:
        recompute_indicator_batch.delay(indicator_ids)
    except Exception:
        logger.warning("Could not queue a batch recompute", exc_info=True)


@shared_task(**RETRIED)
def recompute_indicator_batch(indicator_ids: list[int]) -> int:
    return snapshots.recompute(indicator_ids)


@shared_task(**RETRIED)
def repair_stale_snapshots() -> int:
    """Recompute every snapshot marked stale or missing."""
    stale = snapshots.stale_indicator_ids()
    if stale:
        snapshots.recompute(stale)
        logger.info("Repaired %s stale indicator snapshots", len(stale))
    return len(stale)


@shared_task(**RETRIED)
def recompute_all_snapshots(chunk_projects: int = snapshots.CHUNK_PROJECTS) -> int:
    """Recompute everything, repairing any drift between snapshots and approved updates: the
    projects in chunks that every free worker takes a share of, then the portfolios once all
    chunks are done. Returns how many chunks were queued."""
    chunks = snapshots.project_chunks(chunk_projects)
    chord(recompute_snapshot_chunk.si(chunk) for chunk in chunks)(
        recompute_portfolio_snapshots.si()
    )
    return len(chunks)


@shared_task(**RETRIED)
def recompute_snapshot_chunk(project_ids: list[int]) -> int:
    return snapshots.recompute_chunk(project_ids)


@shared_task(**RETRIED)
def recompute_portfolio_snapshots() -> int:
    return project_snapshots.recompute_all_portfolios()


@worker_ready.connect
def repair_on_start(**_kwargs: Any) -> None:
    """A worker that starts (again) repairs what a lost job left stale, at once and again once
    any "pending" key of a lost job has expired (an approval it held back is stale too)."""
    repair_stale_snapshots.delay()
    # Sent later by a timer, not queued now with a countdown: a countdown message would sit
    # unacknowledged in this worker meanwhile, and kombu's Redis transport cannot put such a
    # message back when Redis goes away (the worker then dies instead of reconnecting).
    later = threading.Timer(pending_ttl() + 1, _send_repair)
    later.daemon = True
    later.start()


def _send_repair() -> None:
    try:
        repair_stale_snapshots.delay()
    except Exception:
        logger.warning("Could not queue the repair after start", exc_info=True)


# A mail server that cannot be reached (OSError, smtplib's errors among them) is tried again.
@shared_task(**{**RETRIED, "autoretry_for": (DatabaseError, OSError)})
def send_reminders() -> int:
    """The day's reminder digests. Safe to run twice: what was sent is recorded."""
    return reminders.send_reminders()
