"""The audit trail of updates and indicators, read from django-simple-history's tables."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CategoryTarget, Indicator, ProgressUpdate, UpdateValue

# Shown elsewhere in the entry (who and when) or meaningless to a reader.
HIDDEN_FIELDS = {
    "id",
    "version",
    "updated_at",
    "created_at",
    "submitted_at",
    "reviewed_at",
    "is_illustrative",
    "request_key",
}


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    subject: str  # what changed: the update itself, or one of its categories
    changes: tuple[Change, ...]


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _shown_fields(model: Any) -> list[Any]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname not in HIDDEN_FIELDS and not field.is_relation
    ]


def _display(field: Any, value: Any) -> Any:
    """A choice's label rather than its code: "Approved", not "approved"."""
    if field.choices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


def _user_names(records: list[Any]) -> dict[int, str]:
    from partners.models import User

    ids = {record.history_user_id for record in records if record.history_user_id}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}


def _entries(records: list[Any], subject_of, names: dict[int, str]) -> list[AuditEntry]:
    """Turn history rows (any model, any order) into entries with field-by-field changes."""
    by_object: dict[Any, list[Any]] = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for row in rows:
            if previous is None or row.history_type != "~":
                changes: tuple[Change, ...] = ()
                if row.history_type in "+-":
                    # What was created, or what was there when it was deleted.
                    values = [
                        (str(field.verbose_name), _display(field, value))
                        for field in _shown_fields(row.instance_type)
                        if (value := getattr(row, field.attname)) not in (None, "", False)
                    ]
                    changes = tuple(
                        Change(name, None, value)
                        if row.history_type == "+"
                        else Change(name, value, None)
                        for name, value in values
                    )
            else:
                shown = {field.name: field for field in _shown_fields(row.instance_type)}
                delta = row.diff_against(previous, included_fields=list(shown))
                changes = tuple(
                    Change(
                        str(shown[change.field].verbose_name),
                        _display(shown[change.field], change.old),
                        _display(shown[change.field], change.new),
                    )
                    for change in delta.changes
                )
            entries.append(
                AuditEntry(
                    when=row.history_date,
                    who=names.get(row.history_user_id, "—"),
                    action=ACTIONS[row.history_type],
                    subject=subject_of(row),
                    changes=changes,
                )
            )
            previous = row
    return newest_first(entries)


def newest_first(*histories: list[AuditEntry]) -> list[AuditEntry]:
    """Several histories as one, newest first."""
    return sorted((e for history in histories for e in history), key=lambda e: e.when, reverse=True)


def _with_parts(own: list[Any], parts: list[Any], own_subject, part_subject) -> list[AuditEntry]:
    """History rows of an object and of its parts (values or targets per category)."""
    names = _user_names(own + parts)
    return newest_first(_entries(own, own_subject, names), _entries(parts, part_subject, names))


def update_history(update: ProgressUpdate) -> list[AuditEntry]:
    """Every change of the update and of its values per category, newest first."""
    return _with_parts(
        list(ProgressUpdate.history.filter(id=update.pk)),
        list(UpdateValue.history.filter(update_id=update.pk).select_related("category")),
        lambda row: "",
        lambda row: row.category.name,
    )


def indicator_history(indicator: Indicator) -> list[AuditEntry]:
    """Every change of the indicator's definition and category targets, newest first."""
    return _with_parts(
        list(Indicator.history.filter(id=indicator.pk)),
        list(CategoryTarget.history.filter(indicator_id=indicator.pk).select_related("category")),
        lambda row: "",
        lambda row: row.category.name,
    )


def deleted_updates_history(indicator: Indicator) -> list[AuditEntry]:
    """The whole history of the indicator's updates that have since been deleted (those that
    still exist show theirs on their own page), newest first."""
    gone = list(
        ProgressUpdate.history.filter(indicator_id=indicator.pk, history_type="-").values_list(
            "id", flat=True
        )
    )
    if not gone:
        return []
    own = list(ProgressUpdate.history.filter(id__in=gone))
    dates = {row.id: row.as_of for row in own}

    def update_label(update_id: int) -> str:
        return _("update of %(date)s (no. %(id)s)") % {
            "date": date_format(dates[update_id], "j M Y"),
            "id": update_id,
        }

    return _with_parts(
        own,
        list(UpdateValue.history.filter(update_id__in=gone).select_related("category")),
        lambda row: update_label(row.id),
        lambda row: f"{update_label(row.update_id)}: {row.category.name}",
    )
