"""Editing a library in its page: its indicators as a form, saved as the library's next version
through the same checks as a loaded spreadsheet (every problem listed, nothing stored on
error); the version before stays for the indicators linked to it."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from indicators.models import Indicator
from partners.http import signed_in

from . import services, sheet
from .models import Entry, Library
from .selectors import library_for_page, may_load_library, usable_dimensions

LABELS = {field.key: field.label for field in sheet.FIELDS}
TEXTS = ("code", "name_en", "name_es", "name_fr", "unit", "methodology", "tags")


class EntryForm(forms.Form):
    """One indicator of the library. Every field is optional here: the service checks the row
    as it checks a spreadsheet's, and lists all its problems."""

    def __init__(self, *args: Any, dimensions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in TEXTS:
            self.fields[key] = forms.CharField(label=LABELS[key], required=False, strip=True)
        self.fields["measure"] = forms.ChoiceField(
            label=LABELS["measure"],
            choices=[("", "—"), *Indicator.Measure.choices],
            required=False,
        )
        self.fields["aggregation"] = forms.ChoiceField(
            label=LABELS["aggregation"],
            choices=Indicator.Aggregation.choices,
            required=False,
            initial=Indicator.Aggregation.SUM,
        )
        self.fields["disaggregations"] = forms.MultipleChoiceField(
            label=LABELS["disaggregations"],
            choices=dimensions,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(
            ["code", "name_en", "name_es", "name_fr", "measure", "unit", "aggregation"]
        )

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(key) for key in (*TEXTS, "measure"))

    def row(self) -> dict[str, str]:
        data = self.cleaned_data
        row = {key: data.get(key) or "" for key in (*TEXTS, "measure", "aggregation")}
        row["disaggregations"] = "; ".join(data.get("disaggregations") or [])
        return row


EntryFormSet = forms.formset_factory(EntryForm, extra=2, can_delete=True, max_num=sheet.MAX_ROWS)


def _initial(library: Library) -> list[dict[str, Any]]:
    rows = []
    for entry in library.entries.all():
        rows.append(
            {
                "code": entry.code,
                **{
                    f"name_{language}": _own_name(library, entry, language)
                    for language, _name in settings.LANGUAGES
                },
                "measure": entry.measure,
                "unit": entry.unit,
                "aggregation": entry.aggregation,
                "disaggregations": [dimension.slug for dimension in entry.dimensions.all()],
                "methodology": entry.methodology_url,
                "tags": entry.tags,
            }
        )
    return rows


def _own_name(library: Library, entry: Entry, language: str) -> str:
    """The name written in that language: the library's own, or its translation, never the
    fallback to another language that a reader would see."""
    if language == library.language:
        return entry.name
    return entry.translations_of("name").get(language, "")


@login_required
def edit_library(request: HttpRequest, pk: int) -> HttpResponse:
    library = library_for_page(request.user, pk)
    person = signed_in(request)
    if not may_load_library(person, library.organisation):
        raise PermissionDenied
    dimensions = [
        (dimension.slug, dimension.translated("name"))
        for dimension in usable_dimensions(library.organisation).order_by("name")
    ]
    formset = EntryFormSet(
        request.POST or None,
        initial=_initial(library),
        form_kwargs={"dimensions": dimensions},
        prefix="entries",
    )
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = [
            (number, form.row())
            for number, form in enumerate(formset.forms, start=1)
            if not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]
        try:
            newer = services.load_library(
                organisation=library.organisation,
                by=person,
                name=library.name,
                language=library.language,
                source=library.source,
                rows=rows,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("%(name)s version %(version)s is saved with %(count)s indicators.")
                % {"name": newer.name, "version": newer.version, "count": len(rows)},
            )
            return redirect("library", pk=newer.pk)
    return render(
        request,
        "libraries/edit.html",
        {"library": library, "formset": formset, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )
