from collections import defaultdict
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from partners.http import signed_in
from projects.selectors import (
    may_lock,
    may_report,
    may_set_up,
    may_unlock,
    project_for_page,
    project_role,
    reporting_organisations,
    sees_provisional,
    visible_projects,
)

from . import services
from .forms import NoteForm, UpdateForm
from .history import deleted_updates_history, indicator_history, newest_first, update_history
from .models import Category, Indicator, IndicatorDimension, Period, ProgressUpdate
from .reviews import review_cards
from .selectors import (
    authority_of,
    due_periods,
    figures_for,
    my_indicators,
    open_updates,
    reportable_periods,
    reporting_organisation_ids,
    review_queue,
    updates_of_indicator,
    visible_indicator,
    visible_update,
)
from .services import workflow
from .setup_forms import PeriodForm
from .working import working_of


@login_required
def my_indicators_page(request: HttpRequest) -> HttpResponse:
    """An editor's indicators, grouped by project and result, with what is due."""
    indicators = my_indicators(request.user)
    today = timezone.localdate()
    figures = figures_for(indicators, today=today, with_provisional=True)
    due = due_periods(
        indicators, today=today, organisation_ids=reporting_organisation_ids(request.user)
    )
    projects = []
    for project, in_project in groupby(indicators, key=lambda i: i.project):
        results = [
            {"result": result, "rows": [(figures[i.pk], due[i.pk]) for i in rows]}
            for result, rows in groupby(in_project, key=lambda i: i.result)
        ]
        projects.append({"project": project, "results": results})
    return render(
        request,
        "indicators/mine.html",
        {"projects": projects, "open_updates": list(open_updates(request.user))},
    )


@login_required
def indicator_page(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = visible_indicator(request.user, pk)
    # Deleted updates were never approved: only those who see unapproved figures see them.
    provisional = sees_provisional(request.user, indicator.project)
    figures = figures_for([indicator], today=timezone.localdate(), with_provisional=provisional)[
        indicator.pk
    ]
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "figures": figures,
            "updates": list(updates_of_indicator(request.user, indicator)),
            "working": working_of(indicator),
            "history": newest_first(
                indicator_history(indicator),
                deleted_updates_history(indicator) if provisional else [],
            ),
            "can_report": may_report(request.user, indicator.project),
            "can_set_up": may_set_up(request.user, indicator.project),
        },
    )


def _form_kwargs(
    request: HttpRequest, indicator: Indicator, update: ProgressUpdate | None
) -> dict[str, Any]:
    today = timezone.localdate()
    organisations = (
        [update.organisation]
        if update is not None and update.organisation is not None
        else reporting_organisations(request.user, indicator.project)
    )
    links = list(IndicatorDimension.objects.filter(indicator=indicator).select_related("dimension"))
    categories: dict[int, list[Category]] = defaultdict(list)
    for category in Category.objects.filter(dimension__in=[link.dimension for link in links]):
        categories[category.dimension_id].append(category)
    return {
        "indicator": indicator,
        "links": links,
        "categories": categories,
        # An update stays with the organisation it was reported for.
        "organisations": organisations,
        "periods": reportable_periods(indicator.project, today=today),
        "due": due_periods(
            [indicator], today=today, organisation_ids=[o.pk for o in organisations]
        )[indicator.pk],
        "update": update,
    }


def _every_problem(form: UpdateForm) -> None:
    """A form that failed its own checks also shows what the services would refuse in what
    did parse, so that a person corrects everything in one round."""
    try:
        services.check_update(indicator=form.indicator, figures=form.figures())
    except ValidationError as error:
        form.attach(error)


def _render_form(request: HttpRequest, form: UpdateForm, **extra: Any) -> HttpResponse:
    return render(request, "indicators/update_form.html", {"form": form, **extra})


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = visible_indicator(request.user, pk)
    if not may_report(request.user, indicator.project):
        raise PermissionDenied(_("You may not report progress on this project."))
    kwargs = _form_kwargs(request, indicator, None)
    if request.method != "POST":
        return _render_form(request, UpdateForm(**kwargs))
    form = UpdateForm(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            update = services.create_update(
                indicator=indicator,
                by=signed_in(request),
                figures=form.figures(),
                evidence_file=form.cleaned_data.get("evidence_file"),
                organisation=form.chosen_organisation(),
                submit=request.POST.get("action") == "submit",
                request_key=form.cleaned_data.get("request_key"),
            )
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, _submitted_or_saved(update))
            return redirect("indicators:update", pk=update.pk)
    else:
        _every_problem(form)
    return _render_form(request, form)


def _submitted_or_saved(update: ProgressUpdate) -> str:
    if update.status == ProgressUpdate.Status.SUBMITTED:
        return _("Submitted for review.")
    return _("Saved as a draft. Submit it when it is ready for review.")


@login_required
def edit_update(request: HttpRequest, pk: int) -> HttpResponse:
    update = visible_update(request.user, pk)
    indicator = update.indicator
    refusal = workflow.refusal(authority_of(request.user), update, workflow.EDIT)
    if isinstance(refusal, PermissionDenied):
        raise refusal
    if refusal is not None:
        messages.error(request, " ".join(refusal.messages))  # type: ignore[attr-defined]
        return redirect("indicators:update", pk=update.pk)
    kwargs = _form_kwargs(request, indicator, update)
    if request.method != "POST":
        return _render_form(request, UpdateForm(**kwargs), update=update)
    form = UpdateForm(request.POST, request.FILES, **kwargs)
    if form.is_valid():
        try:
            saved = services.edit_update(
                update=update,
                by=signed_in(request),
                expected_version=form.cleaned_data["version"] or 0,
                figures=form.figures(),
                evidence_file=form.cleaned_data.get("evidence_file"),
                remove_evidence_file=form.cleaned_data.get("remove_evidence_file", False),
                organisation=form.chosen_organisation(),
                submit=request.POST.get("action") == "submit",
            )
        except services.StaleUpdate as stale:
            return _render_conflict(request, form, stale.current, kwargs)
        except ValidationError as error:
            form.attach(error)
        else:
            messages.success(request, _submitted_or_saved(saved))
            return redirect("indicators:update", pk=saved.pk)
    else:
        _every_problem(form)
    return _render_form(request, form, update=update)


def _render_conflict(
    request: HttpRequest, form: UpdateForm, current: ProgressUpdate, kwargs: dict[str, Any]
) -> HttpResponse:
    """Show what changed meanwhile beside what the user typed; save nothing."""
    saved = UpdateForm.initial_from(current)
    differences = []
    for name, field in form.fields.items():
        if name in ("version", "evidence_file", "remove_evidence_file", "period"):
            continue
        yours = form.cleaned_data.get(name)
        theirs = saved.get(name)
        if name == "organisation" and yours is not None:
            yours = yours.pk
        if (yours or None) != (theirs or None) and str(yours) != str(theirs):
            differences.append({"label": field.label, "saved": theirs, "yours": yours})
    data = request.POST.copy()
    data["version"] = str(current.version)
    kwargs = {**kwargs, "update": current}
    fresh = UpdateForm(data, **kwargs)
    fresh.is_valid()
    return _render_form(
        request,
        fresh,
        update=current,
        conflict={"current": current, "differences": differences},
    )


@login_required
def update_page(request: HttpRequest, pk: int) -> HttpResponse:
    update = visible_update(request.user, pk)
    project = update.indicator.project
    role = project_role(request.user, project)
    return render(
        request,
        "indicators/update_detail.html",
        {
            "update": update,
            "indicator": update.indicator,
            "history": update_history(update) if role is not None else [],
            "allowed": workflow.allowed_transitions(signed_in(request), update),
            "note_form": NoteForm(initial={"version": update.version}),
        },
    )


TRANSITIONS = {
    "submit": gettext_lazy("Submitted for review."),
    "approve": gettext_lazy("Approved: the figures now count for funders."),
    "return": gettext_lazy("Returned to the editor with your note."),
    "reopen": gettext_lazy("Reopened as a draft."),
    "delete": gettext_lazy("Deleted."),
}


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in TRANSITIONS:
        raise Http404
    update = visible_update(request.user, pk)
    done = TRANSITIONS[action]
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    user = signed_in(request)
    note = request.POST.get("note", "")
    try:
        services.transition(
            update=update, action=action, by=user, note=note, expected_version=version
        )
        if action == "delete":
            messages.success(request, str(done))
            return redirect("indicators:indicator", pk=update.indicator_id)
    except services.StaleUpdate:
        messages.error(
            request,
            _("This update changed since you opened the page. Here it is as it stands now."),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))
    if action in ("approve", "return") and request.POST.get("next") == "review":
        return redirect("indicators:review")
    return redirect("indicators:update", pk=update.pk)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file, to those who may see the update (never a public media URL)."""
    update = visible_update(request.user, pk)
    if not update.evidence_file:
        raise Http404
    return FileResponse(update.evidence_file.open("rb"), as_attachment=True)


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    cards = review_cards(signed_in(request))
    return render(
        request,
        "indicators/review.html",
        {
            "cards": cards,
            "note_form": NoteForm(),
            "may_approve_several": sum("approve" in card.allowed for card in cards) > 1,
        },
    )


@login_required
@require_POST
def review_approve(request: HttpRequest) -> HttpResponse:
    """Approve the updates ticked on the review page, at the versions the page showed."""
    user = signed_in(request)
    try:
        chosen = {int(pk) for pk in request.POST.getlist("approve")}
        versions = {pk: int(request.POST.get(f"version-{pk}", "")) for pk in chosen}
    except ValueError as error:
        raise Http404 from error
    if not chosen:
        messages.error(request, _("Tick the updates to approve."))
        return redirect("indicators:review")
    updates = list(review_queue(user).filter(pk__in=chosen))
    if len(updates) != len(chosen):
        raise Http404  # one is not in this reviewer's queue
    try:
        done = services.approve_updates(
            updates=[(update, versions[update.pk]) for update in updates], by=user
        )
    except ValidationError as error:
        messages.error(request, _("Nothing was approved."))
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)d update approved.", "%(count)d updates approved.", len(done))
            % {"count": len(done)},
        )
    return redirect("indicators:review")


@login_required
def periods_page(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = project_for_page(request.user, project_pk)
    return render(
        request,
        "indicators/periods.html",
        {
            "project": project,
            "periods": list(project.periods.select_related("locked_by")),
            "can_lock": may_lock(request.user, project),
            "can_unlock": may_unlock(request.user, project),
            "can_set_up": may_set_up(request.user, project),
            "period_form": PeriodForm(
                initial={"start": project.start_date, "end": project.end_date}
            ),
        },
    )


@login_required
@require_POST
def period_lock(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    period = get_object_or_404(
        Period.objects.select_related("project"), pk=pk, project__in=visible_projects(request.user)
    )
    try:
        if action == "lock":
            services.lock_period(period=period, by=signed_in(request))
            messages.success(request, _("Period %(name)s locked.") % {"name": period.name})
        elif action == "unlock":
            services.unlock_period(period=period, by=signed_in(request))
            messages.success(request, _("Period %(name)s unlocked.") % {"name": period.name})
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("indicators:periods", project_pk=period.project_id)
