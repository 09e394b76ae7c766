"""Forms that define indicators, their disaggregation, targets and periods."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.forms import (
    CurrencyField,
    TranslatedForm,
    WrittenDecimalField,
    date_field,
    translation_languages,
)
from partners.models import Organisation
from projects.models import Project

from .forms import quantity_field
from .models import Category, Dimension, Indicator, IndicatorDimension, Period
from .selectors import dimensions_for
from .services.setup import MEANING_FIELDS

NOT_USED, USED, EXHAUSTIVE = "", "used", "exhaustive"
USE_CHOICES = [
    (NOT_USED, _("Not used")),
    (USED, _("Used: some may fall in no category, or in several")),
    (EXHAUSTIVE, _("Used: everyone falls in exactly one category")),
]


class IndicatorForm(TranslatedForm):
    translated_model = Indicator

    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("e.g. 1.1.a"))
    name = forms.CharField(
        label=_("Name"),
        max_length=500,
        help_text=_("What is counted, e.g. Women trained in a trade."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Result it measures"),
        queryset=None,
        required=False,
        empty_label=_("The project as a whole"),
    )
    beneficiary_group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Beneficiary group"), queryset=None, required=False, empty_label=_("None")
    )
    counts_people_reached = forms.BooleanField(
        label=_("Counts the people this group reaches"),
        required=False,
        help_text=_(
            "Tick it for the one indicator of the group that counts each person reached once: "
            "funders' dashboards add these up as people reached."
        ),
    )
    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=Indicator.Measure.choices,
        help_text=_(
            "A percentage is reported as a numerator and a denominator; a milestone is done or not."
        ),
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=64, required=False, help_text=_("people, m², plans…")
    )
    whole_numbers = forms.BooleanField(
        label=_("Whole numbers only"),
        required=False,
        initial=True,
        help_text=_(
            "For counts of people or things (and a percentage's numerator and denominator): "
            "2.5 people is refused."
        ),
    )
    currency = CurrencyField(label=_("Currency (amounts of money)"), required=False, blank=True)
    aggregation = forms.ChoiceField(
        label=_("How updates combine"),
        choices=Indicator.Aggregation.choices,
        help_text=_(
            "Sum: each update adds new people or things. "
            "Latest: each update gives the situation as of its date."
        ),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    baseline_value = quantity_field(_("Baseline"))
    baseline_date = date_field(_("Baseline date"), required=False)
    target_kind = forms.ChoiceField(label=_("Target"), choices=Indicator.TargetKind.choices)
    target_value = quantity_field(
        _("Target value"), help_text=_("Leave empty to add up the targets of its categories.")
    )
    target_min = quantity_field(_("Range: from"))
    target_max = quantity_field(_("Range: to"))
    target_date = date_field(
        _("Target date"), required=False, help_text=_("Defaults to the project's end.")
    )
    default_denominator = quantity_field(_("Usual denominator (percentages)"))

    def __init__(self, *args: Any, project: Project, fixed: bool = False, **kwargs: Any) -> None:
        """`fixed`: progress has been approved, so what gives the figures their meaning is
        shown but cannot be changed (the service refuses it too)."""
        super().__init__(*args, original=project.language, **kwargs)
        self.fields["result"].queryset = project.results.order_by("order")  # type: ignore[attr-defined]
        self.fields["beneficiary_group"].queryset = project.beneficiary_groups.all()  # type: ignore[attr-defined]
        self.fields["currency"].keep(self.initial.get("currency"))  # type: ignore[attr-defined]
        self.dimensions = list(
            dimensions_for(project).prefetch_related("categories").order_by("name")
        )
        for dimension in self.dimensions:
            categories = ", ".join(c.translated("name") for c in dimension.categories.all())
            self.fields[f"dimension_{dimension.pk}"] = forms.ChoiceField(
                label=dimension.translated("name"),
                choices=USE_CHOICES,
                required=False,
                help_text=categories,
            )
        if fixed:
            used = [name for name, value in self.initial.items() if name.startswith("dimension_")]
            for name in [*MEANING_FIELDS, *used]:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: progress has been approved in these terms.")

    def dimension_fields(self) -> list[forms.BoundField]:
        return [self[f"dimension_{dimension.pk}"] for dimension in self.dimensions]

    def definition_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("dimension_")]

    def dimension_uses(self) -> list[tuple[Dimension, bool]]:
        uses = []
        for dimension in self.dimensions:
            use = self.cleaned_data.get(f"dimension_{dimension.pk}")
            if use in (USED, EXHAUSTIVE):
                uses.append((dimension, use == EXHAUSTIVE))
        return uses


def initial_for(indicator: Indicator) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(indicator, name)
        for name in (
            "code",
            "name",
            "description",
            "measure",
            "unit",
            "currency",
            "aggregation",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_kind",
            "target_value",
            "target_min",
            "target_max",
            "target_date",
            "default_denominator",
            "whole_numbers",
            "counts_people_reached",
        )
    }
    initial["result"] = indicator.result_id
    initial["beneficiary_group"] = indicator.beneficiary_group_id
    for use in indicator.indicator_dimensions.all():
        initial[f"dimension_{use.dimension_id}"] = EXHAUSTIVE if use.exhaustive else USED
    return initial


class TargetsForm(forms.Form):
    """A value or a share for each category of the dimensions used, and a target per period."""

    def __init__(
        self, *args: Any, indicator: Indicator, periods: list[Period], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[IndicatorDimension, list[tuple[Category, str, str]]]] = []
        existing = {t.category_id: t for t in indicator.category_targets.all()}
        uses = indicator.indicator_dimensions.select_related("dimension").prefetch_related(
            "dimension__categories"
        )
        for use in uses:
            rows = []
            for category in use.dimension.categories.all():
                value_name, share_name = f"value_{category.pk}", f"share_{category.pk}"
                target = existing.get(category.pk)
                self.fields[value_name] = quantity_field(category.translated("name"))
                self.fields[share_name] = WrittenDecimalField(
                    label=_("%(category)s, share (%%)") % {"category": category.translated("name")},
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    decimal_places=2,
                    widget=forms.NumberInput(
                        attrs={"inputmode": "decimal", "step": "any", "min": "0", "max": "100"}
                    ),
                )
                if target is not None:
                    self.initial[value_name] = target.target_value
                    self.initial[share_name] = (
                        None
                        if target.target_share is None
                        else (target.target_share * 100).normalize()
                    )
                rows.append((category, value_name, share_name))
            self.groups.append((use, rows))
        period_targets = {t.period_id: t.target_value for t in indicator.period_targets.all()}
        self.periods = []
        for period in periods:
            name = f"period_{period.pk}"
            self.fields[name] = quantity_field(period.name)
            self.initial[name] = period_targets.get(period.pk)
            self.periods.append((period, name))

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for _use, rows in self.groups:
            for _category, value_name, share_name in rows:
                if cleaned.get(value_name) is not None and cleaned.get(share_name) is not None:
                    self.add_error(share_name, _("Give either a value or a share, not both."))
        return cleaned

    def bound_groups(
        self,
    ) -> list[tuple[IndicatorDimension, list[tuple[Category, forms.BoundField, forms.BoundField]]]]:
        return [(use, [(c, self[v], self[s]) for c, v, s in rows]) for use, rows in self.groups]

    def bound_periods(self) -> list[tuple[Period, forms.BoundField]]:
        return [(period, self[name]) for period, name in self.periods]


class DimensionForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("For the projects of"),
        queryset=Organisation.objects.none(),
        help_text=_("Its managers translate it; other organisations do not see it."),
    )
    name = forms.CharField(label=_("Name"), max_length=255, help_text=_("e.g. Place of residence"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Dimension.Kind.choices)
    categories = forms.CharField(
        label=_("Categories, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("e.g. La Ensenada, then Elsewhere"),
    )

    def __init__(
        self, *args: Any, owners: "QuerySet[Organisation]", shared: bool = False, **kwargs: Any
    ) -> None:
        """The name and categories are written in the language the page is in; each other
        language gets the same two fields, optional. `owners`: the organisations the person
        manages; `shared`: an operator may make a dimension for every organisation."""
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners.order_by("name")
        if shared:
            owner.required = False
            owner.empty_label = _("— shared by every organisation —")
        elif len(owner.queryset) == 1:
            # One organisation to choose: it is the owner, said on the page, not asked.
            owner.initial = owner.queryset[0].pk
            owner.required = False
            self.only_owner: Organisation | None = owner.queryset[0]
        self.translate_into = translation_languages(get_language())
        add_dimension_translation_fields(self, self.translate_into)

    def clean_owner(self) -> Organisation | None:
        return self.cleaned_data.get("owner") or getattr(self, "only_owner", None)

    def translations(self) -> dict[str, tuple[str, list[str]]]:
        """Per language, the dimension's name and its categories' names, where given."""
        return dimension_translations_given(self, self.translate_into)


def add_dimension_translation_fields(form: forms.Form, languages: Iterable[str]) -> None:
    for language in languages:
        name_local = get_language_info(language)["name_local"]
        form.fields[f"name_{language}"] = forms.CharField(
            label=format_lazy("{} ({})", _("Name"), name_local),
            max_length=255,
            required=False,
            widget=forms.TextInput(attrs={"lang": language}),
        )
        form.fields[f"categories_{language}"] = forms.CharField(
            label=format_lazy("{} ({})", _("Categories, one per line"), name_local),
            required=False,
            widget=forms.Textarea(attrs={"rows": 4, "lang": language}),
            help_text=_("As many as above, in the same order."),
        )


def dimension_translations_given(
    form: forms.Form, languages: Iterable[str]
) -> dict[str, tuple[str, list[str]]]:
    given = {}
    for language in languages:
        name = form.cleaned_data.get(f"name_{language}") or ""
        categories = (form.cleaned_data.get(f"categories_{language}") or "").splitlines()
        if name.strip() or any(line.strip() for line in categories):
            given[language] = (name, categories)
    return given


class DimensionTranslationForm(forms.Form):
    """The translations of an existing dimension, in every language, filled with those it has."""

    def __init__(self, *args: Any, dimension: Dimension, **kwargs: Any) -> None:
        self.languages = translation_languages()
        categories = list(dimension.categories.order_by("order", "pk"))
        initial = {}
        for language in self.languages:
            initial[f"name_{language}"] = dimension.translations.get(language, {}).get("name", "")
            lines = [c.translations.get(language, {}).get("name", "") for c in categories]
            initial[f"categories_{language}"] = "\n".join(lines) if any(lines) else ""
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        add_dimension_translation_fields(self, self.languages)

    def translations(self) -> dict[str, tuple[str, list[str]]]:
        return dimension_translations_given(self, self.languages)


class PeriodForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64, help_text=_("e.g. First half 2025"))
    start = date_field(_("Start"))
    end = date_field(_("End"))
