"""The audit trail of updates and indicators, read from django-simple-history's tables."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from core.numbers import formatted, percent
from partners.models import User

from .models import CategoryTarget, Indicator, ProgressUpdate, UpdateValue

# The reason recorded on history rows written by a spreadsheet import.
IMPORT_REASON = "import"

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
    "order",  # the position on the page: the page shows it
    "file",  # where a file is stored: its name is shown instead
    "uploaded_at",
}


@dataclass(frozen=True)
class Change:
    field: str  # its name, with the language for a translation: "unit (Spanish)"
    old: str | None  # as the reader writes it: "160", "60 %", "30 Jun 2025", "“women”"
    new: str | None


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str  # a person, an API token, or the portal itself; never blank
    action: str  # "created", "changed" or "deleted"
    subject: str  # what changed: the update itself, or one of its categories
    changes: tuple[Change, ...]

    @property
    def sentences(self) -> list[str]:
        """The entry as sentences in the reader's language: "Ana changed the unit (Spanish)
        from “mujeres” to “mujeres capacitadas”."."""
        subject = self.subject or ""
        if self.action != "changed":
            listed = "; ".join(
                f"{c.field} {c.new if c.new is not None else c.old}" for c in self.changes
            )
            if self.action == "created":
                template = (
                    _("%(who)s created %(subject)s: %(values)s.")
                    if listed
                    else _("%(who)s created %(subject)s.")
                )
            else:
                template = (
                    _("%(who)s deleted %(subject)s, which had: %(values)s.")
                    if listed
                    else _("%(who)s deleted %(subject)s.")
                )
            what = subject or (_("it"))
            return [template % {"who": self.who, "subject": what, "values": listed}]
        sentences = []
        for change in self.changes:
            values = {"who": self.who, "field": change.field, "old": change.old, "new": change.new}
            if change.old is None:
                sentence = _("%(who)s set the %(field)s to %(new)s.") % values
            elif change.new is None:
                sentence = _("%(who)s cleared the %(field)s, which was %(old)s.") % values
            else:
                sentence = _("%(who)s changed the %(field)s from %(old)s to %(new)s.") % values
            sentences.append(f"{subject}: {sentence}" if subject else sentence)
        return sentences


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
TRANSLATIONS = "translations"


def _shown_fields(model: Any) -> list[Any]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.attname not in HIDDEN_FIELDS and not field.is_relation
    ]


def _shown(field: Any, value: Any) -> str | None:
    """A stored value as a reader writes it: a choice's label, a number with the locale's
    marks and no trailing zeros, a share in percent, a date, a text in quotes."""
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return percent(value * 100) if "share" in field.name else formatted(value)
    if isinstance(value, int):
        return formatted(value)
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return _quoted(value)


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _translation_changes(model: Any, old: Any, new: Any) -> list[Change]:
    """A change of the texts in other languages, one change per language and field."""
    old, new = old or {}, new or {}
    changes = []
    for language in sorted(set(old) | set(new)):
        before, after = old.get(language) or {}, new.get(language) or {}
        for name in sorted(set(before) | set(after)):
            if before.get(name) == after.get(name):
                continue
            label = str(model._meta.get_field(name).verbose_name)
            changes.append(
                Change(
                    f"{label} ({_language_name(language)})",
                    f"“{before[name]}”" if before.get(name) else None,
                    f"“{after[name]}”" if after.get(name) else None,
                )
            )
    return changes


def _keyed_changes(label: str, old: Any, new: Any) -> list[Change]:
    """A change of a stored mapping (the sections of a report), one change per key."""
    old, new = old or {}, new or {}
    return [
        Change(f"{label}: {key}", _quoted(old.get(key)), _quoted(new.get(key)))
        for key in sorted(set(old) | set(new))
        if old.get(key) != new.get(key)
    ]


def _quoted(text: Any) -> str | None:
    if text in (None, ""):
        return None
    text = str(text)
    return f"“{text if len(text) <= 120 else text[:119] + '…'}”"


def _values_of(row: Any) -> list[Change]:
    """What a created or deleted record held, field by field."""
    changes = []
    for field in _shown_fields(row.instance_type):
        value = getattr(row, field.attname)
        if field.name == TRANSLATIONS:
            changes.extend(_translation_changes(row.instance_type, {}, value))
        elif isinstance(value, dict):
            changes.extend(_keyed_changes(str(field.verbose_name), {}, value))
        elif value not in (None, "", False) and (shown := _shown(field, value)) is not None:
            changes.append(Change(str(field.verbose_name), None, shown))
    return changes


def _user_names(records: list[Any]) -> dict[int, str]:
    ids = {record.history_user_id for record in records if record.history_user_id}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=ids)}


def _author(row: Any, names: dict[int, str]) -> str:
    """Who made the change: a person (or an API token's own user), through an import where one
    did; the portal itself where no one acted (the demo, a data migration)."""
    who = names.get(row.history_user_id) if row.history_user_id else None
    if who is None:
        return str(_("The portal (no person)"))
    if row.history_change_reason == IMPORT_REASON:
        return str(_("%(person)s, importing a spreadsheet") % {"person": who})
    return who


def _entries(
    records: list[Any], subject_of: Callable[[Any], str], names: dict[int, str]
) -> list[AuditEntry]:
    """Turn history rows (any model, any order) into entries with field-by-field changes."""
    by_object: dict[Any, list[Any]] = {}
    for record in records:
        # Keyed by model too: the parts of one object may be of several models.
        by_object.setdefault((record.instance_type, record.id), []).append(record)
    entries = []
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for row in rows:
            if previous is None or row.history_type != "~":
                changes: list[Change] = []
                if row.history_type in "+-":
                    # What was created, or what was there when it was deleted.
                    changes = [
                        change
                        if row.history_type == "+"
                        else Change(change.field, change.new, None)
                        for change in _values_of(row)
                    ]
            else:
                shown = {field.name: field for field in _shown_fields(row.instance_type)}
                delta = row.diff_against(previous, included_fields=list(shown))
                changes = []
                for change in delta.changes:
                    if change.field == TRANSLATIONS:
                        changes.extend(
                            _translation_changes(row.instance_type, change.old, change.new)
                        )
                        continue
                    field = shown[change.field]
                    if isinstance(change.old, dict) or isinstance(change.new, dict):
                        changes.extend(
                            _keyed_changes(str(field.verbose_name), change.old, change.new)
                        )
                        continue
                    old, new = _shown(field, change.old), _shown(field, change.new)
                    if old != new:  # 60.0000 stored as 60: no change a reader would see
                        changes.append(Change(str(field.verbose_name), old, new))
                if not changes:
                    previous = row
                    continue
            entries.append(
                AuditEntry(
                    when=row.history_date,
                    who=_author(row, names),
                    action=ACTIONS[row.history_type],
                    subject=subject_of(row),
                    changes=tuple(changes),
                )
            )
            previous = row
    return newest_first(entries)


def newest_first(*histories: list[AuditEntry]) -> list[AuditEntry]:
    """Several histories as one, newest first."""
    return sorted((e for history in histories for e in history), key=lambda e: e.when, reverse=True)


def _with_parts(
    own: list[Any],
    parts: list[Any],
    own_subject: Callable[[Any], str],
    part_subject: Callable[[Any], str],
) -> list[AuditEntry]:
    """History rows of an object and of its parts (values or targets per category)."""
    names = _user_names(own + parts)
    return newest_first(_entries(own, own_subject, names), _entries(parts, part_subject, names))


def histories_of_many(
    own: list[Any],
    parts: list[Any],
    *,
    part_owner: Callable[[Any], Any],
    part_subject: Callable[[Any], str],
) -> dict[Any, list[AuditEntry]]:
    """The histories of several objects with their parts, newest first, keyed by the object's
    id: the rows are read by the caller once for all objects, the people's names once here."""
    names = _user_names(own + parts)
    grouped: dict[Any, tuple[list[Any], list[Any]]] = {}
    for row in own:
        grouped.setdefault(row.id, ([], []))[0].append(row)
    for row in parts:
        grouped.setdefault(part_owner(row), ([], []))[1].append(row)
    return {
        key: newest_first(
            _entries(rows, lambda row: "", names), _entries(of_parts, part_subject, names)
        )
        for key, (rows, of_parts) in grouped.items()
    }


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
