"""The progress update form, generated from the indicator it reports on.

Fields parse and bound what people type; every rule about the figures lives in the services,
whose errors are attached back to these fields.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import WrittenDecimalField
from partners.models import Organisation

from . import progress
from .models import Category, Indicator, IndicatorDimension, Period, ProgressUpdate
from .selectors import Due
from .services import Figures
from .services.checks import MAX_TEXT_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_QUANTITY = Decimal("9999999999999999")  # 16 digits before the point, as the database keeps


def quantity_field(label: "str | StrPromise", **kwargs: Any) -> WrittenDecimalField:
    return WrittenDecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=MAX_QUANTITY,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
        **kwargs,
    )


@dataclass(frozen=True)
class DimensionFields:
    """The fields of one dimension, for the template to group in a fieldset."""

    link: IndicatorDimension
    names: list[str]


class UpdateForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Reporting period"),
        queryset=Period.objects.none(),
        required=False,
        help_text=_("The period these figures belong to."),
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        # Date inputs speak ISO whatever the language; a browser without them shows a text box,
        # where people in Peru type day/month/year.
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the figures describe."),
        error_messages={"invalid": _("This date does not exist: write it as 2026-06-30.")},
    )
    value = quantity_field(_("Total"))
    numerator = quantity_field(_("Numerator"))
    denominator = quantity_field(_("Denominator"))
    done = forms.TypedChoiceField(
        label=_("Milestone"),
        choices=[("1", _("Done")), ("0", _("Not done yet"))],
        coerce=Decimal,
        widget=forms.RadioSelect,
        required=False,
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=1000, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image, office document, CSV or text; at most 5 MB."),
    )
    remove_evidence_file = forms.BooleanField(label=_("Remove the stored file"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Reported for"), queryset=Organisation.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new key with each blank form: the same form sent twice records one update.
    request_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        links: list[IndicatorDimension],
        categories: dict[int, list[Category]],
        organisations: list[Organisation],
        periods: list[Period],
        due: Sequence[Due] = (),
        update: ProgressUpdate | None = None,
        **kwargs: Any,
    ):
        self.indicator = indicator
        self.update = update
        # Overdue periods first and marked, then the one due now, then the others, newest first.
        overdue = {d.period.pk for d in due if d.overdue}
        first = [d.period for d in due]
        ordered = first + sorted(
            (p for p in periods if p not in first), key=lambda p: p.start, reverse=True
        )
        if update is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(update)
        elif update is None and "initial" not in kwargs:
            project = indicator.project
            if ordered:
                # The period leads; the date follows from it unless the editor sets one.
                kwargs["initial"] = {"period": ordered[0].pk}
            else:
                kwargs["initial"] = {
                    "as_of": min(max(timezone.localdate(), project.start_date), project.end_date)
                }
        super().__init__(*args, **kwargs)
        measure = indicator.measure
        if measure != Indicator.Measure.PERCENTAGE:
            del self.fields["numerator"], self.fields["denominator"]
        elif indicator.default_denominator is not None and not self.initial.get("denominator"):
            self.initial["denominator"] = indicator.default_denominator.normalize()
        if measure != Indicator.Measure.MILESTONE:
            del self.fields["done"]
        if measure in (Indicator.Measure.MILESTONE, Indicator.Measure.QUALITATIVE) or (
            measure == Indicator.Measure.PERCENTAGE
            and indicator.aggregation == Indicator.Aggregation.SUM
        ):
            del self.fields["value"]
        elif measure == Indicator.Measure.PERCENTAGE:
            self.fields["value"].label = _("Percentage reached")
            self.fields["value"].help_text = _("Or give the numerator and denominator.")
        if update is None or not update.evidence_file:
            del self.fields["remove_evidence_file"]
        if len(organisations) > 1:
            organisation_field = self.fields["organisation"]
            assert isinstance(organisation_field, forms.ModelChoiceField)
            organisation_field.queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            )
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]
        self.default_organisation = organisations[0] if len(organisations) == 1 else None
        period_field = self.fields["period"]
        assert isinstance(period_field, forms.ModelChoiceField)
        period_field.queryset = Period.objects.filter(pk__in=[p.pk for p in ordered])
        period_field.choices = [("", "—")] + [
            (p.pk, _period_label(p, overdue=p.pk in overdue)) for p in ordered
        ]
        if ordered:
            self.fields["as_of"].label = _("As of (optional)")
            self.fields["as_of"].help_text = _(
                "Leave empty to report as of the period's end, or today while it runs. A date "
                "you give must fall inside the period."
            )
        self.dimensions: list[DimensionFields] = []
        if "value" in self.fields or measure == Indicator.Measure.PERCENTAGE:
            for link in links:
                names = []
                for category in categories.get(link.dimension_id, []):
                    name = f"part_{category.pk}"
                    self.fields[name] = quantity_field(category.translated("name"))
                    self.fields[name].category = category  # type: ignore[attr-defined]
                    names.append(name)
                self.dimensions.append(DimensionFields(link=link, names=names))
        # Whole counts get a keypad without a decimal point on phones.
        whole = progress.takes_whole_numbers(measure, indicator.whole_numbers)
        for name, field in self.fields.items():
            kind = "parts" if name.startswith("part_") else name
            if kind in whole:
                field.widget.attrs.update({"inputmode": "numeric", "step": "1"})

    @staticmethod
    def initial_from(update: ProgressUpdate) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "period": update.period_id,
            "as_of": update.as_of,
            "value": update.value.normalize() if update.value is not None else None,
            "numerator": update.numerator.normalize() if update.numerator is not None else None,
            "denominator": update.denominator.normalize()
            if update.denominator is not None
            else None,
            "done": str(int(update.value)) if update.value is not None else None,
            "narrative": update.narrative,
            "evidence_url": update.evidence_url,
            "organisation": update.organisation_id,
            "version": update.version,
        }
        for part in update.values.all():
            initial[f"part_{part.category_id}"] = part.value.normalize()
        return initial

    @property
    def exhaustive_dimensions(self) -> list[DimensionFields]:
        return [d for d in self.dimensions if d.link.exhaustive]

    def figures(self) -> Figures:
        """The figures typed, as far as they could be read: a form with field errors still
        passes what parsed to the services, so that every problem is shown at once."""
        data = self.cleaned_data
        parts = {
            self.fields[name].category: data[name]  # type: ignore[attr-defined]
            for dimension in self.dimensions
            for name in dimension.names
            if data.get(name) is not None
        }
        value = data.get("value")
        if "done" in self.fields:
            value = data.get("done") if data.get("done") not in (None, "") else None
        return Figures(
            as_of=data.get("as_of"),
            period=data.get("period"),
            value=value,
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            parts=parts,
            narrative=data.get("narrative", ""),
            evidence_url=data.get("evidence_url", ""),
        )

    def chosen_organisation(self) -> Organisation | None:
        return self.cleaned_data.get("organisation") or self.default_organisation

    def attach(self, error: ValidationError) -> None:
        """Put a service's refusal on the fields it concerns, or above the form; a field that
        already failed its own check keeps that message alone."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.error_dict.items():
            target = field if field in self.fields else None
            if field == "value" and "done" in self.fields:
                target = "done"
            if target is not None and target in self.errors:
                continue
            for message in messages:
                self.add_error(target, message)


def _period_label(period: Period, *, overdue: bool) -> str:
    dates = f"{date_format(period.start, 'j M Y')} – {date_format(period.end, 'j M Y')}"
    if overdue:
        return _("%(name)s (%(dates)s) · overdue") % {"name": period.name, "dates": dates}
    return f"{period.name} ({dates})"


class NoteForm(forms.Form):
    """The reviewer's note when returning, or the reason when reopening."""

    note = forms.CharField(
        label=_("Note"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
