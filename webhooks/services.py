"""Registering webhooks and queuing the events they receive."""

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation, User
from partners.services import require_admin
from projects.models import Funding, Partnership, Project

from .models import Delivery, Webhook
from .sending import target_of

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Portal-Signature"
EVENT_HEADER = "X-Portal-Event"
MAX_WEBHOOKS = 5
# Failed attempts are tried again after these waits, then the delivery fails for good: seven
# attempts over about 53 minutes. The waits are kept on the delivery, not in the broker, so a
# worker that dies forgets nothing and beat (or `manage.py retry_webhooks`) sends what is due.
RETRY_AFTER_SECONDS = (30, 60, 120, 300, 900, 1800)
MAX_ATTEMPTS = len(RETRY_AFTER_SECONDS) + 1
# A first attempt not made this long after its change committed was lost (the broker or the
# worker was down): it is due again.
FIRST_ATTEMPT_LOST_AFTER = timedelta(seconds=60)


def signature(secret: str, body: bytes) -> str:
    """What the receiver recomputes to trust the event: sha256=HMAC-SHA256(secret, body)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(
        {"id": delivery.pk, "event": delivery.event, **delivery.payload},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def check_address(url: str) -> None:
    """Refuse what is not an http(s) address, and, outside development, any address that is
    not globally routable: a webhook must not become a way to probe the portal's network."""
    target_of(url)


@transaction.atomic
def add_webhook(*, organisation: Organisation, by: User, url: str) -> tuple[Webhook, str]:
    """Register an address; returns the webhook and its signing secret, to show once."""
    require_admin(by, organisation)
    url = url.strip()
    check_address(url)
    active = Webhook.objects.filter(organisation=organisation, disabled_at=None)
    if active.filter(url=url).exists():
        raise ValidationError({"url": _("This address is registered already.")})
    if active.count() >= MAX_WEBHOOKS:
        raise ValidationError(
            {"url": _("An organisation has at most %(count)s webhooks.") % {"count": MAX_WEBHOOKS}}
        )
    secret = secrets.token_hex(32)
    webhook = Webhook.objects.create(
        organisation=organisation, url=url, secret=secret, created_by=by
    )
    return webhook, secret


@transaction.atomic
def disable_webhook(*, webhook: Webhook, by: User) -> Webhook:
    require_admin(by, webhook.organisation)
    if webhook.disabled_at is None:
        webhook.disabled_at = timezone.now()
        webhook.save(update_fields=["disabled_at"])
    return webhook


@transaction.atomic
def send_test_event(*, webhook: Webhook, by: User) -> Delivery:
    require_admin(by, webhook.organisation)
    if webhook.disabled_at is not None:
        raise ValidationError(_("This webhook is disabled."))
    payload = {"organisation": webhook.organisation_id, "sent_at": timezone.now().isoformat()}
    return _queue([webhook], "ping", payload)[0]


def _interested(project_id: int) -> list[Webhook]:
    """Active webhooks of the organisations that take part in or fund the project."""
    partners = Partnership.objects.filter(project_id=project_id).values("organisation_id")
    funders = Funding.objects.filter(project_id=project_id).values("funder_id")
    return list(
        Webhook.objects.filter(disabled_at=None).filter(
            Q(organisation_id__in=partners) | Q(organisation_id__in=funders)
        )
    )


def _queue(webhooks: Iterable[Webhook], event: str, payload: dict[str, Any]) -> list[Delivery]:

    deliveries = Delivery.objects.bulk_create(
        Delivery(webhook=webhook, event=event, payload=payload) for webhook in webhooks
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: dispatch(ids))
    return deliveries


def dispatch(delivery_ids: Iterable[int]) -> None:
    """Send the events after the change committed: by the worker, or, on a single machine
    without one, at once with a short timeout. Either way nothing is raised into the request
    that made the change; a failure is recorded on its delivery, retried later."""
    from .tasks import attempt, deliver

    for pk in delivery_ids:
        try:
            if deliver.app.conf.task_always_eager:
                attempt(pk)
            else:
                deliver.delay(pk)
        except Exception:
            logger.warning("Could not send webhook delivery %s", pk, exc_info=True)


def update_reviewed(*, update_id: int, event: str) -> None:
    """Call in the transaction that approved or reopened an update: its project's partners
    and funders hear of it once it commits. Approved figures only, so funders may hear too."""
    from indicators.models import ProgressUpdate

    update = ProgressUpdate.objects.select_related("indicator__project").get(pk=update_id)
    webhooks = _interested(update.indicator.project_id)
    if not webhooks:
        return
    payload = {
        "project": update.indicator.project_id,
        "project_code": update.indicator.project.code,
        "indicator": update.indicator_id,
        "indicator_code": update.indicator.code,
        "update": update.pk,
        "status": update.status,
        "as_of": update.as_of.isoformat(),
        "value": None if event != "update.approved" or update.value is None else str(update.value),
    }
    _queue(webhooks, event, payload)


def snapshots_computed(*, project_ids: Iterable[int]) -> None:
    """After a recompute: each project's partners and funders hear that its figures changed."""
    for project in Project.objects.filter(pk__in=set(project_ids)):
        webhooks = _interested(project.pk)
        if webhooks:
            payload = {
                "project": project.pk,
                "project_code": project.code,
                "computed_at": timezone.now().isoformat(),
            }
            with transaction.atomic():
                _queue(webhooks, "snapshots.computed", payload)


def due_deliveries() -> QuerySet[Delivery]:
    """Pending deliveries whose next attempt is due, or whose first attempt was lost."""
    now = timezone.now()
    return Delivery.objects.filter(status=Delivery.Status.PENDING).filter(
        Q(next_attempt_at__lte=now)
        | Q(next_attempt_at__isnull=True, created_at__lte=now - FIRST_ATTEMPT_LOST_AFTER)
    )


def retry_due() -> int:
    """Send again every delivery that is due; how many were."""
    due = list(due_deliveries().order_by("pk").values_list("pk", flat=True))
    dispatch(due)
    return len(due)


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
    """What one attempt brought: delivered, due again after its wait, or failed for good."""
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_status = status_code
    delivery.error = error[:500]
    delivery.next_attempt_at = None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = Delivery.Status.DELIVERED
        delivery.finished_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
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
