"""An organisation's consent to being named in a project: as funder or partner, it counts only
once its administrators confirm (see models.Confirmation)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.authorship import set_author
from partners.models import Membership, Organisation, User
from projects import events
from projects.models import Confirmation, Funding, Partnership, Project

from .activity_identifier import fix_activity_identifier


def administers(user: User, organisation: Organisation) -> bool:
    """Consent is the organisation's own: its administrators give it, nobody else (an
    operator included)."""
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    ).exists()


def _names(project: Project, organisation: Organisation) -> bool:
    return (
        Funding.every.filter(project=project, funder=organisation).exists()
        or Partnership.every.filter(project=project, organisation=organisation).exists()
    )


def _confirm(project: Project, organisation: Organisation, by: User | None) -> Confirmation:
    """The confirmation, recorded once with who gave it."""
    existing = Confirmation.objects.filter(project=project, organisation=organisation).first()
    if existing is not None:
        return existing
    confirmation = Confirmation(project=project, organisation=organisation, confirmed_by=by)
    set_author(confirmation, by)
    confirmation.save()
    # A lead that now counts may be the first with an IATI identifier: the activity's is made.
    fix_activity_identifier(project=project)
    return confirmation


def confirm_if_own(*, project: Project, organisation: Organisation, by: User) -> bool:
    """Record the consent at once where the person naming the organisation administers it.
    Returns whether the project's links to it count now (models.standing decides)."""
    if administers(by, organisation):
        _confirm(project, organisation, by)
    return Partnership.objects.filter(project=project, organisation=organisation).exists()


def record_consent(*, project: Project, organisation: Organisation, by: User | None) -> None:
    """The consent of an organisation that acts itself: its manager creating its own project,
    or the portal's operator loading data the organisations supplied (the demo)."""
    _confirm(project, organisation, by)


@transaction.atomic
def confirm_involvement(*, project: Project, organisation: Organisation, by: User) -> Confirmation:
    """The organisation confirms that it takes part in the project as the project names it."""
    if not administers(by, organisation):
        raise PermissionDenied(
            _("Only an administrator of %(organisation)s may confirm its part in a project.")
            % {"organisation": organisation.name}
        )
    if not _names(project, organisation):
        raise ValidationError(
            _("The project no longer names %(organisation)s.") % {"organisation": organisation.name}
        )
    return _confirm(project, organisation, by)


@transaction.atomic
def decline_involvement(*, project: Project, organisation: Organisation, by: User) -> None:
    """The organisation says it takes no part: the fundings and partnerships naming it are
    removed (the history keeps them, with who declined)."""
    if not administers(by, organisation):
        raise PermissionDenied(
            _("Only an administrator of %(organisation)s may decline its part in a project.")
            % {"organisation": organisation.name}
        )
    if Confirmation.objects.filter(project=project, organisation=organisation).exists():
        raise ValidationError(
            _(
                "%(organisation)s has confirmed its part in this project: ask the project's "
                "team to remove it."
            )
            % {"organisation": organisation.name}
        )
    events.involvement_declined.send(
        decline_involvement, project=project, organisation=organisation, by=by
    )
    for link in [
        *Funding.every.filter(project=project, funder=organisation),
        *Partnership.every.filter(project=project, organisation=organisation),
    ]:
        set_author(link, by)
        link.delete()
