"""Pages that set up a project's results framework, indicators and reporting periods."""

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

from core.forms import attach, check_anyway, given_or_blank, save_with
from core.http import act, safe_next
from partners.http import signed_in
from partners.models import User
from partners.selectors import managed_organisations
from projects import services as project_services
from projects.forms import CopyForm, ImportForm, ResultEditForm, ResultForm
from projects.models import Result
from projects.selectors import project_for_setup, visible_projects

from . import services
from .models import Dimension, Indicator, Period
from .selectors import (
    dimensions_for,
    has_approved_progress,
    indicator_for_setup,
    may_translate_dimension,
    visible_dimension,
)
from .services import CategoryTargetInput, DimensionUse
from .setup_forms import (
    DimensionForm,
    DimensionTranslationForm,
    IndicatorForm,
    PeriodForm,
    TargetsForm,
    initial_for,
)
from .spreadsheets import framework as framework_sheet


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


@login_required
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    """The results framework with its indicators, and the ways to fill it."""
    user = signed_in(request)
    project = project_for_setup(user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    result_form = ResultForm(
        request.POST if action == "result" else None, project=project, prefix="result"
    )
    sources = (
        visible_projects(user)
        .exclude(pk=project.pk)
        .filter(results__isnull=False)
        .distinct()
        .order_by("title")
    )
    copy_form = CopyForm(
        request.POST if action == "copy" else None, projects=sources, prefix="copy"
    )
    import_form = ImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
    )

    def add_result(data: dict[str, Any]) -> Result:
        return project_services.add_result(
            project=project,
            by=user,
            level=data["level"] or "",
            parent=data["parent"],
            title=data["title"],
            description=data["description"],
            translations=result_form.translations(),
        )

    if action == "result" and (result := save_with(result_form, add_result)) is not None:
        messages.success(
            request,
            _("%(level)s %(number)s is added.")
            % {"level": result.get_level_display(), "number": result.number},
        )
        return redirect("indicators:framework", pk=project.pk)
    if action == "copy" and copy_form.is_valid():
        try:
            copied = services.copy_framework(
                source=copy_form.cleaned_data["source"], target=project, by=user
            )
        except ValidationError as error:
            attach(copy_form, error)
        else:
            messages.success(
                request,
                _("Copied %(results)s results and %(indicators)s indicators.")
                % {"results": copied[0], "indicators": copied[1]},
            )
            return redirect("indicators:framework", pk=project.pk)
    if action == "import" and import_form.is_valid():
        try:
            copied = services.import_framework(
                project=project, by=user, upload=import_form.cleaned_data["spreadsheet"]
            )
        except ValidationError as error:
            attach(import_form, error)
        else:
            messages.success(
                request,
                _("Imported %(results)s results and %(indicators)s indicators.")
                % {"results": copied[0], "indicators": copied[1]},
            )
            return redirect("indicators:framework", pk=project.pk)
    results = list(project.results.order_by("order", "number"))
    indicators = list(project.indicators.order_by("order", "code"))
    by_result: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        by_result.setdefault(indicator.result_id, []).append(indicator)
    return render(
        request,
        "indicators/framework.html",
        {
            "project": project,
            "nodes": [(r, r.number.count("."), by_result.get(r.pk, [])) for r in results],
            "unassigned": by_result.get(None, []),
            "result_form": result_form,
            "copy_form": copy_form if sources.exists() else None,
            "import_form": import_form,
        },
        status=_status(request),
    )


def _result(user: User, pk: int, result_pk: int) -> Result:
    project = project_for_setup(user, pk)
    return get_object_or_404(
        Result.objects.select_related("project", "parent"), pk=result_pk, project=project
    )


@login_required
def edit_result(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    user = signed_in(request)
    result = _result(user, pk, result_pk)
    form = ResultEditForm(
        request.POST or None,
        initial={"title": result.title, "description": result.description},
        original=result.project.language,
        content=result,
    )

    def save(data: dict[str, Any]) -> object:
        return project_services.edit_result(
            result=result,
            by=user,
            title=data["title"],
            description=data["description"],
            translations=form.translations(),
        )

    if request.method == "POST" and save_with(form, save) is not None:
        messages.success(
            request,
            _("%(level)s %(number)s is saved.")
            % {"level": result.get_level_display(), "number": result.number},
        )
        return redirect("indicators:framework", pk=pk)
    return render(
        request,
        "indicators/result_form.html",
        {"project": result.project, "result": result, "form": form},
        status=_status(request),
    )


@login_required
@require_POST
def result_action(request: HttpRequest, pk: int, result_pk: int, action: str) -> HttpResponse:
    user = signed_in(request)
    result = _result(user, pk, result_pk)
    try:
        if action in ("up", "down"):
            project_services.move_result(result=result, by=user, up=action == "up")
        elif action == "remove":
            project_services.remove_result(result=result, by=user)
            messages.success(request, _("The result is removed."))
        else:
            return HttpResponse(status=404)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("indicators:framework", pk=pk)


@login_required
def framework_template(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_setup(signed_in(request), pk)
    response = HttpResponse(
        framework_sheet.template(dimensions_for(project)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="results-framework-template.xlsx"'
    return response


def _definition(form: IndicatorForm) -> dict[str, Any]:
    uses = form.dimension_uses()
    translated = {
        f"{name}_{language}"
        for name in Indicator.translated_fields
        for language in form.translate_into
    }
    data = {
        name: value
        for name, value in form.cleaned_data.items()
        if not name.startswith("dimension_") and name not in translated
    }
    data["dimensions"] = [DimensionUse(dimension=d, exhaustive=e) for d, e in uses]
    data["translations"] = form.translations()
    return data


@login_required
def new_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    project = project_for_setup(user, pk)
    initial: dict[str, Any] = {}
    if request.GET.get("result"):
        initial["result"] = request.GET["result"]
    form = IndicatorForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and not form.is_valid():
        check_anyway(
            form,
            lambda: services.create_indicator(
                project=project, by=user, definition={"code": "", "name": "", **_definition(form)}
            ),
            writes=True,
        )
    elif request.method == "POST":
        try:
            indicator = services.create_indicator(
                project=project, by=user, definition=_definition(form)
            )
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The indicator is defined. Now set its targets."))
            return redirect("indicators:targets", pk=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "project": project,
            "indicator": None,
            "form": form,
            "translatable": _translatable(user, form),
        },
        status=_status(request),
    )


@login_required
def edit_indicator(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    indicator = indicator_for_setup(user, pk)
    form = IndicatorForm(
        request.POST or None,
        project=indicator.project,
        initial=initial_for(indicator),
        fixed=has_approved_progress(indicator),
        content=indicator,
    )
    if request.method == "POST" and not form.is_valid():
        partial = {**services.current_definition(indicator), **_definition(form)}
        check_anyway(
            form,
            lambda: services.change_indicator(indicator=indicator, by=user, definition=partial),
            writes=True,
        )
    elif request.method == "POST":
        definition = {**services.current_definition(indicator), **_definition(form)}
        try:
            services.change_indicator(indicator=indicator, by=user, definition=definition)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("indicators:targets", pk=indicator.pk)
    return render(
        request,
        "indicators/indicator_form.html",
        {
            "project": indicator.project,
            "indicator": indicator,
            "form": form,
            "translatable": _translatable(user, form),
        },
        status=_status(request),
    )


def _translatable(user: User, form: IndicatorForm) -> set[int]:
    """The dimensions on the form whose translation the user may change: one rule, asked of
    each, that the translation page enforces too."""
    return {d.pk for d in form.dimensions if may_translate_dimension(user, d)}


@login_required
def indicator_targets(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    indicator = indicator_for_setup(user, pk)
    periods = list(indicator.project.periods.order_by("start"))
    form = TargetsForm(request.POST or None, indicator=indicator, periods=periods)

    def save() -> None:
        data = form.cleaned_data
        category_targets = []
        for _use, rows in form.groups:
            for category, value_name, share_name in rows:
                value, share = data.get(value_name), data.get(share_name)
                if value is not None or share is not None:
                    category_targets.append(
                        CategoryTargetInput(
                            category=category,
                            value=value,
                            share=None
                            if share is None
                            else (share / 100).quantize(Decimal("0.0001")),
                        )
                    )
        services.set_indicator_targets(
            indicator=indicator,
            by=user,
            category_targets=category_targets,
            period_targets={period: data.get(name) for period, name in form.periods},
        )

    if request.method == "POST" and not form.is_valid():
        check_anyway(form, save, writes=True)
    elif request.method == "POST":
        try:
            save()
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The targets are saved."))
            return redirect("indicators:framework", pk=indicator.project_id)
    return render(
        request,
        "indicators/targets_form.html",
        {"project": indicator.project, "indicator": indicator, "form": form},
        status=_status(request),
    )


@login_required
def new_dimension(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    back = safe_next(request)
    services.require_dimension_change(user)
    form = DimensionForm(
        request.POST or None, owners=managed_organisations(user), shared=user.is_superuser
    )

    def create(data: dict[str, Any]) -> Dimension:
        return services.create_dimension(
            by=user,
            owner=data["owner"],
            name=data["name"],
            kind=data["kind"] or "",
            categories=data["categories"].splitlines(),
            translations=form.translations(),
        )

    if request.method == "POST" and not form.is_valid():
        given = given_or_blank(form)
        # Without the owner the service would refuse the person, not the dimension.
        if given["owner"] is not None or user.is_superuser:
            check_anyway(form, lambda: create(given), writes=True)
    elif request.method == "POST":
        try:
            dimension = create(form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(
                request,
                _("The dimension %(name)s is available to the indicators of %(owner)s.")
                % {
                    "name": dimension.name,
                    "owner": dimension.owner.name if dimension.owner else _("every organisation"),
                },
            )
            return redirect(back or reverse("indicators:mine"))
    return render(
        request,
        "indicators/dimension_form.html",
        {"form": form, "next": back},
        status=_status(request),
    )


@login_required
def translate_dimension(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    dimension = visible_dimension(user, pk)
    if not may_translate_dimension(user, dimension):
        raise PermissionDenied(_("You may not translate this dimension."))
    back = safe_next(request)
    form = DimensionTranslationForm(request.POST or None, dimension=dimension)
    if request.method == "POST" and not form.is_valid():
        check_anyway(
            form,
            lambda: services.translate_dimension(
                by=user, dimension=dimension, translations=form.translations()
            ),
            writes=True,
        )
    elif request.method == "POST":
        try:
            services.translate_dimension(
                by=user, dimension=dimension, translations=form.translations()
            )
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(
                request,
                _("The translations of %(name)s are saved.") % {"name": dimension.name},
            )
            return redirect(back or reverse("indicators:mine"))
    categories = dimension.categories.order_by("order", "pk")
    return render(
        request,
        "indicators/dimension_translations.html",
        {"form": form, "dimension": dimension, "categories": categories, "next": back},
        status=_status(request),
    )


@login_required
@require_POST
def add_period(request: HttpRequest, project_pk: int) -> HttpResponse:
    user = signed_in(request)
    project = project_for_setup(user, project_pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        given = form.cleaned_data
        check_anyway(
            form,
            lambda: services.add_period(
                project=project,
                by=user,
                name=given.get("name", ""),
                start=given.get("start"),
                end=given.get("end"),
            ),
            writes=True,
        )
    else:
        try:
            period = services.add_period(project=project, by=user, **form.cleaned_data)
        except ValidationError as error:
            attach(form, error)
        else:
            messages.success(request, _("The period %(name)s is added.") % {"name": period.name})
            return redirect("indicators:periods", project_pk=project.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return redirect("indicators:periods", project_pk=project.pk)


@login_required
@require_POST
def remove_period(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    period = get_object_or_404(
        Period.objects.select_related("project"), pk=pk, project__in=visible_projects(user)
    )
    project_for_setup(user, period.project_id)
    act(
        request,
        lambda: services.remove_period(period=period, by=user),
        _("The period %(name)s is removed.") % {"name": period.name},
    )
    return redirect("indicators:periods", project_pk=period.project_id)
