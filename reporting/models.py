"""A project's budget as its lines, one year each: what a line pays for, who funds it and how
much, in the line's own currency; and its period reports, with the money spent on each line.
Amounts are never converted: every total is per currency."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import person_field
from core.translations import Translated
from indicators.models import Period, ProgressUpdate
from partners.models import Organisation
from projects.models import Funding, Project

from .prompts import PROMPTS


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

    @property
    def awaits_funder(self) -> bool:
        """Whether its funder has yet to confirm its part (read with
        `reporting.selectors.standing_funding`, which leaves such a funding out)."""
        return self.funding_id is not None and self.funding is None


class ReportPrompt(Translated):
    """A question an organisation's period reports answer, in place of the portal's four. A
    report keeps its answers by the prompt's key, so a prompt is retired, never deleted."""

    translated_fields = ("text",)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="report_prompts",
    )
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    language = models.CharField(_("language"), max_length=8, default="en")  # that of `text`
    order = models.PositiveIntegerField(_("order"), default=0)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["organisation", "order", "pk"]
        verbose_name = _("report prompt")
        verbose_name_plural = _("report prompts")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="report_prompt_key_once")
        ]

    def __str__(self) -> str:
        return self.text


class PeriodReport(models.Model):
    """What an organisation tells about a project's reporting period: its answers to the
    report's prompts, the final beneficiaries by sex, and the money spent by budget line. It
    goes through the same review as progress updates; funders see it once approved."""

    # The same statuses as a progress update's: the same review.
    Status = ProgressUpdate.Status

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="period_reports"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reports"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="period_reports",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # {prompt key: answer}: a retired prompt's key stays with the reports that answered it.
    sections = models.JSONField(_("sections"), default=dict, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    created_by = person_field(_("written by"))
    changed_by = person_field(_("last changed by"), blank=True)
    submitted_by = person_field(_("submitted by"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = person_field(_("reviewed by"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period__start", "organisation__name"]
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="period_report_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.organisation}"

    def keyed_answers(self) -> list[tuple[str, str, str]]:
        """(key, question in the reader's language, answer), in the order of the prompts: the
        organisation's own (prefetch `organisation__report_prompts` when listing reports), then
        the portal's."""
        own = self.organisation.report_prompts.all()
        questions = {prompt.key: prompt.translated("text") for prompt in own}
        for key, prompt in PROMPTS.items():
            questions.setdefault(key, str(prompt))
        ordered = [key for key in questions if self.sections.get(key)]
        ordered += sorted(key for key in self.sections if key not in questions)
        return [(key, questions.get(key, key), self.sections[key]) for key in ordered]

    def answers(self) -> list[tuple[str, str]]:
        """(question, answer) pairs, as keyed_answers orders them."""
        return [(question, text) for _key, question, text in self.keyed_answers()]


class Expenditure(models.Model):
    """Money spent in the report's period on one budget line, in the line's currency."""

    report = models.ForeignKey(
        PeriodReport,
        verbose_name=_("period report"),
        on_delete=models.CASCADE,
        related_name="expenditures",
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.PROTECT,
        related_name="expenditures",
    )
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    evidence_url = models.URLField(_("evidence"), max_length=1000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "line__year", "line__name"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expenditure_not_negative"),
            models.UniqueConstraint(fields=["report", "line"], name="expenditure_once_per_line"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount} {self.line.currency}"


class ReportFile(models.Model):
    """A photo or document attached to a period report: read by whoever may read the report,
    added or removed only while the report may change."""

    PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")

    report = models.ForeignKey(
        PeriodReport,
        verbose_name=_("period report"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to="report-files/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)  # as uploaded: the stored one is unique
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = person_field(_("added by"))
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self) -> str:
        return self.name

    @property
    def is_photo(self) -> bool:
        return self.name.lower().endswith(self.PHOTO_SUFFIXES)
