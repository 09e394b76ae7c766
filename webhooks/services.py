"""Registering webhooks and queuing the events they receive."""

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Organisation, User
from partners.services import require_admin
from projects.models import Funding, Partnership, Project

from . import emails
from .models import EVENTS, Delivery, Webhook
from .sending import target_of
from .signing import new_secret

logger = logging.getLogger(__name__)

MAX_WEBHOOKS = 5
# After a rotation, receivers have this long to take the new secret; both sign meanwhile.
ROTATION_OVERLAP = timedelta(hours=24)
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


def check_address(url: str) -> None:
    """Refuse what is not an http(s) address, and, outside development, any address that is
    not globally routable: a webhook must not become a way to probe the portal's network."""
    target_of(url)


def _check_choice(events: Sequence[str], payload_version: int) -> dict[str, str]:
    problems = {}
    if not events:
        problems["events"] = _("Choose at least one event.")
    elif unknown := sorted(set(events) - set(EVENTS)):
        problems["events"] = _("No such event: %(events)s.") % {"events": ", ".join(unknown)}
    if payload_version not in Webhook.PayloadVersion.values:
        problems["payload_version"] = _("No such payload version.")
    return problems


@transaction.atomic
def add_webhook(
    *,
    organisation: Organisation,
    by: User,
    url: str,
    events: Sequence[str] = tuple(EVENTS),
    payload_version: int = Webhook.PayloadVersion.STANDARD,
) -> tuple[Webhook, str]:
    """Register an address for these events; returns the webhook and its signing secret, to
    show once. Every problem is reported at once."""
    require_admin(by, organisation)
    url = url.strip()
    problems = _check_choice(events, payload_version)
    try:
        check_address(url)
    except ValidationError as error:
        problems.update({field: messages[0] for field, messages in error.message_dict.items()})
    active = Webhook.objects.filter(organisation=organisation, disabled_at=None)
    if "url" not in problems and active.filter(url=url).exists():
        problems["url"] = _("This address is registered already.")
    if "url" not in problems and active.count() >= MAX_WEBHOOKS:
        problems["url"] = _("An organisation has at most %(count)s webhooks.") % {
            "count": MAX_WEBHOOKS
        }
    if problems:
        raise ValidationError(problems)
    secret = new_secret()
    webhook = Webhook.objects.create(
        organisation=organisation,
        url=url,
        secret=secret,
        created_by=by,
        events=[event for event in EVENTS if event in events],
        payload_version=payload_version,
    )
    return webhook, secret


@transaction.atomic
def change_webhook(
    *, webhook: Webhook, by: User, events: Sequence[str], payload_version: int
) -> Webhook:
    """Choose the events the address gets, and the payload version they come in."""
    require_admin(by, webhook.organisation)
    problems = _check_choice(events, payload_version)
    if problems:
        raise ValidationError(problems)
    webhook.events = [event for event in EVENTS if event in events]
    webhook.payload_version = payload_version
    webhook.save(update_fields=["events", "payload_version"])
    return webhook


@transaction.atomic
def rotate_secret(*, webhook: Webhook, by: User) -> str:
    """A new signing secret, to show once; the one it replaces keeps signing beside it for
    ROTATION_OVERLAP, so that the receiver can change without losing an event."""
    require_admin(by, webhook.organisation)
    current = Webhook.objects.select_for_update().get(pk=webhook.pk)
    secret = new_secret()
    current.previous_secret = current.secret
    current.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    current.secret = secret
    current.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return secret


@transaction.atomic
def disable_webhook(*, webhook: Webhook, by: User) -> Webhook:
    require_admin(by, webhook.organisation)
    if webhook.disabled_at is None:
        webhook.disabled_at = timezone.now()
        webhook.disabled_reason = _("Disabled by %(name)s.") % {
            "name": by.get_full_name() or by.username
        }
        webhook.save(update_fields=["disabled_at", "disabled_reason"])
        _stop_pending(webhook, webhook.disabled_at)
    return webhook


@transaction.atomic
def redeliver(*, delivery: Delivery, by: User) -> Delivery:
    """Send an event of the log again, with the same id (a receiver that has it ignores it):
    pending once more, with every attempt ahead of it."""
    require_admin(by, delivery.webhook.organisation)
    current = Delivery.objects.select_for_update().select_related("webhook").get(pk=delivery.pk)
    if current.webhook.disabled_at is not None:
        raise ValidationError(_("This webhook is disabled."))
    if current.status == Delivery.Status.PENDING:
        raise ValidationError(_("This event is still being sent."))
    current.status = Delivery.Status.PENDING
    current.attempts = 0
    current.next_attempt_at = None
    current.finished_at = None
    current.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at"])
    ids = [current.pk]
    transaction.on_commit(lambda: dispatch(ids))
    return current


@transaction.atomic
def send_test_event(*, webhook: Webhook, by: User) -> Delivery:
    require_admin(by, webhook.organisation)
    if webhook.disabled_at is not None:
        raise ValidationError(_("This webhook is disabled."))
    payload = {"organisation": webhook.organisation_id, "sent_at": timezone.now().isoformat()}
    return _queue([webhook], "ping", payload)[0]


def _interested(project_id: int, event: str) -> list[Webhook]:
    """Active webhooks subscribed to the event, of the organisations that take part in or fund
    the project."""
    partners = Partnership.objects.filter(project_id=project_id).values("organisation_id")
    funders = Funding.objects.filter(project_id=project_id).values("funder_id")
    webhooks = Webhook.objects.filter(disabled_at=None).filter(
        Q(organisation_id__in=partners) | Q(organisation_id__in=funders)
    )
    # Read in Python: SQLite cannot look inside a JSON list, and each organisation has few.
    return [webhook for webhook in webhooks if event in webhook.events]


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
    webhooks = _interested(update.indicator.project_id, event)
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
        webhooks = _interested(project.pk, "snapshots.computed")
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
        _stop_pending(current, now)
        transaction.on_commit(lambda: emails.tell_webhook_disabled(current))
    return current.disabled_at is not None


def _stop_pending(webhook: Webhook, now: datetime) -> None:
    """A disabled webhook is sent nothing more: what was still pending fails."""
    Delivery.objects.filter(webhook=webhook, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED,
        finished_at=now,
        next_attempt_at=None,
        error=_("The webhook is disabled."),
    )
