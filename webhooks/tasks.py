"""Sending webhook events: after the change commits, by a worker, retried with backoff, so a
slow or unreachable receiver never holds up the change itself."""

import urllib.error
import urllib.request

from celery import shared_task
from django.conf import settings

from . import services
from .models import Delivery

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
    webhook = delivery.webhook
    body = services.body_of(delivery)
    request = urllib.request.Request(
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "ngo-portfolio-portal-webhooks",
            services.EVENT_HEADER: delivery.event,
            services.SIGNATURE_HEADER: services.signature(webhook.secret, body),
        },
    )
    final = self.request.retries >= MAX_RETRIES
    try:
        services.check_address(webhook.url)
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        services.record_attempt(delivery, status_code=error.code, error=str(error), final=final)
        if not final:
            raise DeliveryFailed(str(error)) from error
        return "failed"
    except Exception as error:  # unreachable, timed out, refused, address not allowed
        services.record_attempt(delivery, status_code=None, error=str(error), final=final)
        if not final:
            raise DeliveryFailed(str(error)) from error
        return "failed"
    services.record_attempt(delivery, status_code=status, error="", final=True)
    return "delivered"
