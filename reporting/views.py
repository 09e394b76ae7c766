"""A project's budget page: its lines by year with the totals per currency and per funding, for
everyone who sees the project; its set-up people add and remove lines there."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import save_with
from core.http import act
from partners.http import signed_in
from projects.selectors import may_set_up, project_for_page, project_for_setup

from . import services
from .forms import BudgetLineForm
from .models import BudgetLine
from .selectors import budget_of


@login_required
def budget_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_page(request.user, pk)
    may_edit = may_set_up(request.user, project)
    form = BudgetLineForm(
        request.POST if request.method == "POST" and may_edit else None, project=project
    )
    if request.method == "POST":
        project = project_for_setup(signed_in(request), pk)
        saved = save_with(
            form,
            lambda data: services.save_budget_line(
                project=project,
                by=signed_in(request),
                name=data["name"],
                year=data["year"],
                amount=data["amount"],
                currency=data["currency"],
                funding=data["funding"],
            ),
        )
        if saved is not None:
            return redirect("reporting:budget", pk=project.pk)
    return render(
        request,
        "reporting/budget.html",
        {"project": project, "budget": budget_of(project), "form": form, "may_edit": may_edit},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def remove_line(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    line = get_object_or_404(BudgetLine, pk=line_pk, project=project)
    act(
        request,
        lambda: services.remove_budget_line(line=line, by=signed_in(request)),
        _("The budget line is removed."),
    )
    return redirect("reporting:budget", pk=project.pk)
