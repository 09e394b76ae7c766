"""Writing a project's budget lines: every problem of a line named at once, nothing stored on
error, and a funder's lines never adding up to more than its funding."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import refuse_nul_and_oversize
from core.currencies import is_currency
from core.numbers import money
from partners.models import Organisation, User
from projects.models import Funding, Project
from projects.services.setup import require_setup
from reporting.models import BudgetLine

MAX_AMOUNT = Decimal("99999999999999.99")  # what the column holds


def _other_lines(lines: QuerySet[BudgetLine], line: BudgetLine | None) -> QuerySet[BudgetLine]:
    """The lines but the one being changed."""
    return lines if line is None else lines.exclude(pk=line.pk)


def _problems(
    *,
    project: Project,
    line: BudgetLine | None,
    name: str,
    year: int,
    amount: Decimal,
    currency: str,
    funding: Funding | None,
) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if not name.strip():
        add("name", _("Say what the line pays for."))
    elif len(name) > 200:
        add("name", _("A budget line's name has at most 200 characters."))
    first, last = project.start_date.year, project.end_date.year
    if not first <= year <= last:
        add(
            "year",
            _("The project runs from %(first)s to %(last)s: a line's year is one of those.")
            % {"first": first, "last": last},
        )
    if amount < 0:
        add("amount", _("An amount cannot be negative."))
    elif amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        add("amount", _("Give the amount in at most 14 digits and 2 decimals."))
    if not is_currency(currency):
        add(
            "currency",
            _("“%(currency)s” is not an ISO 4217 currency code.") % {"currency": currency},
        )
    if funding is not None:
        if funding.project_id != project.pk or not Funding.objects.filter(pk=funding.pk).exists():
            add("funding", _("Choose one of the project's confirmed fundings."))
        elif is_currency(currency) and funding.currency != currency:
            add(
                "currency",
                _(
                    "%(funder)s's funding is in %(funding)s: its lines are in %(funding)s too, "
                    "as the portal converts no currency."
                )
                % {"funder": funding.funder.name, "funding": funding.currency},
            )
        elif funding.amount is not None and amount <= MAX_AMOUNT:
            others = (
                _other_lines(BudgetLine.objects.filter(funding=funding), line).aggregate(
                    total=Sum("amount")
                )["total"]
            ) or Decimal(0)
            if others + amount > funding.amount:
                add(
                    "amount",
                    _(
                        "%(funder)s's lines would add up to %(total)s %(currency)s, more than its "
                        "funding of %(funding)s %(currency)s."
                    )
                    % {
                        "funder": funding.funder.name,
                        "total": money(others + amount),
                        "funding": money(funding.amount),
                        "currency": currency,
                    },
                )
    twin = _other_lines(
        BudgetLine.objects.filter(
            project=project, year=year, name__iexact=name.strip(), funding=funding
        ),
        line,
    )
    if name.strip() and twin.exists():
        add("name", _("The budget has this line for this year and funder already."))
    return problems


@transaction.atomic
def save_budget_line(
    *,
    project: Project,
    by: User,
    name: str,
    year: int,
    amount: Decimal,
    currency: str,
    funding: Funding | None = None,
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Add a line to the project's budget, or change `line`. Raises ValidationError with every
    problem by field."""
    require_setup(by, project)
    refuse_nul_and_oversize(name=name)
    if line is not None and line.project_id != project.pk:
        raise ValidationError(_("This line belongs to another project's budget."))
    # Lines of one funding are checked against it one save at a time.
    if funding is not None:
        Funding.objects.select_for_update().filter(pk=funding.pk).first()
    problems = _problems(
        project=project,
        line=line,
        name=name,
        year=year,
        amount=amount,
        currency=currency,
        funding=funding,
    )
    if problems:
        raise ValidationError(problems)
    line = line or BudgetLine(project=project, created_by=by)
    line.name, line.year, line.amount = name.strip(), year, amount
    line.currency, line.funding = currency, funding
    set_author(line, by)
    line.save()
    return line


@transaction.atomic
def remove_budget_line(*, line: BudgetLine, by: User) -> None:
    """Remove a line no report has spent on: expenditure keeps the line it was spent on."""
    require_setup(by, line.project)
    if line.expenditures.exists():
        raise ValidationError(
            _(
                "Period reports record money spent on %(line)s: it stays in the budget. Change "
                "its amount or its funding instead."
            )
            % {"line": line.name}
        )
    set_author(line, by)
    line.delete()


@transaction.atomic
def detach_declined_funding(*, project: Project, funder: Organisation, by: User) -> int:
    """The funder declined its part in the project: its budget lines stay (they say what
    money pays for, and expenditure is recorded on them) but no longer name it; the history
    tells who declined. Returns how many lines were detached."""
    lines = list(BudgetLine.objects.filter(project=project, funding__funder=funder))
    for line in lines:
        line.funding = None
        set_author(line, by)
        line.save()
    return len(lines)
