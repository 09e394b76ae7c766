"""Registering webhooks and queuing the events they receive."""

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import ProgressUpdate
from partners.models import Organisation, User
from partners.services import require_admin
from projects.models import Funding, Partnership, Project

from .attempts import stop_pending
from .models import EVENTS, Delivery, Webhook
from .sending import target_of
from .signing import new_secret
from .tasks import dispatch

MAX_WEBHOOKS = 5
# After a rotation, receivers have this long to take the new secret; both sign meanwhile.
ROTATION_OVERLAP = timedelta(hours=24)


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
        stop_pending(webhook, webhook.disabled_at)
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


def update_reviewed(*, update_id: int, event: str) -> None:
    """Call in the transaction that approved or reopened an update: its project's partners
    and funders hear of it once it commits. Approved figures only, so funders may hear too."""
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
