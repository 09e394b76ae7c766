from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import (
    CurrencyField,
    SpreadsheetField,
    TranslatedForm,
    WrittenDecimalField,
    date_field,
)
from partners.models import Organisation

from .models import BeneficiaryGroup, Location, Partnership, Project, Result
from .selectors import location_choices

MAX_MONEY = Decimal("99999999999999")


def money_field(label: Any, required: bool = False) -> WrittenDecimalField:
    return WrittenDecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )


def share_field(label: Any) -> WrittenDecimalField:
    """A share typed as a percentage, 0 to 100."""
    return WrittenDecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )


class ProjectForm(TranslatedForm):
    translated_model = Project

    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Short and unique: letters, digits and hyphens, e.g. mam-women-2025."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    language = forms.ChoiceField(
        label=_("Language of the texts"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=_("The title and summary above are written in it; below, other languages."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices, initial="active")
    planned_start = date_field(_("Planned start"))
    planned_end = date_field(_("Planned end"))
    actual_start = date_field(
        _("Actual start"),
        required=False,
        help_text=_("The day it began: needed once the status says it has begun."),
    )
    actual_end = date_field(
        _("Actual end"),
        required=False,
        help_text=_("The day it ended: needed once it is closed."),
    )
    budget = money_field(_("Total budget"))
    currency = CurrencyField(label=_("Currency"), initial="PEN")
    locations = forms.TypedMultipleChoiceField(
        label=_("Places"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sectors = forms.CharField(
        label=_("DAC sectors"),
        max_length=200,
        required=False,
        help_text=_("OECD DAC 5-digit purpose codes, separated by commas: 15170, 43030."),
    )
    is_public = forms.BooleanField(
        label=_("Public: anyone may see its approved results"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["locations"].choices = location_choices()  # type: ignore[attr-defined]
        self.fields["currency"].keep(self.initial.get("currency"))  # type: ignore[attr-defined]

    def clean_language(self) -> str:
        # Left out, the project keeps the language it has (or the portal's, when new).
        return (
            self.cleaned_data["language"] or self.initial.get("language") or settings.LANGUAGE_CODE
        )


class NewProjectForm(ProjectForm):
    implementer = forms.ModelChoiceField(
        label=_("Implemented by"), queryset=Organisation.objects.none(), empty_label=None
    )
    field_order = ["implementer"]

    def __init__(self, *args: Any, implementers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["implementer"].queryset = implementers  # type: ignore[attr-defined]


class OrganisationChoice(forms.Form):
    """Choose an organisation of the portal, or name a new one."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("— a new organisation —"),
    )
    new_name = forms.CharField(
        label=_("…or the name of one not yet in the portal"), max_length=255, required=False
    )

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not cleaned.get("organisation") and not cleaned.get("new_name", "").strip():
            self.add_error("organisation", _("Choose an organisation or give a new one's name."))
        return cleaned


class FundingForm(OrganisationChoice):
    amount = money_field(_("Amount"))
    currency = CurrencyField(label=_("Currency"))
    date = date_field(_("Date"), required=False)
    instrument = forms.CharField(label=_("Fund or instrument"), max_length=255, required=False)


class PartnerForm(OrganisationChoice):
    role = forms.TypedChoiceField(
        label=_("Role"),
        coerce=int,
        choices=Partnership.Role.choices,
        initial=Partnership.Role.IMPLEMENTING,
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class GroupForm(TranslatedForm):
    translated_model = BeneficiaryGroup

    name = forms.CharField(label=_("Name"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    estimated_size = forms.IntegerField(
        label=_("Estimated size"), required=False, min_value=0, max_value=2_000_000_000
    )
    women_share = share_field(_("Women (%)"))
    minors_share = share_field(_("Minors (%)"))


class ResultForm(TranslatedForm):
    translated_model = Result

    level = forms.ChoiceField(label=_("Level"), choices=Result.Level.choices)
    parent = forms.ModelChoiceField(
        label=_("Contributes to"),
        queryset=Result.objects.none(),
        required=False,
        empty_label=_("Nothing above it"),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, original=project.language, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = project.results.exclude(level=Result.Level.OUTPUT).order_by("order")


class ResultEditForm(TranslatedForm):
    translated_model = Result

    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CopyForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the framework of"), queryset=Project.objects.none()
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = projects  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    spreadsheet = SpreadsheetField(label=_("Filled-in template (.xlsx)"))


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=Location.Kind.choices)
    parent = forms.TypedChoiceField(label=_("Within"), coerce=int, required=False, empty_value=None)
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        help_text=_("Decimal degrees, south negative: -12.06512. Leave empty if unknown."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        help_text=_("Decimal degrees, west negative: -77.03201."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.TypedChoiceField)
        parent.choices = [("", _("Nothing: it is a country")), *location_choices()]
