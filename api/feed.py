"""The change feed: what changed for one caller since a cursor it was given.

A caller's feed keeps one entry per object it has been sent: the object's kind and id, a
fingerprint of what it was sent, and the sequence number of that sending. Reading the feed first
compares everything the caller may see now with those entries. An object that is new to it, or
whose representation changed, is numbered again; one it may no longer see (deleted, reopened
while it sees approved figures only, a funding or a partnership removed, access lost) becomes a
tombstone under a new number. The feed then lists the entries after the cursor.

Comparing with what the caller itself was sent, rather than logging writes, means no way of
changing the data can be missed (a recomputed figure, a lost membership), and nobody learns of
objects they were never shown.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from rest_framework.utils.encoders import JSONEncoder

from partners.models import User

from .models import FeedEntry, FeedPosition

Kind = FeedEntry.Kind
# Parents before children when one reading numbers several objects, children before parents
# among tombstones: a copy with foreign keys then applies a whole reading in order.
KIND_ORDER = [
    Kind.ORGANISATION,
    Kind.LIBRARY,
    Kind.PROJECT,
    Kind.BUDGET_LINE,
    Kind.INDICATOR,
    Kind.UPDATE,
    Kind.PERIOD_REPORT,
]


def fingerprint(data: Any) -> str:
    """SHA-256 of the representation as the API writes it (numbers, dates and all)."""
    text = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Reading:
    last_sequence: int  # the caller's newest number after this reading
    entries: list[FeedEntry]  # those after the cursor, in order, at most `limit`
    more: bool  # whether entries follow the last of them


def last_sequence(user: User) -> int:
    position = FeedPosition.objects.filter(user=user).first()
    return position.last_sequence if position else 0


@transaction.atomic
def read(*, by: User, prints: Mapping[str, Mapping[int, str]], after: int, limit: int) -> Reading:
    """Number what changed for `by` (the fingerprints of whose visible objects, by kind and id,
    are `prints`), then list the entries after sequence number `after`."""
    FeedPosition.objects.get_or_create(user=by)
    # One reading at a time per caller: the numbers it gives out follow each other.
    position = FeedPosition.objects.select_for_update().get(user=by)
    # Read as plain rows: a caller may hold tens of thousands.
    sent = {
        (kind, object_id): (pk, print_, removed)
        for pk, kind, object_id, print_, removed in FeedEntry.objects.filter(user=by).values_list(
            "pk", "kind", "object_id", "fingerprint", "removed"
        )
    }
    now: dict[tuple[str, int], str] = {
        (kind.value, object_id): print_
        for kind in KIND_ORDER
        for object_id, print_ in sorted(prints.get(kind, {}).items())
    }
    gone = sorted(
        (key for key, (_pk, _print, removed) in sent.items() if not removed and key not in now),
        key=lambda key: (-KIND_ORDER.index(Kind(key[0])), key[1]),
    )
    changed = [
        key for key, print_ in now.items() if sent.get(key, (0, "", True))[1:] != (print_, False)
    ]

    sequence = position.last_sequence
    created: list[FeedEntry] = []
    renumbered: list[FeedEntry] = []
    for key, removed in [*((key, True) for key in gone), *((key, False) for key in changed)]:
        sequence += 1
        entry = FeedEntry(
            pk=sent[key][0] if key in sent else None,
            user=by,
            kind=key[0],
            object_id=key[1],
            fingerprint="" if removed else now[key],
            removed=removed,
            sequence=sequence,
        )
        (renumbered if entry.pk else created).append(entry)
    if renumbered:
        FeedEntry.objects.bulk_update(
            renumbered, ["fingerprint", "removed", "sequence"], batch_size=500
        )
    if created:
        FeedEntry.objects.bulk_create(created, batch_size=500)
    if sequence != position.last_sequence:
        position.last_sequence = sequence
        position.save(update_fields=["last_sequence"])

    return entries_between(by=by, after=after, upto=sequence, limit=limit)


def entries_between(*, by: User, after: int, upto: int, limit: int) -> Reading:
    """The caller's entries numbered after `after`, up to `upto`, at most `limit` of them."""
    page = list(
        FeedEntry.objects.filter(user=by, sequence__gt=after, sequence__lte=upto).order_by(
            "sequence"
        )[: limit + 1]
    )
    return Reading(last_sequence=upto, entries=page[:limit], more=len(page) > limit)
