"""How the portal writes a moment for other systems (the API's answers, webhook events)."""

from datetime import UTC, datetime


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC with "Z" (2026-12-06T09:30:00.123456Z), whatever the portal's own
    time zone."""
    return moment.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"
