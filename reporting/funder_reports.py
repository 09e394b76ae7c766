"""What a periodic report for one funder holds: the period's approved reports (their answers,
the final beneficiaries by sex), the logframe with its current values, and the budget against
expenditure of that funder's lines. Read here once; the PDF and the DOCX only lay it out."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from indicators.models import Indicator, Period
from partners.models import Organisation, User
from partners.selectors import acting_organisations
from projects.models import Funding, Project
from projects.selectors import project_role

from .models import BudgetLine, Expenditure, PeriodReport
from .selectors import approved_period_reports


def funder_of_report(user: User | AnonymousUser, project: Project, pk: int) -> Organisation:
    """A confirmed funder of the project whose report the user may read: the project's own
    people read every funder's, a funder's people (and its network's) their own; else 404."""
    funding = Funding.objects.filter(project=project, funder_id=pk).select_related("funder").first()
    if funding is None:
        raise Http404
    if project_role(user, project) is None and pk not in acting_organisations(user):
        raise Http404
    return funding.funder


def report_funders(user: User | AnonymousUser, project: Project) -> list[Organisation]:
    """The confirmed funders whose periodic report the user may download (the rule of
    `funder_of_report`)."""
    funders = [
        funding.funder
        for funding in Funding.objects.filter(project=project).select_related("funder")
    ]
    if project_role(user, project) is not None:
        return funders
    mine = acting_organisations(user)
    return [funder for funder in funders if funder.pk in mine]


@dataclass(frozen=True)
class LogframeRow:
    level: str
    result: str
    indicator: Indicator
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    current: Decimal | None
    as_of: date | None


@dataclass(frozen=True)
class LineRow:
    line: BudgetLine
    spent_in_period: Decimal
    spent_to_date: Decimal


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    budgeted: Decimal
    spent_in_period: Decimal
    spent_to_date: Decimal


@dataclass(frozen=True)
class FunderReport:
    project: Project
    period: Period
    funder: Organisation
    reports: list[PeriodReport]  # approved only, whoever reads
    women: int | None
    men: int | None
    logframe: list[LogframeRow]
    lines: list[LineRow]
    totals: list[CurrencyTotal]


def _total(counts: list[int | None]) -> int | None:
    given = [count for count in counts if count is not None]
    return sum(given) if given else None


def funder_report(project: Project, period: Period, funder: Organisation) -> FunderReport:
    """Approved content only: this is what goes to the funder."""
    reports = approved_period_reports(project, period)
    logframe = []
    for indicator in (
        Indicator.objects.filter(project=project)
        .select_related("result", "snapshot")
        .order_by("result__order", "result__number", "order", "code")
    ):
        result = indicator.result
        snapshot = getattr(indicator, "snapshot", None)
        logframe.append(
            LogframeRow(
                level=result.get_level_display() if result else "",
                result=f"{result.number} {result.translated('title')}" if result else "",
                indicator=indicator,
                baseline=indicator.baseline_value,
                baseline_year=indicator.baseline_date.year if indicator.baseline_date else None,
                target=indicator.target_value,
                current=snapshot.achieved if snapshot is not None else None,
                as_of=snapshot.last_update if snapshot is not None else None,
            )
        )
    lines = list(
        BudgetLine.objects.filter(project=project, funding__funder=funder).order_by("year", "name")
    )
    approved = Expenditure.objects.filter(
        line__in=lines, report__status=PeriodReport.Status.APPROVED
    ).values_list("line_id", "amount", "report__period_id", "report__period__end")
    in_period: dict[int, Decimal] = {}
    to_date: dict[int, Decimal] = {}
    for line_id, amount, period_id, end in approved:
        if period_id == period.pk:
            in_period[line_id] = in_period.get(line_id, Decimal(0)) + amount
        if end <= period.end:
            to_date[line_id] = to_date.get(line_id, Decimal(0)) + amount
    rows = [
        LineRow(line, in_period.get(line.pk, Decimal(0)), to_date.get(line.pk, Decimal(0)))
        for line in lines
    ]
    totals: dict[str, list[Decimal]] = {}
    for row in rows:
        total = totals.setdefault(row.line.currency, [Decimal(0)] * 3)
        total[0] += row.line.amount
        total[1] += row.spent_in_period
        total[2] += row.spent_to_date
    return FunderReport(
        project=project,
        period=period,
        funder=funder,
        reports=reports,
        women=_total([report.women for report in reports]),
        men=_total([report.men for report in reports]),
        logframe=logframe,
        lines=rows,
        totals=[CurrencyTotal(currency, *sums) for currency, sums in sorted(totals.items())],
    )
