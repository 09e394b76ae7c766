"""A project's indicators and the libraries: link an indicator to a standard one, or create one
from it. The checks are the service's; the pages offer only what it would accept."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import save_with
from core.http import act
from indicators.forms import quantity_field
from indicators.models import Indicator
from indicators.selectors import indicator_for_setup
from partners.http import signed_in
from projects.models import Project, Result
from projects.selectors import project_for_setup

from . import services
from .models import Entry, Link
from .selectors import entries_for_project, linkable_entries


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.library.name} · {obj.code} · {obj.translated('name')}"


class LinkForm(forms.Form):
    entry = EntryChoiceField(label=gettext_lazy("Library indicator"), queryset=Entry.objects.none())

    def __init__(self, *args: Any, entries: list[Entry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entry"]
        assert isinstance(field, EntryChoiceField)
        field.queryset = Entry.objects.filter(
            pk__in=[entry.pk for entry in entries]
        ).select_related("library")


class FromEntryForm(forms.Form):
    entry = EntryChoiceField(label=gettext_lazy("Library indicator"), queryset=Entry.objects.none())
    code = forms.CharField(label=gettext_lazy("Code in the project"), max_length=32)
    result: "forms.ModelChoiceField[Result]" = forms.ModelChoiceField(
        label=gettext_lazy("Result"), queryset=Result.objects.none(), required=False
    )
    target_value = quantity_field(gettext_lazy("Target"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry = self.fields["entry"]
        result = self.fields["result"]
        assert isinstance(entry, EntryChoiceField)
        assert isinstance(result, forms.ModelChoiceField)
        entry.queryset = entries_for_project(project)
        result.queryset = project.results.all()


@login_required
def indicator_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    indicator = indicator_for_setup(user, pk)
    if request.method == "POST" and request.POST.get("action") == "unlink":
        act(
            request,
            lambda: services.unlink_indicator(indicator=indicator, by=user),
            _("The indicator is no longer linked to a library."),
        )
        return redirect("library-link", pk=indicator.pk)
    current = Link.objects.filter(indicator=indicator).select_related("entry__library").first()
    entries = [
        entry
        for entry in linkable_entries(indicator)
        if current is None or entry.pk != current.entry_id
    ]
    form = LinkForm(request.POST or None, entries=entries)

    def link(data: dict[str, Any]) -> Link:
        return services.link_indicator(indicator=indicator, entry=data["entry"], by=user)

    if request.method == "POST" and (linked := save_with(form, link)) is not None:
        messages.success(
            request,
            _("%(indicator)s counts as %(code)s of %(library)s.")
            % {
                "indicator": indicator.code,
                "code": linked.entry.code,
                "library": linked.entry.library.name,
            },
        )
        return redirect("library-link", pk=indicator.pk)
    return render(
        request,
        "libraries/link.html",
        {
            "indicator": indicator,
            "project": indicator.project,
            "current": current,
            "form": form,
            "entries": entries,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def from_library(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    project = project_for_setup(user, pk)
    form = FromEntryForm(request.POST or None, project=project)

    def create(data: dict[str, Any]) -> Indicator:
        return services.create_from_entry(
            project=project,
            entry=data["entry"],
            by=user,
            code=data["code"] or "",
            result=data["result"],
            target_value=data["target_value"],
        )

    if request.method == "POST" and (indicator := save_with(form, create)) is not None:
        messages.success(
            request,
            _("%(code)s is added, linked to the library.") % {"code": indicator.code},
        )
        return redirect("indicators:framework", pk=project.pk)
    return render(
        request,
        "libraries/from_library.html",
        {"project": project, "form": form},
        status=400 if request.method == "POST" else 200,
    )
