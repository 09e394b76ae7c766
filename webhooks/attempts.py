"""The bookkeeping of deliveries: which are due, taking one for an attempt, and what an attempt
brought (delivered, due again after a wait, failed for good, the webhook disabled)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails
from .models import Delivery, Webhook

# A webhook whose every attempt has failed this long is disabled, and its organisation told.
FAILING_FOR = timedelta(days=1)
GONE = 410
# Failed attempts are tried again after these waits, then the delivery fails for good: seven
# attempts over about 53 minutes. The waits are kept on the delivery, not in the broker, so a
# worker that dies forgets nothing and beat (or `manage.py retry_webhooks`) sends what is due.
RETRY_AFTER_SECONDS = (30, 60, 120, 300, 900, 1800)
MAX_ATTEMPTS = len(RETRY_AFTER_SECONDS) + 1
# A first attempt not made this long after its change committed was lost (the broker or the
# worker was down): it is due again.
FIRST_ATTEMPT_LOST_AFTER = timedelta(seconds=60)


def due_deliveries() -> QuerySet[Delivery]:
    """Pending deliveries whose next attempt is due, or whose first attempt was lost."""
    now = timezone.now()
    return Delivery.objects.filter(status=Delivery.Status.PENDING).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - FIRST_ATTEMPT_LOST_AFTER)
    )


def claim(delivery_id: int, *, lease: timedelta) -> Delivery | None:
    """Take a pending delivery whose attempt is due for one attempt, or None where another
    process holds it, or it is delivered, failed, gone or not due. Holding it moves its next
    attempt past the lease, so that a process that dies mid-attempt only delays it."""
    now = timezone.now()
    taken = (
        Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + lease)
    )
    if not taken:
        return None
    return Delivery.objects.select_related("webhook").get(pk=delivery_id)


def record_attempt(delivery: Delivery, *, status_code: int | None, error: str) -> None:
    """What one attempt brought: delivered, due again after its wait, or failed for good. A
    receiver that answers 410 Gone, or has failed every attempt for a day, is disabled."""
    now = timezone.now()
    with transaction.atomic():
        disabled = _follow_the_receiver(delivery.webhook, status_code=status_code, now=now)
        _record(delivery, status_code=status_code, error=error, now=now, disabled=disabled)


def _record(
    delivery: Delivery, *, status_code: int | None, error: str, now: datetime, disabled: bool
) -> None:
    delivery.attempts += 1
    delivery.response_status = status_code
    delivery.error = error[:500]
    delivery.next_attempt_at = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.finished_at = now
    elif delivery.attempts >= MAX_ATTEMPTS or disabled:
        delivery.status = Delivery.Status.FAILED
        delivery.finished_at = now
    else:
        wait = RETRY_AFTER_SECONDS[delivery.attempts - 1]
        delivery.next_attempt_at = now + timedelta(seconds=wait)
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "error",
            "status",
            "finished_at",
            "next_attempt_at",
        ]
    )


def _follow_the_receiver(webhook: Webhook, *, status_code: int | None, now: datetime) -> bool:
    """Keep track of a receiver's failures; return whether the webhook is (now) disabled."""
    delivered = status_code is not None and 200 <= status_code < 300
    current = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if delivered:
        if current.failing_since is not None:
            current.failing_since = None
            current.save(update_fields=["failing_since"])
        return current.disabled_at is not None
    current.failing_since = current.failing_since or now
    reason = ""
    if status_code == GONE:
        reason = _("The address answered 410 Gone.")
    elif now - current.failing_since >= FAILING_FOR:
        reason = _("Every attempt failed for a day.")
    current.save(update_fields=["failing_since"])
    if reason and current.disabled_at is None:
        current.disabled_at, current.disabled_reason = now, reason
        current.save(update_fields=["disabled_at", "disabled_reason"])
        stop_pending(current, now)
        transaction.on_commit(lambda: emails.tell_webhook_disabled(current))
    return current.disabled_at is not None


def stop_pending(webhook: Webhook, now: datetime) -> None:
    """A disabled webhook is sent nothing more: what was still pending fails."""
    Delivery.objects.filter(webhook=webhook, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED,
        finished_at=now,
        next_attempt_at=None,
        error=_("The webhook is disabled."),
    )
