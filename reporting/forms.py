from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CurrencyField
from projects.forms import money_field
from projects.models import Funding, Project


class FundingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        funding: Funding = obj
        return " · ".join(filter(None, [funding.funder.name, funding.instrument, funding.currency]))


class BudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    name = forms.CharField(label=_("Budget line"), max_length=200)
    funding = FundingChoice(
        label=_("Funded by"),
        queryset=Funding.objects.none(),
        required=False,
        empty_label=_("Own funds, or a funder not recorded"),
    )
    amount = money_field(_("Amount"), required=True)
    currency = CurrencyField(label=_("Currency"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"currency": project.currency})
        super().__init__(*args, **kwargs)
        years = range(project.start_date.year, project.end_date.year + 1)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(year, str(year)) for year in years]
        funding_field = self.fields["funding"]
        assert isinstance(funding_field, forms.ModelChoiceField)
        funding_field.queryset = Funding.objects.filter(project=project).select_related("funder")
