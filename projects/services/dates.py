"""The rule that ties a project's actual dates to its status."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project

# The statuses that say the project has begun (IATI's activity status 2, 3, 4 and 6): its
# actual start is then known, and a closed project's actual end too.
STARTED = {
    Project.Status.ACTIVE,
    Project.Status.FINALISATION,
    Project.Status.SUSPENDED,
    Project.Status.CLOSED,
}


def actual_date_problems(
    status: str | None, actual_start: date | None, actual_end: date | None
) -> dict[str, str]:
    """The actual dates follow the status: what has begun has an actual start, what is closed
    an actual end, and neither lies in the future."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if actual_start is not None and actual_start > today:
        errors["actual_start"] = _(
            "The actual start cannot be in the future: give the planned start instead."
        )
    elif status in STARTED and actual_start is None:
        errors["actual_start"] = _(
            "The status says the project has begun: give the day it actually started."
        )
    if actual_end is not None and actual_end > today:
        errors["actual_end"] = _(
            "The actual end cannot be in the future: give the planned end instead."
        )
    elif status == Project.Status.CLOSED and actual_end is None:
        errors["actual_end"] = _(
            "The status says the project is closed: give the day it actually ended."
        )
    if status == Project.Status.PIPELINE and actual_start is not None:
        errors["status"] = _(
            "A project that has actually started is no longer in the pipeline: choose "
            "another status, or leave the actual start empty."
        )
    return errors
