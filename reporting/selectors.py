"""Reading a project's budget: its lines by year, and the totals per currency, per year and
per funding, each against what was promised."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from projects.models import Funding, Project

from .models import BudgetLine


def budget_lines(project: Project) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(project=project).select_related("funding__funder")


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
