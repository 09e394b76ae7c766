"""Background work of the dashboards: a whole portfolio's files."""

import logging
from functools import partial

from celery import shared_task
from django.db import DatabaseError, transaction

from . import exports
from .models import Export

logger = logging.getLogger(__name__)


# Acknowledged once done, so that a file whose worker died is made again by another.
@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def build_export(export_id: int) -> None:
    exports.build_export(export_id)


def schedule_export(export: Export) -> None:
    """Start making the file once the request that asked for it is committed."""

    def start(export_id: int) -> None:
        try:
            build_export.delay(export_id)
        except Exception:
            # The request is saved and its page says it waits; beat starts what has waited
            # a minute.
            logger.warning("Could not queue portfolio file %s", export_id, exc_info=True)

    transaction.on_commit(partial(start, export.pk))


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def build_waiting_exports() -> int:
    """Queue the files asked for over a minute ago and not started: their job was lost."""
    waiting = exports.waiting_exports()
    for export_id in waiting:
        build_export.delay(export_id)
    return len(waiting)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def delete_old_exports() -> int:
    return exports.delete_old_exports()
