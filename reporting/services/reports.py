"""Writing a period report: its answers, its final beneficiaries by sex and its expenditure by
budget line, every problem named at once and nothing stored on error; then the same review as
a progress update's (reporting.workflow)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import refuse_nul_and_oversize
from core.currencies import is_currency
from indicators.models import Period
from indicators.services.checks import Conflict
from partners.models import Organisation, User
from projects.models import Project
from projects.selectors import reporting_organisations
from reporting import workflow
from reporting.models import BudgetLine, Expenditure, PeriodReport
from reporting.selectors import prompts_of

from .budget import MAX_AMOUNT
from .files import forget_report_files

Status = PeriodReport.Status
MAX_PEOPLE = 2_000_000_000


@dataclass(frozen=True)
class ExpenditureInput:
    line: BudgetLine
    amount: Decimal
    currency: str = ""  # the line's, when not given
    evidence_url: str = ""


def _expenditure_problems(
    project: Project, period: Period, expenditures: Sequence[ExpenditureInput]
) -> list[str]:
    problems = []
    seen: set[int] = set()
    url = URLValidator(schemes=["http", "https"])
    for spent in expenditures:
        line = spent.line
        label = f"{line.year} · {line.name}"
        if line.project_id != project.pk:
            problems.append(_("%(line)s is not a line of this project's budget.") % {"line": label})
            continue
        if line.pk in seen:
            problems.append(_("%(line)s is given twice.") % {"line": label})
        seen.add(line.pk)
        if not period.start.year <= line.year <= period.end.year:
            problems.append(
                _(
                    "%(line)s is budgeted for %(year)s, outside the period %(period)s "
                    "(%(start)s to %(end)s)."
                )
                % {
                    "line": label,
                    "year": line.year,
                    "period": period.name,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                }
            )
        currency = spent.currency.strip().upper() or line.currency
        if not is_currency(currency):
            problems.append(
                _("%(line)s: “%(currency)s” is not an ISO 4217 currency code.")
                % {"line": label, "currency": spent.currency}
            )
        elif currency != line.currency:
            problems.append(
                _(
                    "%(line)s is budgeted in %(budgeted)s: what is spent on it is given in "
                    "%(budgeted)s too, as the portal converts no currency."
                )
                % {"line": label, "budgeted": line.currency}
            )
        if spent.amount < 0:
            problems.append(_("%(line)s: an amount cannot be negative.") % {"line": label})
        elif spent.amount > MAX_AMOUNT or spent.amount != spent.amount.quantize(Decimal("0.01")):
            problems.append(
                _("%(line)s: give the amount in at most 14 digits and 2 decimals.")
                % {"line": label}
            )
        if spent.evidence_url:
            try:
                url(spent.evidence_url)
            except ValidationError:
                problems.append(
                    _("%(line)s: the evidence is not a web address (http or https).")
                    % {"line": label}
                )
    return problems


def _check(
    *,
    project: Project,
    period: Period,
    organisation: Organisation,
    sections: Mapping[str, str],
    women: int | None,
    men: int | None,
    expenditures: Sequence[ExpenditureInput],
) -> None:
    problems: dict[str, list[str]] = {}
    if period.project_id != project.pk:
        problems["period"] = [_("The period is not one of this project's.")]
    asked = {key for key, _question in prompts_of(organisation)}
    unknown = sorted(key for key, text in sections.items() if key not in asked and text.strip())
    if unknown:
        problems["sections"] = [
            _("The report has no section %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    refuse_nul_and_oversize(**{key: text for key, text in sections.items() if key in asked})
    for field, count in (("women", women), ("men", men)):
        if count is None:
            continue
        if not isinstance(count, int) or isinstance(count, bool):
            problems[field] = [_("People are counted in whole numbers.")]
        elif not 0 <= count <= MAX_PEOPLE:
            problems[field] = [_("Give a number of people from 0 to 2,000,000,000.")]
    spent = _expenditure_problems(project, period, expenditures)
    if spent:
        problems["expenditures"] = spent
    if problems:
        raise ValidationError(problems)


def _refuse_locked(period: Period) -> None:
    if period.is_locked:
        raise Conflict(
            _(
                "The period %(period)s is locked: its report cannot change. Ask an "
                "administrator to unlock it if a correction is needed."
            )
            % {"period": period.name}
        )


@transaction.atomic
def save_report(
    *,
    project: Project,
    period: Period,
    organisation: Organisation,
    by: User,
    sections: Mapping[str, str],
    women: int | None,
    men: int | None,
    expenditures: Sequence[ExpenditureInput] = (),
    submit: bool = False,
) -> PeriodReport:
    """Write (or rewrite, while a draft or returned) the organisation's report on the period,
    its expenditure replacing what the report held; `submit` sends it for review at once."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    report = (
        PeriodReport.objects.select_for_update()
        .select_related("period")
        .filter(period=period, organisation=organisation)
        .first()
    )
    if report is None:
        if organisation not in reporting_organisations(by, project):
            raise PermissionDenied(
                _("You may not report for %(organisation)s on this project.")
                % {"organisation": organisation.name}
            )
        _refuse_locked(period)
    else:
        workflow.check(by, report, workflow.EDIT)
    _check(
        project=project,
        period=period,
        organisation=organisation,
        sections=sections,
        women=women,
        men=men,
        expenditures=expenditures,
    )
    if report is None:
        report = PeriodReport(project=project, period=period, organisation=organisation)
        report.created_by = by
    report.sections = {key: text.strip() for key, text in sections.items() if text.strip()}
    report.women, report.men = women, men
    report.changed_by = by
    set_author(report, by)
    report.save()
    _replace_expenditures(report, expenditures, by)
    if submit:
        return submit_report(report=report, by=by)
    return report


def _replace_expenditures(
    report: PeriodReport, expenditures: Sequence[ExpenditureInput], by: User
) -> None:
    """Make the report's expenditure what is given, changing each line's row in place (one
    save or delete per row, never in bulk) so that the history tells what changed on which
    line."""
    held = {spent.line_id: spent for spent in report.expenditures.all()}
    for given in expenditures:
        row = held.pop(given.line.pk, None) or Expenditure(report=report, line=given.line)
        if row.pk is None or (row.amount, row.evidence_url) != (given.amount, given.evidence_url):
            row.amount, row.evidence_url = given.amount, given.evidence_url
            set_author(row, by)
            row.save()
    for gone in held.values():
        set_author(gone, by)
        gone.delete()


def _begin(report: PeriodReport, by: User, action: str) -> PeriodReport:
    current = PeriodReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    workflow.check(by, current, action)
    set_author(current, by)
    return current


@transaction.atomic
def submit_report(*, report: PeriodReport, by: User) -> PeriodReport:
    current = _begin(report, by, workflow.SUBMIT)
    current.status = Status.SUBMITTED
    current.submitted_by, current.submitted_at = by, timezone.now()
    current.save()
    return current


@transaction.atomic
def approve_report(*, report: PeriodReport, by: User) -> PeriodReport:
    """Approve a submitted report: funders see it from now on. Nobody approves a report they
    wrote, changed or submitted, unless their organisation has a single manager."""
    current = _begin(report, by, workflow.APPROVE)
    current.status = Status.APPROVED
    current.reviewed_by, current.reviewed_at, current.review_note = by, timezone.now(), ""
    current.save()
    return current


@transaction.atomic
def return_report(*, report: PeriodReport, by: User, note: str) -> PeriodReport:
    current = _begin(report, by, workflow.RETURN)
    refuse_nul_and_oversize(note=note)
    if not note.strip():
        raise ValidationError({"note": [_("Say what needs correcting.")]})
    current.status = Status.RETURNED
    current.reviewed_by, current.reviewed_at, current.review_note = by, timezone.now(), note.strip()
    current.save()
    return current


@transaction.atomic
def reopen_report(*, report: PeriodReport, by: User, reason: str) -> PeriodReport:
    """Take an approved report back to its writers, for a correction: funders no longer see
    it until it is approved again."""
    current = _begin(report, by, workflow.REOPEN)
    refuse_nul_and_oversize(reason=reason)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the report is reopened.")]})
    current.status = Status.RETURNED
    current.reviewed_by, current.reviewed_at, current.review_note = (
        by,
        timezone.now(),
        reason.strip(),
    )
    current.save()
    return current


@transaction.atomic
def delete_report(*, report: PeriodReport, by: User) -> None:
    current = _begin(report, by, workflow.DELETE)
    stored = list(current.files.values_list("file", flat=True))
    set_author(current, by)
    current.delete()
    forget_report_files(stored)
