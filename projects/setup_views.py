"""Pages where administrators and managers of a project's implementers set it up."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import attach, check_anyway, save_with
from core.http import act, safe_next
from partners.http import signed_in
from partners.selectors import managed_organisations

from . import services
from .forms import FundingForm, GroupForm, NewProjectForm, PartnerForm, PlaceForm, ProjectForm
from .models import BeneficiaryGroup, Funding, Location, Partnership, Project
from .selectors import (
    links_for_setup,
    project_for_setup,
    reporting_organisation,
    setup_page_project,
)


def _details(form: ProjectForm) -> services.ProjectDetails:
    data = form.cleaned_data
    places = tuple(Location.objects.filter(pk__in=data["locations"]))
    return services.ProjectDetails(
        code=data["code"].strip(),
        title=data["title"],
        summary=data["summary"],
        status=data["status"],
        planned_start=data["planned_start"],
        planned_end=data["planned_end"],
        actual_start=data["actual_start"],
        actual_end=data["actual_end"],
        budget=data["budget"],
        currency=data["currency"],
        is_public=data["is_public"],
        locations=places,
        sectors=data["sectors"].strip(),
        language=data["language"],
        translations=form.translations(),
    )


def _every_problem(form: ProjectForm, project: Project | None) -> None:
    given = {name: value for name, value in form.cleaned_data.items() if name != "locations"}
    check_anyway(form, lambda: services.check_project_details(details=given, project=project))


@login_required
def new_project(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    implementers = managed_organisations(user).order_by("name")
    if not implementers.exists():
        raise PermissionDenied
    form = NewProjectForm(request.POST or None, implementers=implementers)
    if request.method == "POST" and not form.is_valid():
        _every_problem(form, None)
    elif request.method == "POST":
        try:
            project = services.create_project(
                by=user,
                implementer=form.cleaned_data["implementer"],
                details=_details(form),
            )
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(
                request, _("The project is created. Now add its funders and partners.")
            )
            return redirect("projects:setup", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def edit_project(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    project = project_for_setup(user, pk)
    initial = {field: getattr(project, field) for field in services.DETAIL_FIELDS}
    initial["locations"] = list(project.locations.values_list("pk", flat=True))
    form = ProjectForm(
        request.POST or None, initial=initial, original=project.language, content=project
    )
    if request.method == "POST" and not form.is_valid():
        _every_problem(form, project)
    elif request.method == "POST":
        try:
            services.edit_project(project=project, by=user, details=_details(form))
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The project's details are saved."))
            return redirect("projects:setup", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Funding, partners and beneficiary groups, each with a form to add one."""
    user = signed_in(request)
    project = setup_page_project(user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    funding = FundingForm(
        request.POST if action == "funding" else None,
        prefix="funding",
        initial={"currency": project.currency},
    )
    partner = PartnerForm(request.POST if action == "partner" else None, prefix="partner")
    group = GroupForm(
        request.POST if action == "group" else None, prefix="group", original=project.language
    )
    forms: dict[str, tuple[Any, Callable[[dict[str, Any]], object], str]] = {
        "funding": (
            funding,
            lambda data: services.add_funding(
                project=project,
                by=user,
                funder=data["organisation"],
                new_funder_name=data["new_name"],
                amount=data["amount"],
                currency=data["currency"],
                date=data["date"],
                instrument=data["instrument"],
            ),
            _("The funding is recorded."),
        ),
        "partner": (
            partner,
            lambda data: services.add_partner(
                project=project,
                by=user,
                organisation=data["organisation"],
                new_organisation_name=data["new_name"],
                role=data["role"],
                note=data["note"],
            ),
            _("The partner is added."),
        ),
        "group": (
            group,
            lambda data: services.save_group(
                project=project, by=user, translations=group.translations(), **_group_data(data)
            ),
            _("The beneficiary group is added."),
        ),
    }
    if action in forms:
        form, save, done = forms[action]
        if save_with(form, save) is not None:
            messages.success(request, done)
            return redirect("projects:setup", pk=project.pk)
    fundings, partnerships = links_for_setup(project)
    return render(
        request,
        "projects/setup.html",
        {
            "project": project,
            "fundings": fundings,
            "partnerships": partnerships,
            "iati_reporter": project.iati_reporter or reporting_organisation(project),
            "funding_form": funding,
            "partner_form": partner,
            "group_form": group,
        },
        status=400 if request.method == "POST" else 200,
    )


def _group_data(data: dict[str, Any]) -> dict[str, Any]:
    def fraction(percent: Decimal | None) -> Decimal | None:
        return None if percent is None else (percent / 100).quantize(Decimal("0.0001"))

    return {
        "name": data["name"],
        "description": data["description"],
        "estimated_size": data["estimated_size"],
        "women_share": fraction(data["women_share"]),
        "minors_share": fraction(data["minors_share"]),
    }


def _percent(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).normalize()


@login_required
def edit_group(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    user = signed_in(request)
    project = project_for_setup(user, pk)
    group = get_object_or_404(BeneficiaryGroup, pk=group_pk, project=project)
    form = GroupForm(
        request.POST or None,
        initial={
            "name": group.name,
            "description": group.description,
            "estimated_size": group.estimated_size,
            "women_share": _percent(group.women_share),
            "minors_share": _percent(group.minors_share),
        },
        original=project.language,
        content=group,
    )

    def save(data: dict[str, Any]) -> object:
        return services.save_group(
            project=project,
            by=user,
            group=group,
            translations=form.translations(),
            **_group_data(data),
        )

    if request.method == "POST" and save_with(form, save) is not None:
        messages.success(request, _("The beneficiary group is saved."))
        return redirect("projects:setup", pk=project.pk)
    return render(
        request,
        "projects/group_form.html",
        {"project": project, "group": group, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _removal(request: HttpRequest, project: Project, remove: Any, done: str) -> HttpResponse:
    act(request, remove, done)
    return redirect("projects:setup", pk=project.pk)


@login_required
@require_POST
def remove_funding(request: HttpRequest, pk: int, funding_pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    funding = get_object_or_404(Funding.every, pk=funding_pk, project=project)
    return _removal(
        request,
        project,
        lambda: services.remove_funding(funding=funding, by=signed_in(request)),
        _("The funding is removed."),
    )


@login_required
@require_POST
def remove_partner(request: HttpRequest, pk: int, partnership_pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    partnership = get_object_or_404(Partnership.every, pk=partnership_pk, project=project)
    return _removal(
        request,
        project,
        lambda: services.remove_partner(partnership=partnership, by=signed_in(request)),
        _("The partner is removed."),
    )


@login_required
@require_POST
def remove_group(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    group = get_object_or_404(BeneficiaryGroup, pk=group_pk, project=project)
    return _removal(
        request,
        project,
        lambda: services.remove_group(group=group, by=signed_in(request)),
        _("The beneficiary group is removed."),
    )


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    if request.POST.get("restore"):
        services.restore_project(project=project, by=signed_in(request))
        messages.success(request, _("The project is back in the portfolio."))
    else:
        services.archive_project(project=project, by=signed_in(request))
        messages.success(
            request,
            _("The project is archived: it has left the portfolio list, and all of it is kept."),
        )
    return redirect("project", pk=project.pk)


@login_required
def new_place(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not managed_organisations(user).exists():
        raise PermissionDenied
    back = safe_next(request)
    form = PlaceForm(request.POST or None)

    def add(data: dict[str, Any]) -> Location:
        return services.add_place(
            by=user,
            name=data["name"],
            kind=data["kind"] or "",
            parent=Location.objects.filter(pk=data["parent"]).first() if data["parent"] else None,
            latitude=data["latitude"],
            longitude=data["longitude"],
        )

    if request.method == "POST" and (place := save_with(form, add)) is not None:
        messages.success(
            request,
            _("%(place)s is listed: choose it among the project's places.") % {"place": place.name},
        )
        return redirect(back or reverse("portfolio-home"))
    return render(
        request,
        "projects/place_form.html",
        {"form": form, "next": back},
        status=400 if request.method == "POST" else 200,
    )
