"""Progress updates: recording, editing and the review workflow.

draft → submitted → approved, or returned (with a note) → resubmitted; an approved update is
changed only by reopening it. Every function checks who may act, refuses anything in a locked
period, refuses a stale version, records who did what in the audit history, and stores all or
nothing.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from partners.models import Membership, Organisation, User
from projects.models import Project
from projects.selectors import has_role, reporting_organisations
from webhooks.services import update_reviewed

from .. import progress
from ..history import IMPORT_REASON
from ..models import Category, Indicator, IndicatorDimension, Period, ProgressUpdate, UpdateValue
from . import workflow
from .checks import Problems, fraction_refusal, problem_message, refuse_nul_and_oversize
from .evidence import check_evidence_file, forget_evidence_file
from .snapshots import approved_figures_changed

Status = ProgressUpdate.Status


class StaleUpdate(Exception):
    """The update changed since the form was loaded: nothing was saved."""

    def __init__(self, current: ProgressUpdate):
        super().__init__(f"Update {current.pk} is now at version {current.version}.")
        self.current = current


@dataclass(frozen=True)
class Figures:
    """What a person reports: the figures of one update."""

    as_of: date | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    parts: Mapping[Category, Decimal] | None = None
    narrative: str = ""
    evidence_url: str = ""
    # The reporting period chosen; the as-of date then defaults to its end (today while it runs)
    # and, when given, must fall inside it.
    period: Period | None = None


@dataclass(frozen=True)
class Checked:
    """Figures that passed every check, with what follows from them."""

    as_of: date
    value: Decimal | None
    period: Period | None


def _require(user: User, project: Project, role: str) -> None:
    if not has_role(user, project, role):
        raise PermissionDenied(_("You may not do this on this project."))


def _period_for(project: Project, as_of: date) -> Period | None:
    """The period the date falls in, its row locked until the transaction ends, so that no
    update commits into a period while it is being locked."""
    return (
        Period.objects.select_for_update()
        .filter(project=project, start__lte=as_of, end__gte=as_of)
        .order_by("start")
        .first()
    )


def _lock_period_row(period_id: int | None) -> Period | None:
    if period_id is None:
        return None
    return Period.objects.select_for_update().get(pk=period_id)


def _refuse_locked(period: Period | None) -> None:
    if period is not None and period.is_locked:
        raise workflow.Conflict(
            {
                "as_of": _(
                    "The period %(period)s is locked: it has been reported. Ask a manager "
                    "to unlock it if a correction is needed."
                )
                % {"period": period.name}
            }
        )


def _lock_row(update: ProgressUpdate, expected_version: int | None) -> ProgressUpdate:
    """Re-read the update under a row lock and refuse it if someone changed it meanwhile."""
    current = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleUpdate(current)
    return current


def _validate_figures(*, indicator: Indicator, figures: Figures, value: Decimal | None) -> None:
    measure = indicator.measure
    numerator, denominator = figures.numerator, figures.denominator
    for field, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            raise ValidationError({field: _("Values cannot be negative.")})
    whole = progress.takes_whole_numbers(measure, indicator.whole_numbers)
    fractions = {
        field: fraction_refusal(number, indicator.translated("unit"))
        for field, number in (
            ("value", value),
            ("numerator", numerator),
            ("denominator", denominator),
        )
        if field in whole and number is not None and not progress.is_whole(number)
    }
    if fractions:
        raise ValidationError(fractions)
    if measure == Indicator.Measure.PERCENTAGE:
        if (numerator is None) != (denominator is None):
            raise ValidationError(
                {"denominator": _("Give both the numerator and the denominator.")}
            )
        if denominator is not None and numerator is not None:
            if denominator == 0:
                raise ValidationError({"denominator": _("The denominator cannot be zero.")})
            if numerator > denominator:
                raise ValidationError(
                    {"numerator": _("The numerator cannot be larger than the denominator.")}
                )
        elif indicator.aggregation == Indicator.Aggregation.SUM:
            raise ValidationError(
                {
                    "numerator": _(
                        "This percentage adds up over updates: give a numerator and a denominator."
                    )
                }
            )
        elif value is None:
            raise ValidationError({"value": _("Give the percentage reached.")})
        elif value > 100:
            raise ValidationError({"value": _("A percentage cannot be above 100 %.")})
    elif measure == Indicator.Measure.MILESTONE:
        if value not in (Decimal(0), Decimal(1)):
            raise ValidationError({"value": _("Say whether the milestone is done.")})
    elif measure == Indicator.Measure.QUALITATIVE:
        if value is not None or numerator is not None:
            raise ValidationError(
                {"value": _("A qualitative indicator takes a narrative, not numbers.")}
            )
        if not figures.narrative.strip():
            raise ValidationError({"narrative": _("Describe the progress made.")})
    elif value is None:
        raise ValidationError({"value": _("Give the value achieved.")})


def _validate_parts(
    *,
    indicator: Indicator,
    value: Decimal | None,
    parts: Mapping[Category, Decimal],
    links: Sequence[IndicatorDimension] | None = None,
) -> Decimal | None:
    """Check the per-category values; return the total, derived from them where it may be."""
    if links is None:
        links = list(indicator.indicator_dimensions.select_related("dimension"))
    uses = {link.dimension_id: link for link in links}
    for category in parts:
        if category.dimension_id not in uses:
            raise ValidationError(
                {
                    "values": _("%(category)s is not a category of this indicator.")
                    % {"category": category.name}
                }
            )
    if not parts:
        return value
    if indicator.measure in (Indicator.Measure.MILESTONE, Indicator.Measure.QUALITATIVE):
        raise ValidationError({"values": _("This indicator takes no values per category.")})
    if "parts" in progress.takes_whole_numbers(indicator.measure, indicator.whole_numbers):
        fractions = [
            f"{category.translated('name')}: "
            + fraction_refusal(amount, indicator.translated("unit"))
            for category, amount in parts.items()
            if not progress.is_whole(amount)
        ]
        if fractions:
            raise ValidationError({"values": fractions})
    exhaustive = [link.dimension.slug for link in uses.values() if link.exhaustive]
    keyed = {(c.dimension.slug, c.slug): amount for c, amount in parts.items()}
    if value is None:
        value = progress.total_from_parts(keyed, exhaustive)
    problems = progress.check_parts(value, keyed, exhaustive)
    if problems:
        raise ValidationError({"values": [problem_message(code) for _where, code in problems]})
    return value


def _when(
    *,
    project: Project,
    figures: Figures,
    today: date,
    periods: Sequence[Period] | None,
) -> tuple[date, Period | None]:
    """The as-of date and the period an update is filed under.

    A chosen period decides where the update lands; the date defaults to the period's end, or
    to today while the period runs, and a date given with it must fall inside it. Without a
    period, the date decides, and the update lands in the period that contains it."""
    period, as_of = figures.period, figures.as_of
    if period is not None:
        if period.project_id != project.pk:
            raise ValidationError({"period": _("This period belongs to another project.")})
        if period.start > today:
            raise ValidationError(
                {
                    "period": _(
                        "The period %(period)s has not started yet: it starts on %(start)s."
                    )
                    % {"period": period.name, "start": date_format(period.start)}
                }
            )
        if as_of is None:
            as_of = min(period.end, today)
        elif not period.start <= as_of <= period.end:
            raise ValidationError(
                {
                    "as_of": _(
                        "The as-of date %(date)s is outside the period %(period)s "
                        "(%(start)s to %(end)s): choose a date inside it, or the period that "
                        "contains the date."
                    )
                    % {
                        "date": date_format(as_of),
                        "period": period.name,
                        "start": date_format(period.start),
                        "end": date_format(period.end),
                    }
                }
            )
    if as_of is None:
        raise ValidationError({"as_of": _("Give the as-of date or choose a reporting period.")})
    if as_of > today:
        raise ValidationError(
            {"as_of": _("The as-of date %(date)s is in the future.") % {"date": date_format(as_of)}}
        )
    if not project.start_date <= as_of <= project.end_date:
        raise ValidationError(
            {
                "as_of": _("The as-of date must fall within the project (%(start)s to %(end)s).")
                % {"start": date_format(project.start_date), "end": date_format(project.end_date)}
            }
        )
    if period is None:
        if periods is None:
            period = _period_for(project, as_of)
        else:
            period = next((p for p in periods if p.start <= as_of <= p.end), None)
    elif periods is None:
        period = _lock_period_row(period.pk)
    else:  # the batch's own locked row, not the caller's copy
        period = next((p for p in periods if p.pk == period.pk), period)
    _refuse_locked(period)
    return as_of, period


def _checked(
    *,
    indicator: Indicator,
    figures: Figures,
    today: date | None,
    links: Sequence[IndicatorDimension] | None = None,
    periods: Sequence[Period] | None = None,
) -> Checked:
    """Validate everything about the figures and say every problem at once; return the date,
    the total to store and the period. A batch passes the indicator's disaggregation and the
    project's periods (locked) in."""
    problems = Problems()
    try:
        refuse_nul_and_oversize(narrative=figures.narrative, evidence_url=figures.evidence_url)
    except ValidationError as error:
        problems.add(error)
    when: tuple[date, Period | None] | None = None
    try:
        when = _when(
            project=indicator.project,
            figures=figures,
            today=today or timezone.localdate(),
            periods=periods,
        )
    except ValidationError as error:
        problems.add(error)
    value = figures.value
    parts_refused = False
    try:
        value = _validate_parts(
            indicator=indicator, value=figures.value, parts=figures.parts or {}, links=links
        )
    except ValidationError as error:
        problems.add(error)
        parts_refused = True
    # A total left to be computed from refused parts is not missing: the parts' message says it.
    if not (parts_refused and value is None):
        try:
            _validate_figures(indicator=indicator, figures=figures, value=value)
        except ValidationError as error:
            problems.add(error)
    problems.raise_any()
    assert when is not None
    return Checked(as_of=when[0], value=value, period=when[1])


@transaction.atomic
def check_update(*, indicator: Indicator, figures: Figures, today: date | None = None) -> None:
    """Raise every problem the figures have, storing nothing: a form whose own fields failed
    shows these beside its own errors."""
    _checked(indicator=indicator, figures=figures, today=today)


def _reporting_for(
    user: User, project: Project, organisation: Organisation | None
) -> Organisation | None:
    """The organisation a new update is reported for: one the user is an editor (or more) for.
    With a single choice it need not be given."""
    return _choose_organisation(reporting_organisations(user, project), organisation)


def _choose_organisation(
    choices: Sequence[Organisation], organisation: Organisation | None
) -> Organisation | None:
    if organisation is None:
        if len(choices) == 1:
            return choices[0]
        if choices:
            raise ValidationError(
                {"organisation": _("Say which organisation you are reporting for.")}
            )
        return None  # a superuser who is a member of no partner
    if organisation not in choices:
        raise ValidationError(
            {"organisation": _("You cannot report for %(name)s.") % {"name": organisation.name}}
        )
    return organisation


def _save(update: ProgressUpdate, user: User) -> None:
    update.version += 1
    update._history_user = user  # type: ignore[attr-defined]
    update.save()


def _write_parts(update: ProgressUpdate, parts: Mapping[Category, Decimal], user: User) -> None:
    """Bring the per-category values in line with `parts`, each change in the history."""
    existing = {value.category_id: value for value in update.values.all()}
    kept = {category.pk for category in parts}
    for category_id, stale in existing.items():
        if category_id not in kept:
            stale._history_user = user  # type: ignore[attr-defined]
            stale.delete()
    new_rows: list[UpdateValue] = []
    for category, amount in parts.items():
        row = existing.get(category.pk)
        if row is None:
            new_rows.append(UpdateValue(update=update, category=category, value=amount))
        elif row.value != amount:
            row.value = amount
            row._history_user = user  # type: ignore[attr-defined]
            row.save()
    if new_rows:
        bulk_create_with_history(new_rows, UpdateValue, default_user=user)


@transaction.atomic
def create_update(
    *,
    indicator: Indicator,
    author: User,
    figures: Figures,
    evidence_file: UploadedFile | None = None,
    organisation: Organisation | None = None,
    submit: bool = False,
    is_illustrative: bool = False,
    request_key: uuid.UUID | None = None,
    today: date | None = None,
) -> ProgressUpdate:
    """Record a progress update as a draft, or submit it straight away.

    A form sent twice with the same `request_key` (a double click, a resent request on a weak
    connection) records one update: the second call returns the first one's update.
    """
    project = indicator.project
    _require(author, project, Membership.Role.EDITOR)
    if request_key is not None:
        earlier = _sent_before(request_key, author)
        if earlier is not None:
            return earlier
    organisation = _reporting_for(author, project, organisation)
    checked = _checked(indicator=indicator, figures=figures, today=today)
    if evidence_file is not None:
        check_evidence_file(evidence_file)
    update = ProgressUpdate(
        indicator=indicator,
        period=checked.period,
        organisation=organisation,
        as_of=checked.as_of,
        value=checked.value,
        numerator=figures.numerator,
        denominator=figures.denominator,
        narrative=figures.narrative,
        evidence_url=figures.evidence_url,
        is_illustrative=is_illustrative,
        created_by=author,
        figures_changed_by=author,
        request_key=request_key,
        version=0,
    )
    if evidence_file is not None:
        update.evidence_file = evidence_file
    if submit:
        update.status = Status.SUBMITTED
        update.submitted_by = author
        update.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            _save(update, author)
    except IntegrityError:
        # The same form, sent at the same moment, was saved by the other request.
        earlier = _sent_before(request_key, author) if request_key else None
        if earlier is not None:
            return earlier
        if request_key is None:
            raise
        raise ValidationError(_("This form was already used: open it again to report.")) from None
    _write_parts(update, figures.parts or {}, author)
    return update


def _sent_before(request_key: uuid.UUID, author: User) -> ProgressUpdate | None:
    return ProgressUpdate.objects.filter(request_key=request_key, created_by=author).first()


def _figures_of(update: ProgressUpdate) -> tuple:
    parts = sorted((part.category_id, part.value) for part in update.values.all())
    return (update.as_of, update.value, update.numerator, update.denominator, tuple(parts))


def _new_figures(figures: Figures, checked: Checked) -> tuple:
    """The same shape as `_figures_of`, for figures about to be stored."""
    parts = sorted((category.pk, amount) for category, amount in (figures.parts or {}).items())
    return (checked.as_of, checked.value, figures.numerator, figures.denominator, tuple(parts))


@transaction.atomic
def edit_update(
    *,
    update: ProgressUpdate,
    user: User,
    expected_version: int,
    figures: Figures,
    evidence_file: UploadedFile | None = None,
    remove_evidence_file: bool = False,
    organisation: Organisation | None = None,
    submit: bool = False,
    today: date | None = None,
) -> ProgressUpdate:
    """Change a draft or returned update, unless someone changed it since `expected_version`.

    The update stays with the organisation it was reported for; whoever changes its figures
    may no longer approve it.
    """
    indicator = update.indicator
    current = _lock_row(update, expected_version)
    workflow.check(user, current, workflow.EDIT)
    _refuse_locked(_lock_period_row(current.period_id))
    if organisation is not None and organisation.pk != current.organisation_id:
        raise ValidationError(
            {"organisation": _("An update stays with the organisation it was reported for.")}
        )
    checked = _checked(indicator=indicator, figures=figures, today=today)
    if _new_figures(figures, checked) != _figures_of(current):
        current.figures_changed_by = user
    replaced_file = current.evidence_file.name if current.evidence_file else ""
    if evidence_file is not None:
        check_evidence_file(evidence_file)
        current.evidence_file = evidence_file
    elif remove_evidence_file:
        current.evidence_file = ""
    else:
        replaced_file = ""
    current.period = checked.period
    current.as_of = checked.as_of
    current.value = checked.value
    current.numerator = figures.numerator
    current.denominator = figures.denominator
    current.narrative = figures.narrative
    current.evidence_url = figures.evidence_url
    if submit:
        current.status = Status.SUBMITTED
        current.submitted_by = user
        current.submitted_at = timezone.now()
    _save(current, user)
    _write_parts(current, figures.parts or {}, user)
    if replaced_file:
        forget_evidence_file(replaced_file)
    return current


def _begin_transition(
    update: ProgressUpdate, user: User, *, action: str, expected_version: int | None
) -> ProgressUpdate:
    """What every transition checks first: the version read, that the user may take this action
    on this update now, and that its period is not locked. Returns the locked, current row."""
    current = _lock_row(update, expected_version)
    workflow.check(user, current, action)
    _refuse_locked(_lock_period_row(current.period_id))
    return current


def _required_text(field: str, text: str, message: str) -> str:
    refuse_nul_and_oversize(**{field: text})
    if not text.strip():
        raise ValidationError({field: message})
    return text.strip()


@transaction.atomic
def submit_update(
    *, update: ProgressUpdate, user: User, expected_version: int | None = None
) -> ProgressUpdate:
    current = _begin_transition(
        update, user, action=workflow.SUBMIT, expected_version=expected_version
    )
    current.status = Status.SUBMITTED
    current.submitted_by = user
    current.submitted_at = timezone.now()
    _save(current, user)
    return current


@transaction.atomic
def approve_update(
    *, update: ProgressUpdate, reviewer: User, expected_version: int | None = None
) -> ProgressUpdate:
    """Approve a submitted update. Nobody approves figures they entered, changed or submitted,
    unless the update's organisation has a single manager and says so."""
    current = _begin_transition(
        update, reviewer, action=workflow.APPROVE, expected_version=expected_version
    )
    current.status = Status.APPROVED
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    current.review_note = ""
    _save(current, reviewer)
    approved_figures_changed(current.indicator_id)
    update_reviewed(update_id=current.pk, event="update.approved")
    return current


@transaction.atomic
def approve_updates(
    *, updates: Sequence[tuple[ProgressUpdate, int]], by: User
) -> list[ProgressUpdate]:
    """Approve several updates, each at the version the reviewer saw, or none of them: every
    refusal is named, and nothing is approved while one remains."""
    approved = []
    problems: list[str] = []
    for update, version in updates:
        label = f"{update.indicator.code} ({date_format(update.as_of)})"
        try:
            approved.append(approve_update(update=update, reviewer=by, expected_version=version))
        except StaleUpdate:
            problems.append(_("%(update)s changed since you opened the page.") % {"update": label})
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            problems.extend(f"{label}: {message}" for message in messages)
    if problems:
        raise ValidationError(problems)
    return approved


@transaction.atomic
def return_update(
    *, update: ProgressUpdate, reviewer: User, note: str, expected_version: int | None = None
) -> ProgressUpdate:
    """Send a submitted update back to its editor with a note saying what to correct."""
    current = _begin_transition(
        update, reviewer, action=workflow.RETURN, expected_version=expected_version
    )
    note = _required_text("note", note, _("Say what needs correcting."))
    current.status = Status.RETURNED
    current.reviewed_by = reviewer
    current.reviewed_at = timezone.now()
    current.review_note = note
    _save(current, reviewer)
    return current


@transaction.atomic
def reopen_update(
    *, update: ProgressUpdate, user: User, reason: str, expected_version: int | None = None
) -> ProgressUpdate:
    """Take an approved update back to draft so it can be corrected; the reason is recorded."""
    current = _begin_transition(
        update, user, action=workflow.REOPEN, expected_version=expected_version
    )
    reason = _required_text("reason", reason, _("Say why the update is reopened."))
    current.status = Status.DRAFT
    current.reviewed_by = None
    current.reviewed_at = None
    current.review_note = _("Reopened: %(reason)s") % {"reason": reason}
    _save(current, user)
    approved_figures_changed(current.indicator_id)
    update_reviewed(update_id=current.pk, event="update.reopened")
    return current


@transaction.atomic
def delete_update(
    *, update: ProgressUpdate, user: User, expected_version: int | None = None
) -> None:
    """Delete a draft or returned update; approved figures must be reopened first."""
    current = _begin_transition(
        update, user, action=workflow.DELETE, expected_version=expected_version
    )
    evidence = current.evidence_file.name if current.evidence_file else ""
    indicator_id = current.indicator_id
    for part in current.values.all():
        part._history_user = user  # type: ignore[attr-defined]
        part.delete()
    current._history_user = user  # type: ignore[attr-defined]
    current.delete()
    if evidence:
        forget_evidence_file(evidence)
    approved_figures_changed(indicator_id)


@dataclass(frozen=True)
class NewUpdate:
    """One row of a batch: what create_update takes for one update."""

    indicator: Indicator
    figures: Figures
    organisation: Organisation | None = None


class RowErrors(ValidationError):
    """A batch refused: the problems of each row, by its position in the batch."""

    def __init__(self, problems: dict[int, ValidationError]):
        self.problems = problems
        super().__init__(
            _("%(count)s rows have problems: nothing was stored.") % {"count": len(problems)}
        )


@transaction.atomic
def create_updates(
    *,
    project: Project,
    author: User,
    rows: Sequence[NewUpdate],
    submit: bool = False,
    today: date | None = None,
) -> list[ProgressUpdate]:
    """Record many updates on one project at once, all or nothing, with create_update's checks
    on each (role, organisation, dates, figures, categories, locked periods) and its history.
    Everything a row is checked against is read once, so a batch of ten thousand stays quick.
    Raises RowErrors naming every row that fails."""
    _require(author, project, Membership.Role.EDITOR)
    choices = reporting_organisations(author, project)
    periods = list(Period.objects.select_for_update().filter(project=project).order_by("start"))
    links: dict[int, list[IndicatorDimension]] = {}
    for link in IndicatorDimension.objects.filter(indicator__project=project).select_related(
        "dimension"
    ):
        links.setdefault(link.indicator_id, []).append(link)
    now = timezone.now()
    problems: dict[int, ValidationError] = {}
    updates: list[ProgressUpdate] = []
    parts: list[Mapping[Category, Decimal]] = []
    for position, row in enumerate(rows):
        if row.indicator.project_id != project.pk:
            problems[position] = ValidationError(
                {"indicator": _("The indicator belongs to another project.")}
            )
            continue
        found = Problems()
        organisation = None
        try:
            organisation = _choose_organisation(choices, row.organisation)
        except ValidationError as error:
            found.add(error)
        try:
            checked = _checked(
                indicator=row.indicator,
                figures=row.figures,
                today=today,
                links=links.get(row.indicator.pk, []),
                periods=periods,
            )
        except ValidationError as error:
            found.add(error)
        if found.errors:
            problems[position] = ValidationError(found.errors)
            continue
        update = ProgressUpdate(
            indicator=row.indicator,
            period=checked.period,
            organisation=organisation,
            as_of=checked.as_of,
            value=checked.value,
            numerator=row.figures.numerator,
            denominator=row.figures.denominator,
            narrative=row.figures.narrative,
            evidence_url=row.figures.evidence_url,
            created_by=author,
            figures_changed_by=author,
            version=1,
        )
        if submit:
            update.status = Status.SUBMITTED
            update.submitted_by = author
            update.submitted_at = now
        updates.append(update)
        parts.append(row.figures.parts or {})
    if problems:
        raise RowErrors(problems)
    created = bulk_create_with_history(
        updates, ProgressUpdate, default_user=author, default_change_reason=IMPORT_REASON
    )
    values = [
        UpdateValue(update=update, category=category, value=amount)
        for update, row_parts in zip(created, parts, strict=True)
        for category, amount in row_parts.items()
    ]
    if values:
        bulk_create_with_history(
            values, UpdateValue, default_user=author, default_change_reason=IMPORT_REASON
        )
    return created
