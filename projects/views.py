from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.http import signed_in

from . import services
from .selectors import (
    awaiting_confirmation,
    awaiting_one,
    projects_for_portfolio,
)


@login_required
def archived_projects(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "projects/archived.html",
        {"projects": projects_for_portfolio(request.user, archived=True)},
    )


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
