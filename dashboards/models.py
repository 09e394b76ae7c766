"""Files of a whole portfolio, made in the background: a funder's indicator table (XLSX) or its
summary (PDF), with how far the work has gone, for the person who asked only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import PortfolioSnapshot
from partners.models import Organisation


class Export(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", _("Indicator table (XLSX)")
        PDF = "pdf", _("Summary (PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("portfolio"), max_length=16, choices=PortfolioSnapshot.Kind.choices)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8)
    base_url = models.URLField(_("address of the portal"), max_length=200)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    projects_done = models.PositiveIntegerField(_("projects done"), default=0)
    projects_total = models.PositiveIntegerField(_("projects in all"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("portfolio file")
        verbose_name_plural = _("portfolio files")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.kind} · {self.format}"

    @property
    def percent_done(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.projects_total:
            return 0
        return min(99, self.projects_done * 100 // self.projects_total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
