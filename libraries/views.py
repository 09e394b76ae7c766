"""An organisation's indicator libraries: the list with its versions, loading a spreadsheet (in
two steps: the file, then which of its columns holds what), and each library's indicators."""

import io
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.forms import SpreadsheetField, attach
from core.workbooks import read_upload
from partners.http import signed_in
from partners.models import Organisation

from . import services, sheet
from .results_sheet import write_results
from .selectors import (
    libraries_of,
    library_for_page,
    library_results,
    may_load_library,
    organisation_with_libraries,
)

FOLDER = "library-uploads"
SESSION_KEY = "library_uploads"


class UploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the library"), max_length=200)
    language = forms.ChoiceField(
        label=gettext_lazy("Language the names are written in first"), choices=settings.LANGUAGES
    )
    source = forms.URLField(
        label=gettext_lazy("Where the list is published (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    spreadsheet = SpreadsheetField(label=gettext_lazy("List of indicators (.xlsx or .csv)"))


class ColumnsForm(forms.Form):
    """Which column of the file holds each field; the portal's own names are chosen already."""

    def __init__(
        self, names: list[str], guessed: dict[str, int], language: str, *args: Any, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.required_keys = ("code", f"name_{language}", "measure")
        choices = [("", _("— not in the file —"))] + [
            (str(position), name or _("column %(number)s") % {"number": position + 1})
            for position, name in enumerate(names)
        ]
        for field in sheet.FIELDS:
            self.fields[field.key] = forms.ChoiceField(
                label=field.label,
                help_text=field.help,
                choices=choices,
                required=False,
                initial=str(guessed[field.key]) if field.key in guessed else "",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: dict[str, str] = {}
        for field in sheet.FIELDS:
            position = cleaned.get(field.key)
            if not position:
                continue
            if position in chosen:
                self.add_error(
                    field.key,
                    _("This column is chosen for %(other)s already.")
                    % {"other": self.fields[chosen[position]].label},
                )
            chosen[position] = field.key
        for key in self.required_keys:
            if key in self.fields and not cleaned.get(key):
                self.add_error(key, _("Choose the column that holds it."))
        return cleaned

    def columns(self) -> dict[str, int]:
        return {key: int(position) for key, position in self.cleaned_data.items() if position}


def _loading(request: HttpRequest, organisation: Organisation) -> None:
    if not may_load_library(signed_in(request), organisation):
        raise PermissionDenied


@login_required
def libraries_page(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_with_libraries(request.user, pk)
    may_load = may_load_library(signed_in(request), organisation)
    form = UploadForm(
        request.POST or None, request.FILES or None, initial={"language": get_language()}
    )
    if request.method == "POST":
        _loading(request, organisation)
        if form.is_valid():
            try:
                content = read_upload(form.cleaned_data["spreadsheet"])
                sheet.header(content)
            except ValidationError as error:
                attach(form, ValidationError({"spreadsheet": error.messages}))
            else:
                token = uuid.uuid4().hex
                stored = default_storage.save(f"{FOLDER}/{token}", ContentFile(content))
                pending = request.session.get(SESSION_KEY, {})
                pending[token] = {
                    "path": stored,
                    "organisation": organisation.pk,
                    "name": form.cleaned_data["name"],
                    "language": form.cleaned_data["language"],
                    "source": form.cleaned_data["source"],
                }
                request.session[SESSION_KEY] = pending
                return redirect("library-columns", pk=organisation.pk, token=token)
    return render(
        request,
        "libraries/list.html",
        {
            "organisation": organisation,
            "libraries": libraries_of(organisation),
            "may_load": may_load,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def columns_page(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    organisation = organisation_with_libraries(request.user, pk)
    _loading(request, organisation)
    job = request.session.get(SESSION_KEY, {}).get(token)
    if job is None or job["organisation"] != organisation.pk:
        messages.error(request, _("This upload has expired or was used: load the file again."))
        return redirect("libraries", pk=organisation.pk)
    with default_storage.open(job["path"], "rb") as stream:
        content = stream.read()
    names = sheet.header(content)
    form = ColumnsForm(names, sheet.guessed_columns(names), job["language"], request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            library = services.load_library(
                organisation=organisation,
                by=signed_in(request),
                name=job["name"],
                language=job["language"],
                source=job["source"],
                rows=sheet.rows(content, form.columns()),
            )
        except ValidationError as error:
            problems = error.messages
        else:
            default_storage.delete(job["path"])
            pending = request.session.get(SESSION_KEY, {})
            pending.pop(token, None)
            request.session[SESSION_KEY] = pending
            messages.success(
                request,
                _("%(name)s version %(version)s is loaded with %(count)s indicators.")
                % {
                    "name": library.name,
                    "version": library.version,
                    "count": library.entries.count(),
                },
            )
            return redirect("library", pk=library.pk)
    return render(
        request,
        "libraries/columns.html",
        {
            "organisation": organisation,
            "job": job,
            "names": names,
            "form": form,
            "problems": problems,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def library_page(request: HttpRequest, pk: int) -> HttpResponse:
    library = library_for_page(request.user, pk)
    results = library_results(request.user, library)
    return render(
        request,
        "libraries/library.html",
        {
            "library": library,
            "versions": libraries_of(library.organisation).filter(name=library.name),
            "may_load": may_load_library(signed_in(request), library.organisation),
            "results": results,
            "results_shown": any(row.results for row in results),
        },
    )


@login_required
def results_workbook(request: HttpRequest, pk: int) -> FileResponse:
    library = library_for_page(request.user, pk)
    return FileResponse(
        write_results(library, library_results(request.user, library)),
        as_attachment=True,
        filename=f"{slugify(library.name) or 'library'}-v{library.version}-results.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def template(request: HttpRequest) -> FileResponse:
    return FileResponse(
        io.BytesIO(sheet.template()),
        as_attachment=True,
        filename="indicator-library.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
