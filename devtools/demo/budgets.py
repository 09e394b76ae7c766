"""The demo's budget lines and period reports. Every amount and every text here is illustrative
(the seed documents give no budget by line and no period report) and says so: budget lines are
named "(illustrative)", report texts begin "Illustrative". A funder's lines stay within its
funding where the document gives one (setec: 16,322 EUR of Mano a Mano's 69,966 EUR)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from indicators.models import Period
from partners.models import Organisation, User
from projects.models import Funding, Project
from reporting import services
from reporting.models import BudgetLine, PeriodReport

D = Decimal
CENT = D("0.01")

# project code → [(year, line name, funder short name or None, amount, currency)]
BUDGETS: dict[str, list[tuple[int, str, str | None, Decimal, str]]] = {
    "mam-la-ensenada": [
        (2024, "Training of the women builders (illustrative)", "setec", D(8000), "EUR"),
        (2025, "Materials for green spaces (illustrative)", "setec", D(8322), "EUR"),
        (2023, "Preparation with the neighbourhood leaders (illustrative)", None, D(2000), "EUR"),
        (2024, "Community canteens and staff (illustrative)", None, D(26822), "EUR"),
        (2025, "Community canteens and staff (illustrative)", None, D(24822), "EUR"),
    ],
    "circular-la-victoria-el-agustino": [
        (2025, "Training and technical assistance (illustrative)", "EU", D(60000), "EUR"),
        (2026, "Training and technical assistance (illustrative)", "EU", D(60000), "EUR"),
    ],
    "lid-displacement-integration": [
        (2024, "Employment and protection activities (illustrative)", "LiD", D(50000), "EUR"),
        (2025, "Employment and protection activities (illustrative)", "LiD", D(100000), "EUR"),
        (2026, "Employment and protection activities (illustrative)", "LiD", D(100000), "EUR"),
    ],
    "santa-anita-public-spaces": [
        (2023, "Platform and public spaces (illustrative)", None, D(7500), "USD"),
        (2024, "Platform and public spaces (illustrative)", None, D(15000), "USD"),
        (2025, "Platform and public spaces (illustrative)", None, D(15000), "USD"),
        (2026, "Platform and public spaces (illustrative)", None, D(15000), "USD"),
    ],
    "conamovidi-network": [
        (2025, "Leadership training (illustrative)", "Huairou", D(20000), "USD"),
        (2026, "Leadership training (illustrative)", "Huairou", D(20000), "USD"),
    ],
}
# The share of a year's line spent in a half-year ending in June, and in one ending later.
SPENT_BY_JUNE, SPENT_BY_DECEMBER = D("0.45"), D("0.50")
ILLUSTRATIVE = {
    "achievements": (
        "Illustrative text for the demo portfolio: what was achieved in {period} is in the "
        "approved indicator figures below."
    ),
    "difficulties": "Illustrative text for the demo portfolio: no difficulty is recorded.",
}


def load_budgets_and_reports(
    reporters: dict[str, tuple[User, User]], organisations: dict[str, Organisation]
) -> int:
    """Budget lines for every demo project and an approved report, with its expenditure, for
    each period that has ended; returns how many reports the demo holds. Loading again
    converges."""
    today = timezone.localdate()
    for code, rows in BUDGETS.items():
        project = Project.objects.get(code=code)
        editor, manager = reporters[code]
        lines = []
        for year, name, funder, amount, currency in rows:
            funding = (
                Funding.objects.get(project=project, funder=organisations[funder])
                if funder
                else None
            )
            line = BudgetLine.objects.filter(
                project=project, year=year, name=name, funding=funding
            ).first() or services.save_budget_line(
                project=project,
                by=manager,
                name=name,
                year=year,
                amount=amount,
                currency=currency,
                funding=funding,
            )
            lines.append(line)
        organisation = editor.memberships.get().organisation
        for period in Period.objects.filter(project=project, end__lt=today).order_by("start"):
            if PeriodReport.objects.filter(period=period, organisation=organisation).exists():
                continue
            report = services.save_report(
                project=project,
                period=period,
                organisation=organisation,
                by=editor,
                sections={
                    key: text.format(period=period.name) for key, text in ILLUSTRATIVE.items()
                },
                women=None,
                men=None,
                expenditures=[
                    services.ExpenditureInput(line=line, amount=_spent(line, period.end))
                    for line in lines
                    if period.start.year <= line.year <= period.end.year
                ],
                submit=True,
            )
            services.approve_report(report=report, by=manager)
    return PeriodReport.objects.filter(project__code__in=BUDGETS).count()


def _spent(line: BudgetLine, end: date) -> Decimal:
    share = SPENT_BY_JUNE if end.month <= 6 else SPENT_BY_DECEMBER
    return (line.amount * share).quantize(CENT, rounding=ROUND_HALF_UP)
