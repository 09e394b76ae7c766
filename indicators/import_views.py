"""Reporting progress in bulk from a filled-in template: check, see every problem, commit."""

import uuid
from pathlib import Path
from typing import IO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import SpreadsheetField
from partners.http import signed_in
from partners.models import User
from projects.models import Project
from projects.selectors import may_report, project_for_page

from . import services
from .spreadsheets import progress as progress_sheet

FOLDER = "progress-imports"
SESSION_KEY = "progress_imports"


class UploadForm(forms.Form):
    spreadsheet = SpreadsheetField(label=gettext_lazy("Filled-in template (.xlsx or .csv)"))
    submit = forms.BooleanField(
        label=gettext_lazy("Submit the updates for review (otherwise they are kept as drafts)"),
        required=False,
    )


def _reporting_project(request: HttpRequest, pk: int) -> Project:
    project = project_for_page(request.user, pk)
    if not may_report(request.user, project):
        raise PermissionDenied
    return project


@login_required
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _reporting_project(request, pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    outcome = None
    token = ""
    if request.method == "POST" and request.POST.get("token"):
        return _commit(request, project, request.POST["token"])
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        stored = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}{suffix}", upload)
        try:
            with default_storage.open(stored, "rb") as stream:
                outcome = _check(project, signed_in(request), stream, stored, submit=False)
        finally:
            # Kept only for the commit that follows a clean check, whatever happened else.
            if outcome is None or outcome.problems:
                default_storage.delete(stored)
        if not outcome.problems:
            token = uuid.uuid4().hex
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "path": stored,
                "project": project.pk,
                "submit": form.cleaned_data["submit"],
            }
            request.session[SESSION_KEY] = pending
    return render(
        request,
        "indicators/import.html",
        {"project": project, "form": form, "outcome": outcome, "token": token},
        status=400 if outcome is not None and outcome.problems else 200,
    )


def _check(
    project: Project, user: User, stream: IO[bytes], name: str, *, submit: bool
) -> services.ImportOutcome:
    try:
        return services.import_progress(
            project=project, by=user, upload=stream, name=name, submit=submit, commit=False
        )
    except ValidationError as error:
        return services.ImportOutcome(
            problems=[progress_sheet.Problem(0, "", message) for message in error.messages]
        )


def _commit(request: HttpRequest, project: Project, token: str) -> HttpResponse:
    pending = request.session.get(SESSION_KEY, {})
    job = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if job is None or job["project"] != project.pk:
        messages.error(request, _("This check has expired or was used: upload the file again."))
        return redirect("indicators:import", pk=project.pk)
    path = job["path"]
    try:
        with default_storage.open(path, "rb") as stream:
            outcome = services.import_progress(
                project=project,
                by=signed_in(request),
                upload=stream,
                name=Path(path).name,
                submit=job["submit"],
                commit=True,
            )
    finally:
        default_storage.delete(path)
    if outcome.problems:  # the project changed meanwhile, e.g. a period was locked
        return render(
            request,
            "indicators/import.html",
            {"project": project, "form": UploadForm(), "outcome": outcome, "token": ""},
            status=409,
        )
    messages.success(
        request,
        _("%(count)s updates recorded.") % {"count": f"{outcome.created:,}"},
    )
    return redirect("project", pk=project.pk)


@login_required
def template(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    project = _reporting_project(request, pk)
    if kind not in ("csv", "xlsx"):
        raise Http404
    if kind == "csv":
        response = HttpResponse(
            progress_sheet.template_csv(project), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            progress_sheet.template_xlsx(project),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="progress-{project.code}.{kind}"'
    return response
