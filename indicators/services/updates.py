"""Progress updates: recording, editing and the review workflow.

draft → submitted → approved, or returned (with a note) → resubmitted; an approved update is
changed only by reopening it. Every function checks who may act, refuses anything in a locked
period, refuses a stale version, records who did what in the audit history, and stores all or
nothing.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.authorship import set_author
from indicators import events
from indicators.history import IMPORT_REASON
from indicators.models import (
    Category,
    Indicator,
    IndicatorDimension,
    Period,
    ProgressUpdate,
    UpdateValue,
)
from partners.models import Organisation, User
from projects.models import Project
from projects.selectors import may_report, reporting_organisations

from . import workflow
from .checks import Problems, refuse_nul_and_oversize
from .evidence import check_evidence_file, forget_evidence_file
from .figures import Checked, Figures, check_figures, lock_period_row, refuse_locked
from .recomputes import approved_figures_changed

Status = ProgressUpdate.Status


class StaleUpdate(Exception):
    """The update changed since the form was loaded: nothing was saved."""

    def __init__(self, current: ProgressUpdate):
        super().__init__(f"Update {current.pk} is now at version {current.version}.")
        self.current = current


def _require_reporter(user: User, project: Project) -> None:
    if not may_report(user, project):
        raise PermissionDenied(_("You may not do this on this project."))


def _lock_row(update: ProgressUpdate, expected_version: int | None) -> ProgressUpdate:
    """Re-read the update under a row lock and refuse it if someone changed it meanwhile."""
    current = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleUpdate(current)
    return current


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
    set_author(update, user)
    update.save()


def _write_parts(update: ProgressUpdate, parts: Mapping[Category, Decimal], user: User) -> None:
    """Bring the per-category values in line with `parts`, each change in the history."""
    existing = {value.category_id: value for value in update.values.all()}
    kept = {category.pk for category in parts}
    for category_id, stale in existing.items():
        if category_id not in kept:
            set_author(stale, user)
            stale.delete()
    new_rows: list[UpdateValue] = []
    for category, amount in parts.items():
        row = existing.get(category.pk)
        if row is None:
            new_rows.append(UpdateValue(update=update, category=category, value=amount))
        elif row.value != amount:
            row.value = amount
            set_author(row, user)
            row.save()
    if new_rows:
        bulk_create_with_history(new_rows, UpdateValue, default_user=user)


@transaction.atomic
def create_update(
    *,
    indicator: Indicator,
    by: User,
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
    _require_reporter(by, project)
    if request_key is not None:
        earlier = _sent_before(request_key, by)
        if earlier is not None:
            return earlier
    organisation = _reporting_for(by, project, organisation)
    checked = check_figures(indicator=indicator, figures=figures, today=today)
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
        created_by=by,
        figures_changed_by=by,
        request_key=request_key,
        version=0,
    )
    if evidence_file is not None:
        update.evidence_file = evidence_file
    if submit:
        _mark_submitted(update, by)
    try:
        with transaction.atomic():
            _save(update, by)
    except IntegrityError:
        # The same form, sent at the same moment, was saved by the other request.
        earlier = _sent_before(request_key, by) if request_key else None
        if earlier is not None:
            return earlier
        if request_key is None:
            raise
        raise ValidationError(_("This form was already used: open it again to report.")) from None
    _write_parts(update, figures.parts or {}, by)
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
    by: User,
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
    workflow.check(by, current, workflow.EDIT)
    refuse_locked(lock_period_row(current.period_id))
    if organisation is not None and organisation.pk != current.organisation_id:
        raise ValidationError(
            {"organisation": _("An update stays with the organisation it was reported for.")}
        )
    checked = check_figures(indicator=indicator, figures=figures, today=today)
    if _new_figures(figures, checked) != _figures_of(current):
        current.figures_changed_by = by
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
        _mark_submitted(current, by)
    _save(current, by)
    _write_parts(current, figures.parts or {}, by)
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
    refuse_locked(lock_period_row(current.period_id))
    return current


def _required_text(field: str, text: str, message: str) -> str:
    refuse_nul_and_oversize(**{field: text})
    if not text.strip():
        raise ValidationError({field: message})
    return text.strip()


def _mark_submitted(update: ProgressUpdate, by: User, at: datetime | None = None) -> None:
    """What submitting sets, whether a new update is submitted at once, an edited one with its
    changes, an imported row, or a draft through its workflow action."""
    update.status = Status.SUBMITTED
    update.submitted_by = by
    update.submitted_at = at or timezone.now()


@transaction.atomic
def submit_update(
    *, update: ProgressUpdate, by: User, expected_version: int | None = None
) -> ProgressUpdate:
    current = _begin_transition(
        update, by, action=workflow.SUBMIT, expected_version=expected_version
    )
    _mark_submitted(current, by)
    _save(current, by)
    return current


@transaction.atomic
def approve_update(
    *, update: ProgressUpdate, by: User, expected_version: int | None = None
) -> ProgressUpdate:
    """Approve a submitted update. Nobody approves figures they entered, changed or submitted,
    unless the update's organisation has a single manager and says so."""
    current = _begin_transition(
        update, by, action=workflow.APPROVE, expected_version=expected_version
    )
    current.status = Status.APPROVED
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.review_note = ""
    _save(current, by)
    approved_figures_changed(current.indicator_id)
    events.update_reviewed.send(ProgressUpdate, update_id=current.pk, event="update.approved")
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
            approved.append(approve_update(update=update, by=by, expected_version=version))
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
    *, update: ProgressUpdate, by: User, note: str, expected_version: int | None = None
) -> ProgressUpdate:
    """Send a submitted update back to its editor with a note saying what to correct."""
    current = _begin_transition(
        update, by, action=workflow.RETURN, expected_version=expected_version
    )
    note = _required_text("note", note, _("Say what needs correcting."))
    current.status = Status.RETURNED
    current.reviewed_by = by
    current.reviewed_at = timezone.now()
    current.review_note = note
    _save(current, by)
    return current


@transaction.atomic
def reopen_update(
    *, update: ProgressUpdate, by: User, reason: str, expected_version: int | None = None
) -> ProgressUpdate:
    """Take an approved update back to draft so it can be corrected; the reason is recorded."""
    current = _begin_transition(
        update, by, action=workflow.REOPEN, expected_version=expected_version
    )
    reason = _required_text("reason", reason, _("Say why the update is reopened."))
    current.status = Status.DRAFT
    current.reviewed_by = None
    current.reviewed_at = None
    current.review_note = _("Reopened: %(reason)s") % {"reason": reason}
    _save(current, by)
    approved_figures_changed(current.indicator_id)
    events.update_reviewed.send(ProgressUpdate, update_id=current.pk, event="update.reopened")
    return current


@transaction.atomic
def delete_update(*, update: ProgressUpdate, by: User, expected_version: int | None = None) -> None:
    """Delete a draft or returned update; approved figures must be reopened first."""
    current = _begin_transition(
        update, by, action=workflow.DELETE, expected_version=expected_version
    )
    evidence = current.evidence_file.name if current.evidence_file else ""
    indicator_id = current.indicator_id
    for part in current.values.all():
        set_author(part, by)
        part.delete()
    set_author(current, by)
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
def transition(
    *,
    update: ProgressUpdate,
    action: str,
    by: User,
    note: str = "",
    expected_version: int | None = None,
) -> ProgressUpdate | None:
    """Take one workflow action (workflow.SUBMIT, APPROVE, RETURN, REOPEN or DELETE) on an
    update: the one entry point the web page and the API use. `note` is the reviewer's note on
    a return and the reason for a reopening. Returns the update, or None once deleted."""
    if action == workflow.SUBMIT:
        return submit_update(update=update, by=by, expected_version=expected_version)
    if action == workflow.APPROVE:
        return approve_update(update=update, by=by, expected_version=expected_version)
    if action == workflow.RETURN:
        return return_update(update=update, by=by, note=note, expected_version=expected_version)
    if action == workflow.REOPEN:
        return reopen_update(update=update, by=by, reason=note, expected_version=expected_version)
    if action == workflow.DELETE:
        delete_update(update=update, by=by, expected_version=expected_version)
        return None
    raise ValueError(f"{action!r} is no transition of an update")


@transaction.atomic
def create_updates(
    *,
    project: Project,
    by: User,
    rows: Sequence[NewUpdate],
    submit: bool = False,
    today: date | None = None,
) -> list[ProgressUpdate]:
    """Record many updates on one project at once, all or nothing, with create_update's checks
    on each (role, organisation, dates, figures, categories, locked periods) and its history.
    Everything a row is checked against is read once, so a batch of ten thousand stays quick.
    Raises RowErrors naming every row that fails."""
    _require_reporter(by, project)
    choices = reporting_organisations(by, project)
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
            checked = check_figures(
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
            created_by=by,
            figures_changed_by=by,
            version=1,
        )
        if submit:
            _mark_submitted(update, by, at=now)
        updates.append(update)
        parts.append(row.figures.parts or {})
    if problems:
        raise RowErrors(problems)
    created = bulk_create_with_history(
        updates, ProgressUpdate, default_user=by, default_change_reason=IMPORT_REASON
    )
    values = [
        UpdateValue(update=update, category=category, value=amount)
        for update, row_parts in zip(created, parts, strict=True)
        for category, amount in row_parts.items()
    ]
    if values:
        bulk_create_with_history(
            values, UpdateValue, default_user=by, default_change_reason=IMPORT_REASON
        )
    return created
