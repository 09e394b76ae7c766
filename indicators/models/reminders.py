"""What reporting reminders were sent, so that nobody gets the same one twice."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation

from .core import Indicator, Period, ProgressUpdate


class Reminder(models.Model):
    """One item of a digest e-mail: a period to report on, or an update waiting for review."""

    class Kind(models.TextChoices):
        DUE = "due", _("Period due soon")
        OVERDUE = "overdue", _("Period overdue")
        REVIEW = "review", _("Update waiting for review")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, null=True, related_name="+"
    )
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("update"),
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "organisation", "indicator", "period"],
                condition=Q(update__isnull=True),
                name="reminder_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "update"],
                condition=Q(update__isnull=False),
                name="reminder_once_per_update",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.indicator_id}"
