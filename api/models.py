from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import person_field
from partners.models import Organisation


class ApiToken(models.Model):
    """A partner system's key to the API, on behalf of one organisation.

    The key itself is shown once and never stored: only its SHA-256 hash, and a short prefix to
    find it by. Each token acts through its own service user, a member of the organisation with
    the role the token's scope gives, so it sees and does what that role may and no more.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it."))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    can_approve = models.BooleanField(
        _("may approve updates"),
        default=False,
        help_text=_("Approval stays with people unless the organisation grants it here."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acts as"),
        on_delete=models.PROTECT,
        related_name="api_token",
    )
    created_by = person_field(_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(can_approve=False) | models.Q(scope="write"),
                name="api_token_approval_needs_write",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.short_name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """A write sent with an `Idempotency-Key`, and the answer it got: the same key from the same
    caller gets that answer again instead of a second write (IETF draft
    "The Idempotency-Key HTTP Header Field")."""

    caller = models.CharField(_("caller"), max_length=80)  # a token's hash, or a user's id
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)  # none yet: running
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), default=bytes)
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotent_request_once")
        ]

    def __str__(self) -> str:
        return self.key


class FeedPosition(models.Model):
    """How far a caller's change feed has numbered: the last sequence number given out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    last_sequence = models.BigIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("change feed position")
        verbose_name_plural = _("change feed positions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_sequence}"


class FeedEntry(models.Model):
    """One object as a caller's change feed last sent it: its fingerprint, or a tombstone once
    the caller may no longer see it, under the sequence number of that sending."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("organisation")
        LIBRARY = "library", _("indicator library")
        BUDGET_LINE = "budget_line", _("budget line")
        PERIOD_REPORT = "period_report", _("period report")
        PROJECT = "project", _("project")
        INDICATOR = "indicator", _("indicator")
        UPDATE = "update", _("update")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    sequence = models.BigIntegerField(_("sequence number"))

    class Meta:
        verbose_name = _("change feed entry")
        verbose_name_plural = _("change feed entries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"], name="feed_entry_once_per_object"
            ),
            models.UniqueConstraint(fields=["user", "sequence"], name="feed_entry_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} @ {self.sequence}"
