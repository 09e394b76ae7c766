"""Webhooks listen to what indicators announce and queue the events partners subscribed to."""

from collections.abc import Iterable
from typing import Any

from indicators import events

from . import services


def on_update_reviewed(sender: Any, *, update_id: int, event: str, **kwargs: Any) -> None:
    services.update_reviewed(update_id=update_id, event=event)


def on_snapshots_computed(sender: Any, *, project_ids: Iterable[int], **kwargs: Any) -> None:
    services.snapshots_computed(project_ids=project_ids)


def connect() -> None:
    events.update_reviewed.connect(on_update_reviewed, dispatch_uid="webhooks.update_reviewed")
    events.snapshots_computed.connect(
        on_snapshots_computed, dispatch_uid="webhooks.snapshots_computed"
    )
