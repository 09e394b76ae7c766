"""What reporting does when the apps below it announce a change."""

from typing import Any

from projects import events

from .services.budget import detach_declined_funding


def on_involvement_declined(**kwargs: Any) -> None:
    detach_declined_funding(
        project=kwargs["project"], funder=kwargs["organisation"], by=kwargs["by"]
    )


def connect() -> None:
    events.involvement_declined.connect(
        on_involvement_declined, dispatch_uid="reporting.involvement_declined"
    )
