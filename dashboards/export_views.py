"""Pages of a portfolio's files: ask for one, watch it being made, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from partners.http import signed_in

from .exports import export_for, request_export
from .models import Export
from .tasks import schedule_export

MEDIA_TYPES = {
    Export.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Export.Format.PDF: "application/pdf",
}


@login_required
@require_POST
def ask_for_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    try:
        export = request_export(
            by=signed_in(request),
            organisation_pk=pk,
            kind=kind,
            format=request.POST.get("format", ""),
            language=get_language(),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("dashboard", pk=pk, kind=kind)
    schedule_export(export)
    return redirect("export", pk=export.pk)


@login_required
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "dashboards/export.html", {"export": export_for(signed_in(request), pk)})


@login_required
def export_file(request: HttpRequest, pk: int) -> FileResponse:
    export = export_for(signed_in(request), pk)
    if export.status != Export.Status.DONE or not export.file:
        raise Http404
    try:
        stream = export.file.open("rb")
    except FileNotFoundError:  # removed since, or not in the backup it was restored from
        raise Http404 from None
    return FileResponse(
        stream,
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=MEDIA_TYPES[Export.Format(export.format)],
    )
