from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import person_field
from core.translations import Translated
from partners.models import Membership, Organisation


class Location(models.Model):
    """A place in the tree country → region → province → district → community."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District")
        COMMUNITY = "community", _("Community or neighbourhood")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=16,
        blank=True,
        help_text=_("ISO 3166-1 for countries (PE), ISO 3166-2 for regions (PE-LIM)."),
    )
    # Where the place is, as IATI's `point` asks (WGS 84, decimal degrees): a district's or
    # community's centre, given only where a source for it is known.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("within"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="location_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent=None), name="location_unique_root_name"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="country"),
                name="location_only_countries_are_roots",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="location_point_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(Translated):
    class Status(models.TextChoices):
        PIPELINE = "pipeline", _("Pipeline")
        ACTIVE = "active", _("Active")
        FINALISATION = "finalisation", _("Finalisation")
        CLOSED = "closed", _("Closed")
        SUSPENDED = "suspended", _("Suspended")
        CANCELLED = "cancelled", _("Cancelled")

    translated_fields = ("title", "summary")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language of the texts"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the project's texts are written in; others are translations."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    dates_note = models.CharField(
        _("note on dates"),
        max_length=500,
        blank=True,
        help_text=_("Where the dates come from, when the source documents are vague."),
    )
    budget = models.DecimalField(
        _("total budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    locations = models.ManyToManyField(
        Location, verbose_name=_("locations"), blank=True, related_name="projects"
    )
    sectors = models.CharField(
        _("DAC sectors"),
        max_length=200,
        blank=True,
        validators=[
            RegexValidator(
                r"^(\d{5}(, ?\d{5})*)?$",
                _("Give 5-digit DAC purpose codes separated by commas, e.g. 15170, 43030."),
            )
        ],
        help_text=_("OECD DAC 5-digit purpose codes, separated by commas: 15170, 43030."),
    )
    # IATI asks that an activity keep one identifier for life, the same in every file: it is
    # made once, from the reporting organisation's identifier and the code, and never changes.
    iati_identifier = models.CharField(
        _("IATI activity identifier"), max_length=200, blank=True, editable=False
    )
    iati_reporter = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("reported to IATI by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="iati_reported_projects",
    )
    is_public = models.BooleanField(_("public"), default=False)
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("The document the project comes from.")
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("Archived projects leave the portfolio list; nothing of theirs is deleted."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="project_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="project_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="project_budget_not_negative",
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="project_unique_iati_identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.translated("title")

    @property
    def start_date(self) -> date:
        return self.actual_start or self.planned_start

    @property
    def end_date(self) -> date:
        return self.actual_end or self.planned_end

    @property
    def sector_codes(self) -> list[str]:
        return [code.strip() for code in self.sectors.split(",") if code.strip()]


class Confirmation(models.Model):
    """An organisation's word that it takes part in a project as the project says (as funder,
    partner or both). Until its administrators give it, the project's fundings and partnerships
    naming it give it nothing: no access, no dashboards, no files, no roll-ups. An organisation
    without an administrator cannot confirm: the project names it as a record, as it always
    could, and its links await confirmation once it has its first administrator."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="confirmations",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)
    confirmed_by = person_field(_("confirmed by"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="confirmation_once_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ✓ {self.project}"


def standing(field: str) -> Q:
    """The links (fundings, partnerships) that count: confirmed by the organisation they name,
    or naming one without an administrator to ask, which is recorded by name."""
    confirmed = Confirmation.objects.filter(
        project_id=OuterRef("project_id"), organisation_id=OuterRef(field)
    )
    administrators = Membership.objects.filter(
        organisation_id=OuterRef(field), role=Membership.Role.ADMIN
    )
    return Q(Exists(confirmed)) | ~Q(Exists(administrators))


class StandingLinks(models.Manager):
    """The default manager of links: every query of the portal — pages, dashboards, files, the
    API, roll-ups, webhooks — sees only the links that count. Set-up reads `every`."""

    organisation_field = ""

    def get_queryset(self) -> "models.QuerySet":
        return super().get_queryset().filter(standing(self.organisation_field))


class StandingFundings(StandingLinks):
    organisation_field = "funder_id"


class StandingPartnerships(StandingLinks):
    organisation_field = "organisation_id"


class Funding(models.Model):
    """Money a funder gives to a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="fundings"
    )
    funder = models.ForeignKey(
        Organisation, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="fundings"
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    date = models.DateField(_("date"), null=True, blank=True)
    instrument = models.CharField(
        _("fund or instrument"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Transition 2024 Fund"),
    )
    liaison = models.CharField(_("liaison at the funder"), max_length=255, blank=True)

    history = HistoricalRecords()
    every = models.Manager()  # awaiting confirmation too: for set-up and the confirmations
    objects = StandingFundings()

    class Meta:
        ordering = ["project", "-amount", "funder__name"]
        default_manager_name = "objects"
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_amount_not_negative",
            ),
            models.UniqueConstraint(
                fields=["project", "funder", "instrument"], name="funding_unique_per_instrument"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} → {self.project}"


class Partnership(models.Model):
    """An organisation's part in a project, in IATI's organisation roles."""

    class Role(models.IntegerChoices):
        FUNDING = 1, _("Funding")
        ACCOUNTABLE = 2, _("Accountable")
        EXTENDING = 3, _("Extending")
        IMPLEMENTING = 4, _("Implementing")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="partnerships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.PositiveSmallIntegerField(_("role"), choices=Role.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    every = models.Manager()  # awaiting confirmation too: for set-up and the confirmations
    objects = StandingPartnerships()

    class Meta:
        ordering = ["project", "role", "organisation__name"]
        default_manager_name = "objects"
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="partnership_unique_role"
            ),
            models.CheckConstraint(
                condition=Q(role__gte=1, role__lte=4), name="partnership_iati_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class BeneficiaryGroup(Translated):
    """Who a project serves, with its estimated size and, where known, its composition."""

    translated_fields = ("name",)

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="beneficiary_groups",
    )
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    estimated_size = models.PositiveIntegerField(_("estimated size"), null=True, blank=True)
    women_share = models.DecimalField(
        _("share of women"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("As a fraction: 0.51 for 51 %."),
    )
    minors_share = models.DecimalField(
        _("share of minors"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("As a fraction."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        verbose_name = _("beneficiary group")
        verbose_name_plural = _("beneficiary groups")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="beneficiary_group_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(women_share__isnull=True) | Q(women_share__gte=0, women_share__lte=1),
                name="beneficiary_group_women_share_fraction",
            ),
            models.CheckConstraint(
                condition=Q(minors_share__isnull=True)
                | Q(minors_share__gte=0, minors_share__lte=1),
                name="beneficiary_group_minors_share_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.translated("name")

    @property
    def estimated_women(self) -> Decimal | None:
        if self.estimated_size is None or self.women_share is None:
            return None
        return (self.estimated_size * self.women_share).quantize(Decimal(1))


class Result(Translated):
    """One node of a project's results framework: objective → outcome → output."""

    translated_fields = ("title",)

    class Level(models.TextChoices):
        OBJECTIVE = "objective", _("Objective")
        OUTCOME = "outcome", _("Outcome")
        OUTPUT = "output", _("Output")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    number = models.CharField(_("number"), max_length=16, help_text=_("e.g. 1, 1.2, 1.2.3"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "number"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="result_unique_number"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="result_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.translated('title')}"
