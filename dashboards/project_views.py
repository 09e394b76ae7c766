"""The project's own page and its indicator table: what it holds, its funders and places,
and each result's indicators with their figures."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from indicators.selectors import figures_for, indicators_of_projects
from projects.models import Project
from projects.selectors import (
    funding_rows,
    location_paths,
    may_report,
    may_set_up,
    project_for_page,
    sees_provisional,
    visible_projects,
)
from reporting.selectors import burn_rates

from .iptt import write_iptt
from .logframe import write_logframe
from .views import xlsx_response


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_page(request.user, pk)
    provisional = sees_provisional(request.user, project)
    indicators = list(indicators_of_projects([project.pk]))
    figures = figures_for(indicators, today=timezone.localdate(), with_provisional=provisional)
    by_result = {
        result_id: [figures[indicator.pk] for indicator in group]
        for result_id, group in groupby(
            sorted(indicators, key=lambda i: (i.result_id or 0, i.order, i.code)),
            key=lambda i: i.result_id,
        )
    }
    results = [
        {
            "result": result,
            "depth": result.number.count("."),
            "indicators": by_result.get(result.pk, []),
        }
        for result in project.results.all()
    ]
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "fundings": funding_rows(project),
            "places": location_paths(project.locations.all()),
            "results": results,
            "unassigned": by_result.get(None, []),
            "sees_provisional": provisional,
            "may_set_up": may_set_up(request.user, project),
            "can_report": may_report(request.user, project),
            "burn": burn_rates([project], today=timezone.localdate()).get(project.pk, []),
        },
    )


@login_required
def project_report(request: HttpRequest, pk: int) -> FileResponse:
    """The project's indicator performance tracking table, approved figures only."""
    try:
        project = visible_projects(request.user).get(pk=pk)
    except Project.DoesNotExist:
        raise Http404 from None
    output = write_iptt([project], title=f"{project.code} · {project.title}")
    return xlsx_response(output, f"iptt-{project.code}.xlsx")


@login_required
def project_logframe(request: HttpRequest, pk: int) -> FileResponse:
    """The logframe table, approved figures only, for anyone who sees the project."""
    project = project_for_page(request.user, pk)
    return xlsx_response(write_logframe(project), f"logframe-{project.code}.xlsx")
