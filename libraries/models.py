"""An organisation's library of standard indicators — a funder's, a network's, an NGO's own —
that its projects' indicators can draw on. Loading a list again makes a new version; the old
one stays, for whatever was linked to it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import person_field
from core.translations import Translated
from indicators.models import Dimension, Indicator
from partners.models import Organisation


class Library(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="indicator_libraries",
    )
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(
        _("language"),
        max_length=8,
        help_text=_("The language the indicators' names are written in first."),
    )
    source = models.URLField(
        _("published at"),
        max_length=500,
        blank=True,
        help_text=_("Where the list is published, when it is someone else's."),
    )
    created_by = person_field(_("loaded by"))
    created_at = models.DateTimeField(_("loaded"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("replaced by a new version"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "name", "-version"]
        verbose_name = _("indicator library")
        verbose_name_plural = _("indicator libraries")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name", "version"], name="library_one_of_each_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Entry(Translated):
    """One standard indicator of a library."""

    translated_fields = ("name", "unit")

    library = models.ForeignKey(
        Library, verbose_name=_("library"), on_delete=models.CASCADE, related_name="entries"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=500)
    measure = models.CharField(_("measure"), max_length=16, choices=Indicator.Measure.choices)
    unit = models.CharField(_("unit"), max_length=64, blank=True)
    aggregation = models.CharField(
        _("how figures combine"), max_length=8, choices=Indicator.Aggregation.choices
    )
    dimensions = models.ManyToManyField(
        Dimension,
        verbose_name=_("required disaggregations"),
        blank=True,
        related_name="+",
    )
    methodology_url = models.URLField(_("methodology"), max_length=1000, blank=True)
    tags = models.CharField(
        _("tags"), max_length=200, blank=True, help_text=_("For example an SDG target code.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["library", "order", "code"]
        verbose_name = _("library indicator")
        verbose_name_plural = _("library indicators")
        constraints = [
            models.UniqueConstraint(fields=["library", "code"], name="library_entry_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Link(models.Model):
    """A project's indicator reported as a library's standard indicator: its approved figures
    count in the library's results across projects."""

    indicator = models.OneToOneField(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="library_link",
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("library indicator"), on_delete=models.PROTECT, related_name="links"
    )
    linked_by = person_field(_("linked by"))
    linked_at = models.DateTimeField(_("linked"), auto_now=True)

    class Meta:
        verbose_name = _("link to a library")
        verbose_name_plural = _("links to libraries")

    def __str__(self) -> str:
        return f"{self.indicator} → {self.entry}"
