"""Sending webhook events: after the change commits, by a worker, one attempt at a time. A
failed attempt is due again after a wait kept on the delivery; beat's `retry_due_deliveries`
(or `manage.py retry_webhooks` where no beat runs) sends what is due. A slow or unreachable
receiver never holds up the change itself, nor the other webhooks' events."""

import logging
from collections.abc import Iterable
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import signing
from .attempts import claim, due_deliveries, record_attempt
from .models import Delivery
from .sending import post

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def deliver(delivery_id: int) -> str:
    return attempt(delivery_id)


@shared_task(acks_late=True)
def retry_due_deliveries() -> int:
    return retry_due()


def attempt(delivery_id: int) -> str:
    """One attempt at the delivery, if it is pending and due; never raises. By the worker, or
    in the process that made the change where there is none (a single machine)."""
    lease = timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)
    delivery = claim(delivery_id, lease=lease)
    if delivery is None:
        return "nothing to do"  # delivered, failed for good, gone, not due or being sent
    status, error = _post(delivery)
    record_attempt(delivery, status_code=status, error=error)
    return str(delivery.status)


def _post(delivery: Delivery) -> tuple[int | None, str]:
    """One post of the event: the answer's status, or None and why it could not be sent."""
    webhook = delivery.webhook
    body = signing.body_of(delivery, webhook.payload_version)
    headers = signing.headers_for(delivery, body, timezone.now())
    try:
        status = post(webhook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    except Exception as error:  # unreachable, timed out, refused, address not allowed
        return None, str(error) or type(error).__name__
    return status, "" if 200 <= status < 300 else f"answered {status}"


def dispatch(delivery_ids: Iterable[int]) -> None:
    """Send the events after the change committed: by the worker, or, on a single machine
    without one, at once with a short timeout. Either way nothing is raised into the request
    that made the change; a failure is recorded on its delivery, retried later."""
    for pk in delivery_ids:
        try:
            if deliver.app.conf.task_always_eager:
                attempt(pk)
            else:
                deliver.delay(pk)
        except Exception:
            logger.warning("Could not send webhook delivery %s", pk, exc_info=True)


def retry_due() -> int:
    """Send again every delivery that is due; how many were."""
    due = list(due_deliveries().order_by("pk").values_list("pk", flat=True))
    dispatch(due)
    return len(due)
