"""Sending webhook events: after the change commits, by a worker, retried with backoff, so a
slow or unreachable receiver never holds up the change itself."""

from celery import shared_task
from django.conf import settings

from . import services
from .models import Delivery
from .sending import post

MAX_RETRIES = 6  # about 32 minutes of backoff in all


class DeliveryFailed(Exception):
    pass


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=900,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver(self, delivery_id: int) -> str:
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return "nothing to do"  # idempotent: delivered, failed for good, or gone
    final = self.request.retries >= MAX_RETRIES
    status, error = _attempt(delivery)
    delivered = status is not None and 200 <= status < 300
    services.record_attempt(delivery, status_code=status, error=error, final=final or delivered)
    if delivered:
        return "delivered"
    if not final:
        raise DeliveryFailed(error or f"answered {status}")
    return "failed"


def _attempt(delivery: Delivery) -> tuple[int | None, str]:
    """One post of the event: the answer's status, or None and why it could not be sent."""
    webhook = delivery.webhook
    body = services.body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ngo-portfolio-portal-webhooks",
        services.EVENT_HEADER: delivery.event,
        services.SIGNATURE_HEADER: services.signature(webhook.secret, body),
    }
    try:
        status = post(webhook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    except Exception as error:  # unreachable, timed out, refused, address not allowed
        return None, str(error) or type(error).__name__
    return status, "" if 200 <= status < 300 else f"answered {status}"


def attempt_now(delivery_id: int) -> str:
    """One attempt, in the process that made the change (a single machine without a worker):
    never raises; a failure stays pending for `manage.py retry_webhooks`, and fails for good
    after as many attempts as the worker would make."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return "nothing to do"
    status, error = _attempt(delivery)
    delivered = status is not None and 200 <= status < 300
    final = delivered or delivery.attempts + 1 > MAX_RETRIES
    services.record_attempt(delivery, status_code=status, error=error, final=final)
    return "delivered" if delivered else "failed" if final else "pending"
