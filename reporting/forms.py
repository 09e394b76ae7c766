from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import CurrencyField
from indicators.services.evidence import SIGNATURES
from partners.models import Organisation
from projects.forms import money_field
from projects.models import Funding, Project

from .models import BudgetLine, PeriodReport, ReportPrompt


class FundingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        funding: Funding = obj
        return " · ".join(filter(None, [funding.funder.name, funding.instrument, funding.currency]))


class BudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Budget line"), max_length=200)
    funding = FundingChoice(
        label=gettext_lazy("Funded by"),
        queryset=Funding.objects.none(),
        required=False,
        empty_label=gettext_lazy("Own funds, or a funder not recorded"),
    )
    amount = money_field(gettext_lazy("Amount"), required=True)
    currency = CurrencyField(label=gettext_lazy("Currency"))

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


class ReportForm(forms.Form):
    """A period report: an answer to each prompt, the final beneficiaries by sex, and what was
    spent on each budget line of the period's years, with its evidence."""

    organisation = forms.TypedChoiceField(label=gettext_lazy("Reported by"), coerce=int)
    women = forms.IntegerField(
        label=gettext_lazy("Final beneficiaries: women"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
    )
    men = forms.IntegerField(
        label=gettext_lazy("Final beneficiaries: men"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Organisation],
        prompts: list[tuple[str, str]],
        lines: list[BudgetLine],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.TypedChoiceField)
        organisation.choices = [(o.pk, o.name) for o in organisations]
        self.keys = [key for key, _question in prompts]
        for key, question in prompts:
            self.fields[f"section_{key}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
        self.lines = lines
        for line in lines:
            funder = (
                line.funding.funder.name
                if line.funding
                else _("a funder yet to confirm its part")
                if line.awaits_funder
                else _("own funds")
            )
            self.fields[f"spent_{line.pk}"] = money_field(
                _("Spent on %(line)s (%(year)s, %(funder)s), in %(currency)s")
                % {
                    "line": line.name,
                    "year": line.year,
                    "funder": funder,
                    "currency": line.currency,
                }
            )
            self.fields[f"evidence_{line.pk}"] = forms.URLField(
                label=_("Evidence of it (a link)"),
                required=False,
                max_length=1000,
                assume_scheme="https",
            )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}") or "" for key in self.keys}

    def spending(self) -> list[tuple[BudgetLine, Any, str]]:
        """(line, amount, evidence) for each line with an amount."""
        return [
            (
                line,
                self.cleaned_data[f"spent_{line.pk}"],
                self.cleaned_data.get(f"evidence_{line.pk}") or "",
            )
            for line in self.lines
            if self.cleaned_data.get(f"spent_{line.pk}") is not None
        ]

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"section_{key}"] for key in self.keys]

    def line_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"spent_{line.pk}"], self[f"evidence_{line.pk}"]) for line in self.lines]


def report_initial(report: PeriodReport) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "organisation": report.organisation_id,
        "women": report.women,
        "men": report.men,
    }
    for key, text in report.sections.items():
        initial[f"section_{key}"] = text
    for spent in report.expenditures.all():
        initial[f"spent_{spent.line_id}"] = spent.amount
        initial[f"evidence_{spent.line_id}"] = spent.evidence_url
    return initial


class PromptForm(forms.Form):
    """One prompt, in the portal's languages; retiring keeps it for the reports that answered
    it."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    text_en = forms.CharField(label=gettext_lazy("In English"), required=False, max_length=300)
    text_es = forms.CharField(label=gettext_lazy("In Spanish"), required=False, max_length=300)
    text_fr = forms.CharField(label=gettext_lazy("In French"), required=False, max_length=300)
    retired = forms.BooleanField(
        label=gettext_lazy("Retire it: new reports no longer answer it"), required=False
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("key") and not any(
            data.get(f"text_{lang}") for lang in ("en", "es", "fr")
        )


PromptFormSet = forms.formset_factory(PromptForm, extra=2, max_num=30)


def prompt_initial(prompt: ReportPrompt) -> dict[str, Any]:
    texts = {f"text_{lang}": text for lang, text in prompt.translations_of("text").items()}
    texts[f"text_{prompt.language}"] = prompt.text
    return {"key": prompt.key, **texts, "retired": prompt.retired_at is not None}


class ReportFileForm(forms.Form):
    # The types the service accepts, offered first by the browser's file picker.
    accept = ",".join(sorted(SIGNATURES))
    file = forms.FileField(
        label=gettext_lazy("Photo or document"),
        help_text=gettext_lazy("PDF, image, office document, CSV or text; at most 5 MB."),
    )
    caption = forms.CharField(label=gettext_lazy("Caption"), max_length=300, required=False)
