"""When approved figures change, the snapshots that show them are marked stale at once and
recomputed after the change commits, by the worker (or at once where there is none); a bulk
change gathers its recomputes into one batch."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

# The module, not its names: the tasks import the snapshot services, whose package imports
# this module, so its names may not be defined yet while it is being imported.
from indicators import tasks

from .snapshots import mark_stale

_deferred: ContextVar[set[int] | None] = ContextVar("deferred_recomputes", default=None)


def approved_figures_changed(indicator_id: int) -> None:
    """Call inside the transaction that changed what counts: the snapshot is marked stale now,
    and a recompute is scheduled once (and only if) the transaction commits."""
    mark_stale([indicator_id])
    batch = _deferred.get()
    if batch is not None:
        batch.add(indicator_id)
        return
    transaction.on_commit(lambda: _schedule([indicator_id]))


@contextmanager
def deferred_recomputes() -> Iterator[None]:
    """Gather the recomputes of a bulk operation (loading data, an import) into one batch,
    scheduled when the surrounding transaction commits."""
    batch: set[int] = set()
    token = _deferred.set(batch)
    try:
        yield
    finally:
        _deferred.reset(token)
    if batch:
        ids = sorted(batch)
        transaction.on_commit(lambda: _schedule(ids))


def _schedule(indicator_ids: list[int]) -> None:
    if len(indicator_ids) == 1:
        tasks.schedule_recompute(indicator_ids[0])
    else:
        tasks.schedule_batch(indicator_ids)
