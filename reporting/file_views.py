"""The photos and documents of a period report: added and removed on the report's page by those
who may change it; downloaded by whoever may read the report, and by nobody else (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import refusal_messages
from partners.http import signed_in

from . import services
from .forms import ReportFileForm
from .selectors import readable_report, readable_report_file


def _back(report_project: int, period: int) -> HttpResponse:
    return redirect("reporting:period-report", pk=report_project, period_pk=period)


@login_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = readable_report(request.user, pk)
    form = ReportFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_file(
                report=report,
                by=signed_in(request),
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except (ValidationError, PermissionDenied) as error:
            problems = refusal_messages(error)
            messages.error(request, " ".join(problems))
        else:
            messages.success(request, _("The file is attached to the report."))
    else:
        messages.error(
            request, " ".join(str(message) for errors in form.errors.values() for message in errors)
        )
    return _back(report.project_id, report.period_id)


@login_required
@require_POST
def remove_file(request: HttpRequest, pk: int) -> HttpResponse:
    attached = readable_report_file(request.user, pk)
    try:
        services.remove_file(attached=attached, by=signed_in(request))
    except (ValidationError, PermissionDenied) as error:
        problems = refusal_messages(error)
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, _("The file is removed from the report."))
    return _back(attached.report.project_id, attached.report.period_id)


@login_required
def download_file(request: HttpRequest, pk: int) -> FileResponse:
    attached = readable_report_file(request.user, pk)
    return FileResponse(attached.file.open("rb"), as_attachment=True, filename=attached.name)
