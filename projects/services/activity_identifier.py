"""A project's IATI activity identifier, made once and kept for life."""

from django.db import transaction

from projects.models import Project
from projects.selectors import reporting_organisation


@transaction.atomic
def fix_activity_identifier(*, project: Project) -> Project:
    """Give the project its identifier the first time its reporting organisation has one of
    its own: that identifier, a hyphen and the project's code. Once given it changes no more,
    even if the code, the lead or the organisation's identifier later does."""
    if project.iati_identifier:
        return project
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not locked.iati_identifier:
        reporter = reporting_organisation(locked)
        if reporter is None or not reporter.iati_identifier:
            return project
        identifier = f"{reporter.iati_identifier}-{locked.code}"
        if Project.objects.filter(iati_identifier__iexact=identifier).exists():
            return project  # another organisation's prefix and code make the same text
        locked.iati_identifier, locked.iati_reporter = identifier, reporter
        locked.save(update_fields=["iati_identifier", "iati_reporter", "updated_at"])
    project.iati_identifier, project.iati_reporter = locked.iati_identifier, locked.iati_reporter
    return project
