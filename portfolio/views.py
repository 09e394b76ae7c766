from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators.progress import Status
from indicators.selectors import status_counts
from projects.selectors import funding_rows, projects_for_portfolio

PROJECTS_PER_PAGE = 25


@login_required
def portfolio_home(request: HttpRequest) -> HttpResponse:
    """The projects the user may see, with funders, budget and indicators by status."""
    page = Paginator(projects_for_portfolio(request.user), PROJECTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    projects = list(page.object_list)
    counts = status_counts([project.pk for project in projects], today=timezone.localdate())
    rows = [
        {
            "project": project,
            "fundings": funding_rows(project),
            "by_status": [(status, counts[project.pk][status]) for status in Status],
            "indicator_total": sum(counts[project.pk].values()),
        }
        for project in projects
    ]
    return render(request, "portfolio/home.html", {"rows": rows, "page": page})


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and container health checks: 200 when the database answers."""
    try:
        connection.ensure_connection()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
