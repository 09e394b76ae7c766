"""Reading a project's budget (its lines by year, the totals per currency, per year and per
funding, each against what was promised) and its period reports, with who may read which."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext as _

from indicators import progress, wording
from indicators.history import AuditEntry, histories_of_many
from indicators.models import Indicator, Period
from indicators.models.snapshots import ProjectSnapshot
from partners.models import Organisation, User
from partners.selectors import acting_organisations
from projects.models import Funding, Project
from projects.selectors import (
    projects_by_access,
    reporting_organisations,
    sees_provisional,
    visible_projects,
)

from .models import BudgetLine, Expenditure, PeriodReport, ReportFile, ReportPrompt
from .prompts import PROMPTS


def standing_funding(path: str = "funding") -> Prefetch:
    """A budget line's funding as the portal counts it (projects.models.standing): None while
    its funder has yet to confirm its part, so that no page, file or answer names it."""
    return Prefetch(path, queryset=Funding.objects.select_related("funder"))


def budget_lines(project: Project) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project=project).prefetch_related(standing_funding())


@dataclass(frozen=True)
class FundingBudget:
    funding: Funding
    lined: Decimal  # what its lines add up to, in its currency
    unlined: Decimal | None  # what of its amount no line uses yet; None when it has no amount


@dataclass(frozen=True)
class Budget:
    lines: list[BudgetLine]
    by_year: dict[int, dict[str, Decimal]]  # year → currency → total
    by_currency: dict[str, Decimal]
    fundings: list[FundingBudget]


def budget_of(project: Project) -> Budget:
    """The project's budget lines and their totals, in two queries."""
    lines = list(budget_lines(project))
    by_year: dict[int, dict[str, Decimal]] = defaultdict(dict)
    by_currency: dict[str, Decimal] = {}
    by_funding: dict[int, Decimal] = {}
    for line in lines:
        year = by_year[line.year]
        year[line.currency] = year.get(line.currency, Decimal(0)) + line.amount
        by_currency[line.currency] = by_currency.get(line.currency, Decimal(0)) + line.amount
        if line.funding_id is not None:
            by_funding[line.funding_id] = by_funding.get(line.funding_id, Decimal(0)) + line.amount
    fundings = [
        FundingBudget(
            funding=funding,
            lined=by_funding.get(funding.pk, Decimal(0)),
            unlined=(
                None
                if funding.amount is None
                else funding.amount - by_funding.get(funding.pk, Decimal(0))
            ),
        )
        for funding in Funding.objects.filter(project=project).select_related("funder")
    ]
    return Budget(
        lines=lines,
        by_year={year: dict(sorted(totals.items())) for year, totals in sorted(by_year.items())},
        by_currency=dict(sorted(by_currency.items())),
        fundings=fundings,
    )


def reports_of_period(
    user: User | AnonymousUser, project: Project, period: Period
) -> list[PeriodReport]:
    """The reports on the period the user may read, with their expenditure: all of them for
    the people working on the project, the approved ones for its funders."""
    reports = (
        PeriodReport.objects.filter(period=period)
        .select_related("organisation", "period", "reviewed_by")
        .prefetch_related(
            "organisation__report_prompts",
            "files",
            Prefetch(
                "expenditures",
                queryset=Expenditure.objects.select_related("line").prefetch_related(
                    standing_funding("line__funding")
                ),
            ),
        )
        .order_by("organisation__name")
    )
    if not sees_provisional(user, project):
        reports = reports.filter(status=PeriodReport.Status.APPROVED)
    return list(reports)


def organisations_to_write(
    user: User | AnonymousUser,
    project: Project,
    reports: Sequence[PeriodReport],
    editing: PeriodReport | None,
) -> list[Organisation]:
    """Whom the user may write the period's report for now: the organisation of the report
    they may change, or else those they report for whose report is not written yet."""
    if editing is not None:
        return [editing.organisation]
    written = {report.organisation_id for report in reports}
    return [o for o in reporting_organisations(user, project) if o.pk not in written]


def approved_period_reports(project: Project, period: Period) -> list[PeriodReport]:
    """The period's approved reports, with their expenditure: what every reader may see."""
    return list(
        PeriodReport.objects.filter(
            project=project, period=period, status=PeriodReport.Status.APPROVED
        )
        .select_related("organisation")
        .prefetch_related(
            "organisation__report_prompts",
            "files",
            Prefetch(
                "expenditures",
                queryset=Expenditure.objects.select_related("line").prefetch_related(
                    standing_funding("line__funding")
                ),
            ),
        )
        .order_by("organisation__name")
    )


def prompts_of(organisation: Organisation) -> list[tuple[str, str]]:
    """(key, question in the reader's language) of the prompts the organisation's reports
    answer now: its own, or the portal's four when it has set none."""
    own = [
        (prompt.key, prompt.translated("text"))
        for prompt in ReportPrompt.objects.filter(organisation=organisation, retired_at=None)
    ]
    return own or [(key, str(prompt)) for key, prompt in PROMPTS.items()]


def prompts_for_editing(organisation: Organisation) -> QuerySet[ReportPrompt]:
    return ReportPrompt.objects.filter(organisation=organisation).order_by(
        F("retired_at").asc(nulls_first=True), "order", "pk"
    )


def period_of(project: Project, pk: int) -> Period:
    try:
        return Period.objects.get(project=project, pk=pk)
    except Period.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PeriodFigure:
    indicator: Indicator
    target: Decimal | None
    achieved: Decimal | None  # approved figures dated in the period, or reported for it
    to_date: Decimal | None


def period_figures(project: Project, period: Period) -> list[PeriodFigure]:
    """Each indicator's approved figure for the period, read from its snapshot."""
    rows = []
    for indicator in (
        Indicator.objects.filter(project=project)
        .select_related("snapshot")
        .order_by("order", "code")
    ):
        snapshot = getattr(indicator, "snapshot", None)
        found: dict = next(
            (
                row
                for row in (snapshot.periods if snapshot is not None else [])
                if row.get("start") == period.start.isoformat()
            ),
            {},
        )
        rows.append(
            PeriodFigure(
                indicator=indicator,
                target=_number(found.get("target_value")),
                achieved=_number(found.get("achieved_value")),
                to_date=_number(found.get("cumulative_value")),
            )
        )
    return rows


def _number(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def burn_rates(projects: Sequence[Project], *, today: date) -> dict[int, list[str]]:
    """For each project, a sentence per currency putting its approved expenditure beside its
    budget lines, its average progress and the time elapsed; in three queries whatever the
    number of projects. Projects without budget lines or expenditure have none."""
    ids = [project.pk for project in projects]
    budget: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for project_id, currency, total in (
        BudgetLine.objects.filter(project_id__in=ids)
        .values_list("project_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        budget[project_id][currency] = total
    spent: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for project_id, currency, total in (
        Expenditure.objects.filter(
            report__project_id__in=ids, report__status=PeriodReport.Status.APPROVED
        )
        .values_list("report__project_id", "line__currency")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        spent[project_id][currency] = total
    overall = dict(
        ProjectSnapshot.objects.filter(project_id__in=ids).values_list(
            "project_id", "overall_percent"
        )
    )
    sentences = {}
    for project in projects:
        if project.pk not in budget and project.pk not in spent:
            continue
        elapsed = progress.time_elapsed_percent(project.start_date, project.end_date, today)
        sentences[project.pk] = [
            wording.burn_rate(row, overall.get(project.pk), elapsed)
            for row in progress.burn(budget.get(project.pk, {}), spent.get(project.pk, {}))
        ]
    return sentences


def visible_reports(user: User | AnonymousUser) -> QuerySet[PeriodReport]:
    """Period reports the user may read: all on projects they work on, approved ones on projects
    they only see (as funders)."""
    if not user.is_authenticated or not user.is_active:
        return PeriodReport.objects.none()
    if user.is_superuser:
        return PeriodReport.objects.all()
    working, seen = projects_by_access(acting_organisations(user))
    return PeriodReport.objects.filter(
        Q(project_id__in=working) | Q(project_id__in=seen, status=PeriodReport.Status.APPROVED)
    )


def visible_budget_lines(user: User | AnonymousUser) -> QuerySet[BudgetLine]:
    """The budget lines of the projects the user sees, as the budget page shows them (with
    `standing_funding`)."""
    return BudgetLine.objects.filter(project__in=visible_projects(user)).prefetch_related(
        standing_funding()
    )


def readable_report(user: User | AnonymousUser, pk: int) -> PeriodReport:
    """A period report the user may read (the rule of `visible_reports`), or 404."""
    report = visible_reports(user).filter(pk=pk).select_related("period").first()
    if report is None:
        raise Http404
    return report


def readable_report_file(user: User | AnonymousUser, pk: int) -> ReportFile:
    """A file of a period report the user may read, or 404."""
    attached = (
        ReportFile.objects.filter(pk=pk, report__in=visible_reports(user))
        .select_related("report__period")
        .first()
    )
    if attached is None:
        raise Http404
    return attached


def report_histories(reports: Sequence[PeriodReport]) -> dict[int, list[AuditEntry]]:
    """Each report's history, newest first, with its expenditure and files: four queries for
    any number of reports."""
    ids = [report.pk for report in reports]

    def line_label(row: Any) -> str:
        line = row.line
        return _("expenditure on %(line)s") % {"line": f"{line.year} · {line.name}"}

    def part_subject(row: Any) -> str:
        if row.instance_type is Expenditure:
            return line_label(row)
        return _("file %(name)s") % {"name": row.name}

    parts = list(Expenditure.history.filter(report_id__in=ids).select_related("line")) + list(
        ReportFile.history.filter(report_id__in=ids)
    )
    histories = histories_of_many(
        list(PeriodReport.history.filter(id__in=ids)),
        parts,
        part_owner=lambda row: row.report_id,
        part_subject=part_subject,
    )
    return {pk: histories.get(pk, []) for pk in ids}


@dataclass(frozen=True)
class ReportedPeriod:
    period: Period
    organisations: list[Organisation]  # those whose report on it is approved


def reported_periods(project: Project) -> list[ReportedPeriod]:
    """The project's periods with an approved report, newest first, in one query: what a
    funder's dashboard links to."""
    reported: dict[int, ReportedPeriod] = {}
    for report in (
        PeriodReport.objects.filter(project=project, status=PeriodReport.Status.APPROVED)
        .select_related("period", "organisation")
        .order_by("-period__start", "organisation__name")
    ):
        reported.setdefault(
            report.period_id, ReportedPeriod(period=report.period, organisations=[])
        ).organisations.append(report.organisation)
    return list(reported.values())
