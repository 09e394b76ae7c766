"""Snapshot rows that dashboards read: figures computed from approved updates only.

Each carries `computed_at`. `stale_since` is set, in the same transaction, by whatever changes
approved figures; a recompute clears it, and a periodic job repairs any snapshot left stale.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators import progress
from partners.models import Organisation
from projects.models import Project

from .core import Indicator

# The statuses of indicators.progress, with the words pages show for them.
STATUS_CHOICES = [
    (progress.Status.NOT_STARTED.value, _("Not started")),
    (progress.Status.REPORTED.value, _("Reported")),
    (progress.Status.ON_TRACK.value, _("On track")),
    (progress.Status.AT_RISK.value, _("At risk")),
    (progress.Status.OFF_TRACK.value, _("Off track")),
    (progress.Status.ACHIEVED.value, _("Achieved")),
]


class IndicatorSnapshot(models.Model):
    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="snapshot",
    )
    achieved = models.DecimalField(_("achieved"), max_digits=20, decimal_places=4, null=True)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True)
    percent_of_target = models.DecimalField(
        _("percent of target"), max_digits=12, decimal_places=2, null=True
    )
    expected_percent = models.DecimalField(
        _("expected percent"), max_digits=12, decimal_places=2, null=True
    )
    within_range = models.BooleanField(_("within range"), null=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        default=progress.Status.NOT_STARTED.value,
        choices=STATUS_CHOICES,
    )
    updates_counted = models.PositiveIntegerField(_("approved updates"), default=0)
    last_update = models.DateField(_("latest as-of date"), null=True)
    # [{dimension, category, dimension_name, category_name, is_share_target, target_value,
    #   target_share, achieved_value, achieved_share, met}], decimals as strings
    categories = models.JSONField(_("categories"), default=list)
    # [{name, start, end, target_value, achieved_value, cumulative_value, percent, parts}],
    # parts being {"dimension/category": achieved in the period}
    periods = models.JSONField(_("periods"), default=list)
    # {"dimension/category": achieved}, for every category reported, with a target or not
    parts = models.JSONField(_("achieved by category"), default=dict)
    computed_at = models.DateTimeField(_("computed"), null=True)
    stale_since = models.DateTimeField(_("stale since"), null=True, db_index=True)
    recomputes = models.PositiveIntegerField(_("recompute jobs run"), default=0)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status}"


class StatusCounts(models.Model):
    """How many indicators are in each status."""

    not_started = models.PositiveIntegerField(_("not started"), default=0)
    reported = models.PositiveIntegerField(_("reported, without a target"), default=0)
    on_track = models.PositiveIntegerField(_("on track"), default=0)
    at_risk = models.PositiveIntegerField(_("at risk"), default=0)
    off_track = models.PositiveIntegerField(_("off track"), default=0)
    achieved = models.PositiveIntegerField(_("achieved"), default=0)

    class Meta:
        abstract = True


class ProjectSnapshot(StatusCounts):
    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="snapshot",
    )
    indicators = models.PositiveIntegerField(_("indicators"), default=0)
    overall_percent = models.DecimalField(
        _("overall progress"),
        max_digits=6,
        decimal_places=2,
        null=True,
        help_text=_("Mean of the indicators' percent of target, each capped at 100."),
    )
    last_update = models.DateField(_("latest as-of date"), null=True)
    computed_at = models.DateTimeField(_("computed"), null=True)

    class Meta:
        verbose_name = _("project snapshot")
        verbose_name_plural = _("project snapshots")

    def __str__(self) -> str:
        return f"{self.project_id}"


class PortfolioSnapshot(StatusCounts):
    """A roll-up of the projects an organisation funds, implements, or its network works on."""

    class Kind(models.TextChoices):
        FUNDER = "funder", _("Funded projects")
        IMPLEMENTER = "implementer", _("Implemented projects")
        NETWORK = "network", _("Projects of the network")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="portfolio_snapshots",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    projects = models.PositiveIntegerField(_("projects"), default=0)
    indicators = models.PositiveIntegerField(_("indicators"), default=0)
    # {currency: amount} of what the organisation contributes (funders) or manages
    contributions = models.JSONField(_("contributions"), default=dict)
    computed_at = models.DateTimeField(_("computed"), null=True)

    class Meta:
        verbose_name = _("portfolio snapshot")
        verbose_name_plural = _("portfolio snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="portfolio_snapshot_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.kind}"


class OrganisationIndicatorSnapshot(models.Model):
    """An indicator's approved figure reported by one organisation and by everything below it
    in the network (soup kitchen → provincial organisation → national)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    own = models.DecimalField(_("reported itself"), max_digits=20, decimal_places=4, null=True)
    rolled_up = models.DecimalField(
        _("with its members"), max_digits=20, decimal_places=4, null=True
    )
    computed_at = models.DateTimeField(_("computed"), null=True)

    class Meta:
        verbose_name = _("network roll-up")
        verbose_name_plural = _("network roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation"], name="organisation_snapshot_unique"
            ),
            models.CheckConstraint(
                condition=Q(own__isnull=True) | Q(own__gte=0), name="organisation_snapshot_own"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} @ {self.organisation_id}"
