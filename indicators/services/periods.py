"""Reporting periods: locked once reported to a funder."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.authorship import set_author
from indicators.models import Period
from partners.models import User
from projects.models import Project
from projects.selectors import may_lock, may_unlock


@transaction.atomic
def lock_period(*, period: Period, by: User) -> Period:
    """Freeze a period's updates: no new, changed, approved or reopened update in it."""
    if not may_lock(by, period.project):
        raise PermissionDenied(_("Only a manager may lock a period."))
    current = Period.objects.select_for_update().get(pk=period.pk)
    if current.is_locked:
        raise ValidationError(
            _("The period %(period)s is already locked.") % {"period": current.name}
        )
    current.locked_at = timezone.now()
    current.locked_by = by
    set_author(current, by)
    current.save()
    return current


@transaction.atomic
def unlock_period(*, period: Period, by: User) -> Period:
    """Reopen a locked period for corrections; only an administrator may, and it is recorded."""
    if not may_unlock(by, period.project):
        raise PermissionDenied(_("Only an administrator may unlock a period."))
    current = Period.objects.select_for_update().get(pk=period.pk)
    if not current.is_locked:
        raise ValidationError(_("The period %(period)s is not locked.") % {"period": current.name})
    current.locked_at = None
    current.locked_by = None
    set_author(current, by)
    current.save()
    return current


@transaction.atomic
def save_period(*, project: Project, name: str, start: date, end: date) -> Period:
    """Create or rename the project's period starting on `start`."""
    if end < start:
        raise ValidationError({"end": _("The end must not come before the start.")})
    period, _created = Period.objects.update_or_create(
        project=project, start=start, defaults={"name": name, "end": end}
    )
    return period
