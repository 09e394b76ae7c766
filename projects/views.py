from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.selectors import figures_for, indicators_of_projects
from partners.http import signed_in
from portfolio.iptt import write_iptt
from portfolio.views import xlsx_response

from . import services
from .models import Project
from .selectors import (
    awaiting_confirmation,
    awaiting_one,
    funding_rows,
    location_paths,
    may_report,
    may_set_up,
    project_for_page,
    projects_for_portfolio,
    sees_provisional,
    visible_projects,
)


@login_required
def archived_projects(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "projects/archived.html",
        {"projects": projects_for_portfolio(request.user, archived=True)},
    )


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
def confirmations(request: HttpRequest) -> HttpResponse:
    """The projects that name an organisation the user administers and await its word."""
    return render(
        request,
        "projects/confirmations.html",
        {"awaiting": awaiting_confirmation(signed_in(request))},
    )


@login_required
@require_POST
def confirmation_action(
    request: HttpRequest, pk: int, organisation_pk: int, action: str
) -> HttpResponse:
    user = signed_in(request)
    awaiting = awaiting_one(user, pk, organisation_pk)
    names = {"organisation": awaiting.organisation.name, "project": awaiting.project.title}
    if action == "confirm":
        services.confirm_involvement(
            project=awaiting.project, organisation=awaiting.organisation, by=user
        )
        messages.success(
            request, _("%(organisation)s takes part in %(project)s: confirmed.") % names
        )
    elif action == "decline":
        services.decline_involvement(
            project=awaiting.project, organisation=awaiting.organisation, by=user
        )
        messages.success(
            request,
            _("Declined: %(project)s no longer names %(organisation)s.") % names,
        )
    else:
        raise Http404
    return redirect("projects:confirmations")
