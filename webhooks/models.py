from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import person_field
from partners.models import Organisation

# The events a webhook can subscribe to; a test event ("ping") is sent whatever it chose.
EVENTS = {
    "update.approved": _("An update is approved"),
    "update.reopened": _("An approved update is reopened"),
    "snapshots.computed": _("A project's figures are recomputed"),
}


def every_event() -> list[str]:
    return list(EVENTS)


class Webhook(models.Model):
    """An address of an organisation's system that is told, signed, when figures change."""

    class PayloadVersion(models.IntegerChoices):
        # Deprecated: figures as texts, and X-Portal-Signature beside the standard headers.
        LEGACY = 1, _("1 — deprecated, until 30 June 2027")
        STANDARD = 2, _("2 — current")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = models.URLField(_("address"), max_length=500)
    # Kept to sign each event (HMAC-SHA256); shown to the organisation once, when created or
    # rotated. New secrets are Standard Webhooks' whsec_<base64>; those made before are 64 hex
    # digits, whose 32 bytes are the key (signing.standard_key).
    secret = models.CharField(_("secret"), max_length=64)
    # After a rotation the previous secret signs too, until then, so that receivers can change.
    previous_secret = models.CharField(_("previous secret"), max_length=64, blank=True)
    previous_secret_until = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True
    )
    payload_version = models.PositiveSmallIntegerField(
        _("payload version"), choices=PayloadVersion.choices, default=PayloadVersion.STANDARD
    )
    events = models.JSONField(_("events"), default=every_event)
    # Since when every attempt has failed; a day of that disables the webhook.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)
    created_by = person_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event sent (or being sent) to one webhook, with what came back."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # When the next attempt is due (or, while one is under way, until when it is taken);
    # empty before the first attempt, which is sent once the change that made it commits.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(fields=["webhook", "-created_at"]),
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending_due",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"
