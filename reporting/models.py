"""A project's budget as its lines, one year each: what a line pays for, who funds it and how
much, in the line's own currency. Amounts are never converted: every total is per currency."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import person_field
from projects.models import Funding, Project


class BudgetLine(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(
        _("budget line"), max_length=200, help_text=_("What it pays for, e.g. Training workshops.")
    )
    funding = models.ForeignKey(
        Funding,
        verbose_name=_("funded by"),
        on_delete=models.PROTECT,
        related_name="budget_lines",
        null=True,
        blank=True,
        help_text=_("Empty for the organisation's own funds or others not recorded."),
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    created_by = person_field(_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year", "name", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"
