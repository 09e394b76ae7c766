from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
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
