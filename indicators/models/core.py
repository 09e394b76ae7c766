from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import person_field
from core.translations import Translated
from partners.models import Organisation
from projects.models import BeneficiaryGroup, Project, Result


class Dimension(Translated):
    """A way to disaggregate: sex, age group, district, role..."""

    translated_fields = ("name",)

    class Kind(models.TextChoices):
        SEX = "sex", _("Sex or gender")
        AGE = "age", _("Age group")
        LOCATION = "location", _("Location")
        GROUP = "group", _("Group")

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dimensions",
        help_text=_(
            "The organisation whose projects use it, and whose managers translate it; none for "
            "a dimension every organisation shares, which only the portal's operators translate."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return self.translated("name")


class Category(Translated):
    translated_fields = ("name",)

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="categories"
    )
    slug = models.SlugField(_("slug"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "slug"], name="category_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.translated("name")


class Indicator(Translated):
    class Measure(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        AMOUNT = "amount", _("Amount of money")
        MILESTONE = "milestone", _("Milestone")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of the updates")
        LATEST = "latest", _("Latest value")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class TargetKind(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")
        RANGE = "range", _("Range")

    translated_fields = ("name", "unit")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    result = models.ForeignKey(
        Result,
        verbose_name=_("result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    beneficiary_group = models.ForeignKey(
        BeneficiaryGroup,
        verbose_name=_("beneficiary group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    counts_people_reached = models.BooleanField(
        _("counts the people reached"),
        default=False,
        help_text=_(
            "This indicator counts the unique people its beneficiary group reaches: dashboards "
            "add it to the people reached. At most one indicator per group."
        ),
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    measure = models.CharField(
        _("measure"), max_length=16, choices=Measure.choices, default=Measure.COUNT
    )
    unit = models.CharField(_("unit"), max_length=64, blank=True, help_text=_("people, m², plans…"))
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    whole_numbers = models.BooleanField(
        _("whole numbers"),
        default=True,
        help_text=_(
            "Counts of people or things: the figures, their parts and the targets take no "
            "fractions."
        ),
    )
    aggregation = models.CharField(
        _("how updates combine"),
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_kind = models.CharField(
        _("target kind"), max_length=8, choices=TargetKind.choices, default=TargetKind.AT_LEAST
    )
    target_value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_min = models.DecimalField(
        _("target minimum"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("target maximum"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(
        _("target date"), null=True, blank=True, help_text=_("Defaults to the project's end.")
    )
    default_denominator = models.DecimalField(
        _("usual denominator"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For percentages: what the share is of, e.g. the district's 134 parks."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    dimensions: "models.ManyToManyField[Dimension, IndicatorDimension]" = models.ManyToManyField(
        Dimension,
        through="IndicatorDimension",
        verbose_name=_("disaggregated by"),
        related_name="indicators",
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="indicator_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True) | Q(baseline_value__gte=0),
                name="indicator_baseline_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        target_kind="range",
                        target_min__isnull=False,
                        target_max__isnull=False,
                        target_min__gte=0,
                        target_max__gte=F("target_min"),
                    )
                    | (
                        ~Q(target_kind="range")
                        & Q(target_min__isnull=True, target_max__isnull=True)
                    )
                ),
                name="indicator_range_has_ordered_bounds",
            ),
            models.CheckConstraint(
                condition=~Q(measure="percentage")
                | (
                    (Q(target_value__isnull=True) | Q(target_value__lte=100))
                    & (Q(baseline_value__isnull=True) | Q(baseline_value__lte=100))
                    & (Q(target_max__isnull=True) | Q(target_max__lte=100))
                ),
                name="indicator_percentage_at_most_100",
            ),
            models.CheckConstraint(
                condition=~Q(measure="milestone")
                | (Q(target_kind="at_least") & (Q(target_value__isnull=True) | Q(target_value=1))),
                name="indicator_milestone_target_is_done",
            ),
            models.CheckConstraint(
                condition=~Q(measure="qualitative")
                | Q(
                    target_value__isnull=True,
                    target_min__isnull=True,
                    baseline_value__isnull=True,
                ),
                name="indicator_qualitative_has_no_numbers",
            ),
            models.CheckConstraint(
                condition=~Q(direction="decrease") | Q(baseline_value__isnull=False),
                name="indicator_decrease_has_baseline",
            ),
            models.CheckConstraint(
                condition=Q(default_denominator__isnull=True) | Q(default_denominator__gt=0),
                name="indicator_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(baseline_date__isnull=True)
                | Q(target_date__isnull=True)
                | Q(target_date__gte=F("baseline_date")),
                name="indicator_target_after_baseline",
            ),
            # People reached are added up across indicators: one per group, or a person
            # counted by two indicators of the group would count twice.
            models.UniqueConstraint(
                fields=["beneficiary_group"],
                condition=Q(counts_people_reached=True),
                name="indicator_one_reach_per_group",
            ),
            models.CheckConstraint(
                condition=Q(counts_people_reached=False) | Q(measure="count"),
                name="indicator_reach_is_a_count",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.translated('name')}"

    @property
    def has_figure_target(self) -> bool:
        """Whether a figure is set to measure progress against, so that "at least", "at most"
        or "between" means something (a milestone is done or not; a narrative has none)."""
        if self.measure in (self.Measure.MILESTONE, self.Measure.QUALITATIVE):
            return False
        if self.target_kind == self.TargetKind.RANGE:
            return self.target_min is not None
        return self.target_value is not None


class IndicatorDimension(models.Model):
    """A dimension an indicator is disaggregated by."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="indicator_dimensions",
    )
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.PROTECT, related_name="+"
    )
    exhaustive = models.BooleanField(
        _("categories are exhaustive"),
        default=False,
        help_text=_(
            "Every unit falls in exactly one category, so the total is the sum of the parts."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "dimension__name"]
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dimension"], name="indicator_dimension_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} × {self.dimension}"


class CategoryTarget(models.Model):
    """A target for one category: an absolute value (550 women) or a share of the total (60 %).

    The category must belong to a dimension the indicator uses; a database trigger refuses
    anything else (migration 0003).
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="category_targets",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_share = models.DecimalField(
        _("target share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("As a fraction of the total: 0.6 for 60 %."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "category__dimension__name", "category__order"]
        verbose_name = _("category target")
        verbose_name_plural = _("category targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "category"], name="category_target_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_value__isnull=False, target_share__isnull=True, target_value__gte=0)
                    | Q(
                        target_value__isnull=True,
                        target_share__isnull=False,
                        target_share__gte=0,
                        target_share__lte=1,
                    )
                ),
                name="category_target_value_or_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.category}"


class Period(models.Model):
    """A reporting period of a project. Locked once reported to a funder."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="periods"
    )
    name = models.CharField(_("name"), max_length=64)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = person_field(_("locked by"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "start"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_end_after_start"),
            models.UniqueConstraint(fields=["project", "start"], name="period_unique_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class PeriodTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="period_targets",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="targets"
    )
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__start"]
        verbose_name = _("period target")
        verbose_name_plural = _("period targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="period_target_unique"),
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="period_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period}"


class ProgressUpdate(models.Model):
    """What was achieved on an indicator as of a date, with its review status."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    # Reported figures outlive any attempt to delete what they belong to: an indicator, and so
    # its project, cannot be deleted while it has updates.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="updates"
    )
    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    as_of = models.DateField(_("as of"))
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For milestones: 1 when done, 0 when not yet."),
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=1000, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative figure"),
        default=False,
        help_text=_("Demo data: not a real report."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    created_by = person_field(_("created by"), blank=True)
    figures_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("figures last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who last changed the figures: they may not approve them."),
    )
    submitted_by = person_field(_("submitted by"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = person_field(_("reviewed by"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    request_key = models.UUIDField(
        _("request key"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Sent with the report form, so that a form sent twice records one update."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "as_of", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [
            models.Index(fields=["indicator", "status", "as_of"]),
            # What a recompute reads, in index order and without visiting the table
            # (PostgreSQL; other databases use the index above).
            models.Index(
                fields=["indicator", "as_of"],
                include=[
                    "id",
                    "organisation",
                    "value",
                    "numerator",
                    "denominator",
                    "reviewed_at",
                    "submitted_at",
                ],
                condition=Q(status="approved"),
                name="update_approved_figures",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="update_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True, denominator__isnull=True)
                | Q(
                    numerator__isnull=False,
                    denominator__isnull=False,
                    numerator__gte=0,
                    denominator__gt=0,
                    numerator__lte=F("denominator"),
                ),
                name="update_fraction_within_denominator",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="update_version_positive"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reviewed_at__isnull=False),
                name="update_approved_has_review_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} as of {self.as_of}"


class UpdateValue(models.Model):
    """The part of an update that falls in one category.

    The category must belong to a dimension the update's indicator uses; a database trigger
    refuses anything else (migration 0003).
    """

    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("update"), on_delete=models.CASCADE, related_name="values"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        ordering = ["update", "category__dimension__name", "category__order"]
        verbose_name = _("value per category")
        verbose_name_plural = _("values per category")
        indexes = [
            # The values of many updates at once, without visiting the table (PostgreSQL).
            models.Index(fields=["update", "category"], include=["value"], name="update_value_read")
        ]
        constraints = [
            models.UniqueConstraint(fields=["update", "category"], name="update_value_unique"),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="update_value_part_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.value}"
