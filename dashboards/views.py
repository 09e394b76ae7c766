import hashlib
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import IO

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _

from core.translations import category_name
from indicators.models import Indicator, PortfolioSnapshot
from libraries.selectors import organisation_results
from partners.selectors import managed_organisations
from projects.selectors import funding_rows, projects_for_portfolio
from reporting.selectors import burn_rates, reported_periods

from .charts import (
    STATUS_ORDER,
    category_bars,
    milestone_periods,
    period_chart,
    progress_bar,
    status_segments,
)
from .iptt import write_iptt
from .selectors import (
    contribution_share,
    dashboard_choices,
    dashboard_organisation,
    dashboard_project,
    dashboard_projects,
    indicator_snapshots,
    network_rollup,
    oldest_computation,
    people_reached,
    portfolio_snapshot,
    report_projects,
    stale_count,
)

PROJECTS_PER_PAGE = 25


@login_required
def portfolio_home(request: HttpRequest) -> HttpResponse:
    """The projects the user may see, with funders, budget and indicators by status."""
    page = Paginator(projects_for_portfolio(request.user), PROJECTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for project in page.object_list:
        snapshot = getattr(project, "snapshot", None)
        rows.append(
            {
                "project": project,
                "fundings": funding_rows(project),
                "by_status": [(s, getattr(snapshot, s, 0)) for s in STATUS_ORDER],
                "indicator_total": snapshot.indicators if snapshot else 0,
                "computed_at": snapshot.computed_at if snapshot else None,
            }
        )
    can_start = request.user.is_authenticated and managed_organisations(request.user).exists()
    return render(
        request, "portfolio/home.html", {"rows": rows, "page": page, "can_start": can_start}
    )


@login_required
def dashboards(request: HttpRequest) -> HttpResponse:
    """The dashboards the user may open; straight to it when there is only one."""
    choices = dashboard_choices(request.user)
    if len(choices) == 1 and len(choices[0].kinds) == 1:
        return redirect("dashboard", pk=choices[0].organisation.pk, kind=choices[0].kinds[0])
    return render(request, "dashboards/index.html", {"choices": choices})


@login_required
def dashboard(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A portfolio at a glance: approved figures only, read from snapshots."""
    organisation = dashboard_organisation(request.user, pk, kind)
    page = Paginator(
        dashboard_projects(request.user, organisation, kind), PROJECTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = []
    burn = burn_rates(list(page.object_list), today=timezone.localdate())
    for project in page.object_list:
        snapshot = getattr(project, "snapshot", None)
        counts = {s: getattr(snapshot, s, 0) for s in STATUS_ORDER} if snapshot else {}
        rows.append(
            {
                "project": project,
                "snapshot": snapshot,
                "segments": status_segments(counts),
                "counts": [(s, counts.get(s, 0)) for s in STATUS_ORDER],
                "share": contribution_share(project, project.own_fundings),
                "burn": burn.get(project.pk, []),
                "bar": progress_bar(
                    snapshot.overall_percent if snapshot else None,
                    None,
                    project.translated("title"),
                ),
            }
        )
    snapshot = portfolio_snapshot(organisation, kind)
    return render(
        request,
        "dashboards/portfolio.html",
        {
            "organisation": organisation,
            "kind": kind,
            "kind_label": PortfolioSnapshot.Kind(kind).label,
            "snapshot": snapshot,
            "totals": [(s, getattr(snapshot, s, 0)) for s in STATUS_ORDER] if snapshot else [],
            "segments": status_segments({s: getattr(snapshot, s) for s in STATUS_ORDER})
            if snapshot
            else [],
            "rows": rows,
            "page": page,
            "people": people_reached(request.user, organisation, kind, today=timezone.localdate()),
            "standard": organisation_results(request.user, organisation),
        },
    )


@login_required
def dashboard_project_page(
    request: HttpRequest, pk: int, kind: str, project_pk: int
) -> HttpResponse:
    organisation = dashboard_organisation(request.user, pk, kind)
    project = dashboard_project(request.user, organisation, kind, project_pk)
    indicators = indicator_snapshots(project)
    blocks = indicator_blocks(indicators)
    rollup = None
    if kind == PortfolioSnapshot.Kind.NETWORK:
        reported, rows = network_rollup(organisation, indicators)
        if reported:
            rollup = {"indicators": reported, "rows": rows}
    return render(
        request,
        "dashboards/project.html",
        {
            "organisation": organisation,
            "kind": kind,
            "project": project,
            "blocks": blocks,
            "rollup": rollup,
            "computed_at": oldest_computation(indicators),
            "stale": stale_count(indicators),
            "reported": reported_periods(project),
            # A funder's dashboard offers its own periodic report of each period.
            "funder": organisation if kind == PortfolioSnapshot.Kind.FUNDER else None,
        },
    )


def indicator_blocks(indicators: list[Indicator]) -> list[dict]:
    """The indicators grouped by result, each with the charts of its approved figures."""
    today = timezone.localdate()
    blocks = []
    for result, group in groupby(indicators, key=lambda i: i.result):
        items = []
        for indicator in group:
            snap = getattr(indicator, "snapshot", None)
            items.append(
                {
                    "indicator": indicator,
                    "snapshot": snap,
                    "bar": progress_bar(
                        snap.percent_of_target if snap else None,
                        snap.expected_percent if snap else None,
                        indicator.translated("name"),
                    ),
                    "categories": category_bars(snap.categories, name_of=category_name)
                    if snap
                    else [],
                    "periods": period_chart(snap.periods, indicator.target_value, today=today)
                    if snap and indicator.measure != Indicator.Measure.MILESTONE
                    else None,
                    "milestone_periods": milestone_periods(snap.periods, today=today)
                    if snap and indicator.measure == Indicator.Measure.MILESTONE
                    else None,
                }
            )
        blocks.append({"result": result, "items": items})
    return blocks


# What the API says, in JSON, for paths no API view handled: the words DRF uses.
API_DETAILS = {
    403: gettext_lazy("You do not have permission to perform this action."),
    404: gettext_lazy("Not found."),
    500: gettext_lazy("A server error occurred."),
}


def _error_page(request: HttpRequest, status: int, heading: str, explanation: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(API_DETAILS[status])}, status=status)
    context = {"code": status, "heading": heading, "explanation": explanation}
    return render(request, "error.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        404,
        gettext("Page not found"),
        gettext(
            "This page does not exist, or you may not see it. Check the address, or start "
            "again from your portfolio."
        ),
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        403,
        gettext("You may not do this"),
        gettext(
            "You can see this part of the portal but your role does not let you do this here. "
            "Your organisation's administrator can change your role."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page is drawn without the request's context: the failure may be the database
    that would tell who is signed in."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(API_DETAILS[500])}, status=500)
    return HttpResponseServerError(loader.render_to_string("500.html"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(output: IO[bytes], filename: str) -> FileResponse:
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX)


@login_required
def dashboard_report(request: HttpRequest, pk: int) -> FileResponse:
    """The indicator performance tracking table of a portfolio: a sheet per project."""
    kind = request.GET.get("kind", PortfolioSnapshot.Kind.FUNDER)
    organisation = dashboard_organisation(request.user, pk, kind)
    projects = report_projects(request.user, organisation, kind).iterator(chunk_size=500)
    title = _("%(organisation)s: %(portfolio)s") % {
        "organisation": organisation.name,
        "portfolio": PortfolioSnapshot.Kind(kind).label,
    }
    output = write_iptt(projects, title=title)
    return xlsx_response(output, f"iptt-{slugify(organisation.short_name)}-{kind}.xlsx")


OFFLINE_ASSETS = ("css/portal.css", "js/update-form.js", "js/offline.js")


@lru_cache(maxsize=1)
def _offline_version() -> str:
    """Changes whenever an asset the service worker keeps does, so devices fetch it anew."""
    digest = hashlib.sha256()
    for asset in OFFLINE_ASSETS:
        found = finders.find(asset)
        digest.update(Path(str(found)).read_bytes() if found else asset.encode())
    return digest.hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the root so that it may look after every page."""
    response = render(
        request,
        "offline/sw.js",
        {"version": _offline_version()},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
