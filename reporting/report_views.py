"""A project's report on one period: what each organisation wrote, with the period's approved
figures; the form for those who write it, and the review buttons `allowed_transitions` offers."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import attach, refusal_messages
from indicators.selectors import authority_of
from partners.http import signed_in
from projects.selectors import project_for_page, sees_provisional

from . import services, workflow
from .forms import ReportFileForm, ReportForm, report_initial
from .funder_reports import report_funders
from .models import PeriodReport
from .selectors import (
    budget_lines,
    organisations_to_write,
    period_figures,
    period_of,
    prompts_of,
    report_histories,
    reports_of_period,
)


def _editable(allowed: list[tuple[PeriodReport, frozenset[str], Any]]) -> PeriodReport | None:
    """The report the user may change now, if any (their organisation's draft or returned)."""
    return next((report for report, actions, _history in allowed if workflow.EDIT in actions), None)


@login_required
def period_report(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    project = project_for_page(request.user, pk)
    period = period_of(project, period_pk)
    reports = reports_of_period(request.user, project, period)
    person = signed_in(request)
    authority = authority_of(person)
    # The history is for the people working on the project, as an update's is.
    histories = report_histories(reports) if sees_provisional(person, project) else {}
    allowed = [
        (
            report,
            workflow.allowed_transitions(person, report, authority=authority),
            histories.get(report.pk, []),
        )
        for report in reports
    ]
    editing = _editable(allowed)
    organisations = organisations_to_write(request.user, project, reports, editing)
    lines = [
        line for line in budget_lines(project) if period.start.year <= line.year <= period.end.year
    ]
    form = None
    if organisations:
        form = ReportForm(
            request.POST if request.method == "POST" else None,
            initial=report_initial(editing) if editing is not None else None,
            organisations=organisations,
            # The first organisation's: a person reporting for several has them in one form.
            prompts=prompts_of(organisations[0]),
            lines=lines,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            organisation = next(
                o for o in organisations if o.pk == form.cleaned_data["organisation"]
            )
            try:
                services.save_report(
                    project=project,
                    period=period,
                    organisation=organisation,
                    by=signed_in(request),
                    sections=form.sections(),
                    women=form.cleaned_data["women"],
                    men=form.cleaned_data["men"],
                    expenditures=[
                        services.ExpenditureInput(line=line, amount=amount, evidence_url=url)
                        for line, amount, url in form.spending()
                    ],
                    submit=request.POST.get("action") == "submit",
                )
            except ValidationError as error:
                attach(form, ValidationError(error.messages))
            else:
                messages.success(
                    request,
                    _("The report is submitted for review.")
                    if request.POST.get("action") == "submit"
                    else _("The report is saved as a draft."),
                )
                return redirect("reporting:period-report", pk=project.pk, period_pk=period.pk)
    return render(
        request,
        "reporting/period_report.html",
        {
            "project": project,
            "period": period,
            "reports": allowed,
            "figures": period_figures(project, period),
            "form": form,
            "editing": editing,
            "funders": report_funders(request.user, project),
            "file_form": ReportFileForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


TRANSITIONS = {
    workflow.SUBMIT: (
        lambda report, by, _text: services.submit_report(report=report, by=by),
        gettext_lazy("The report is submitted for review."),
    ),
    workflow.APPROVE: (
        lambda report, by, _text: services.approve_report(report=report, by=by),
        gettext_lazy("The report is approved: its funders see it now."),
    ),
    workflow.RETURN: (
        lambda report, by, text: services.return_report(report=report, by=by, note=text),
        gettext_lazy("The report is returned to its writers."),
    ),
    workflow.REOPEN: (
        lambda report, by, text: services.reopen_report(report=report, by=by, reason=text),
        gettext_lazy("The report is reopened for a correction."),
    ),
    workflow.DELETE: (
        lambda report, by, _text: services.delete_report(report=report, by=by),
        gettext_lazy("The report is deleted."),
    ),
}


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    report = get_object_or_404(PeriodReport.objects.select_related("period"), pk=pk)
    project = project_for_page(request.user, report.project_id)
    if report not in reports_of_period(request.user, project, report.period):
        raise Http404
    run, done = TRANSITIONS[action]
    try:
        run(report, signed_in(request), request.POST.get("text", ""))
    except (ValidationError, PermissionDenied) as error:
        problems = refusal_messages(error)
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, str(done))
    return redirect("reporting:period-report", pk=project.pk, period_pk=report.period_id)
