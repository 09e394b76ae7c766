"""The printable project report for funders, on screen, on paper (A4) and as PDF."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import static_fetcher
from indicators.models import Period
from indicators.selectors import approved_narratives, latest_reported_period
from projects.models import Project
from projects.selectors import funding_rows, location_paths, project_for_page
from reporting.selectors import approved_period_reports

from .apps import pdf_renderer_available
from .selectors import indicator_snapshots, oldest_computation
from .views import indicator_blocks


def _context(request: HttpRequest, pk: int) -> dict[str, Any]:
    project: Project = project_for_page(request.user, pk)
    periods = list(project.periods.order_by("start"))
    period = _chosen_period(request, project, periods)
    indicators = indicator_snapshots(project)
    return {
        "project": project,
        "fundings": funding_rows(project),
        "places": location_paths(project.locations.all()),
        "blocks": indicator_blocks(indicators),
        "computed_at": oldest_computation(indicators),
        "periods": periods,
        "period": period,
        "narratives": list(approved_narratives(project, period)),
        "period_reports": approved_period_reports(project, period) if period else [],
        "generated_at": timezone.now(),
        "pdf_available": pdf_renderer_available(),
    }


def _chosen_period(request: HttpRequest, project: Project, periods: list[Period]) -> Period | None:
    """The period asked for; by default the latest with approved figures or narrative (not
    merely the latest begun, which may have nothing to say yet); none for "all" or when no
    period has anything: the whole project to date."""
    wanted = request.GET.get("period", "")
    if wanted == "all":
        return None
    if wanted:
        for period in periods:
            if str(period.pk) == wanted:
                return period
        raise Http404
    return latest_reported_period(project, periods)


@login_required
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reports/project.html", _context(request, pk))


@login_required
def project_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _context(request, pk)
    if not context["pdf_available"]:
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    from weasyprint import HTML

    html = render_to_string("reports/project.html", {**context, "for_pdf": True}, request)
    base = request.build_absolute_uri("/")
    # Tagged for screen readers (PDF/UA-1: a structure tree, the page's language and title).
    pdf = HTML(string=html, url_fetcher=static_fetcher(base), base_url=base).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    project = context["project"]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{project.code}.pdf"'
    return response
