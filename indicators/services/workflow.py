"""Who may do what to a progress update: the one place that decides it.

The services refuse with these rules; pages, forms and the API ask `allowed_transitions` which
buttons and operations to offer, so what is offered and what is allowed cannot drift apart.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from indicators.models import ProgressUpdate
from indicators.selectors import Authority, authority_of
from partners.models import Membership, User
from projects.selectors import ROLE_RANK

from .checks import Conflict as Conflict  # raised here for the transitions

Status = ProgressUpdate.Status


EDITABLE = (Status.DRAFT, Status.RETURNED)

EDIT = "edit"
SUBMIT = "submit"
DELETE = "delete"
APPROVE = "approve"
RETURN = "return"
REOPEN = "reopen"
ACTIONS = (EDIT, SUBMIT, DELETE, APPROVE, RETURN, REOPEN)

# Each action: the role it needs, whether a lead organisation's role counts, and the statuses
# it starts from.
RULES: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    EDIT: (Membership.Role.EDITOR, False, EDITABLE),
    SUBMIT: (Membership.Role.EDITOR, False, EDITABLE),
    DELETE: (Membership.Role.EDITOR, False, EDITABLE),
    APPROVE: (Membership.Role.MANAGER, True, (Status.SUBMITTED,)),
    RETURN: (Membership.Role.MANAGER, True, (Status.SUBMITTED,)),
    REOPEN: (Membership.Role.MANAGER, True, (Status.APPROVED,)),
}


def _status_refusal(action: str) -> str:
    return {
        EDIT: _("Only a draft or returned update can be changed; reopen an approved one first."),
        SUBMIT: _("Only a draft or returned update can be submitted."),
        DELETE: _("Only a draft or returned update can be deleted."),
        APPROVE: _("Only a submitted update can be approved."),
        RETURN: _("Only a submitted update can be returned."),
        REOPEN: _("Only an approved update can be reopened."),
    }[action]


def role_on_update(authority: Authority, update: ProgressUpdate, *, with_lead: bool) -> str | None:
    """The role the user acts with on this update: their role for the organisation it was
    reported for and, for reviews, their role in the project's lead organisation."""
    return role_for(
        authority, update.indicator.project_id, update.organisation_id, with_lead=with_lead
    )


def role_for(
    authority: Authority, project_id: int, organisation_id: int | None, *, with_lead: bool
) -> str | None:
    """The role the user acts with on what an organisation reported on a project (an update, a
    period report): their role for that organisation and, for reviews, in the project's lead."""
    if authority.is_superuser:
        return Membership.Role.ADMIN
    if organisation_id is None:
        # Only updates recorded before organisations were required lack one.
        own = authority.project_roles.get(project_id)
    elif project_id in authority.project_roles:
        own = authority.organisation_roles.get(organisation_id)
    else:
        own = None
    roles = [own, authority.lead_roles.get(project_id) if with_lead else None]
    held = [role for role in roles if role is not None]
    return max(held, key=ROLE_RANK.__getitem__) if held else None


def approves_own_work(authority: Authority, organisation_id: int | None) -> bool:
    """Whether the user may approve what they wrote for this organisation: only where they
    are its single manager. Everywhere else a second manager approves (four eyes)."""
    return organisation_id in authority.single_manager_organisations


def typed_the_figures(authority: Authority, update: ProgressUpdate) -> bool:
    """Whether the user created, last changed or submitted the figures of this update."""
    return authority.user_id is not None and authority.user_id in {
        update.created_by_id,
        update.figures_changed_by_id,
        update.submitted_by_id,
    }


def refusal(authority: Authority, update: ProgressUpdate, action: str) -> Exception | None:
    """Why the user may not take this action on the update now, or None when they may.

    PermissionDenied when the user lacks the role or the four-eyes rule stands in the way;
    Conflict when the update's status does not allow the action.
    """
    needed, with_lead, statuses = RULES[action]
    role = role_on_update(authority, update, with_lead=with_lead)
    if role is None or ROLE_RANK[role] < ROLE_RANK[needed]:
        if needed == Membership.Role.MANAGER:
            return PermissionDenied(
                _(
                    "Only a manager of the organisation that reported this update, or of the "
                    "project's lead organisation, may review it."
                )
            )
        return PermissionDenied(
            _("Only the organisation that reported this update may change or submit it.")
        )
    if update.status not in statuses:
        return Conflict(_status_refusal(action))
    if (
        action == APPROVE
        and typed_the_figures(authority, update)
        and not approves_own_work(authority, update.organisation_id)
    ):
        return PermissionDenied(
            _(
                "You cannot approve figures you entered, changed or submitted yourself: another "
                "manager must approve them."
            )
        )
    return None


def check(user: User, update: ProgressUpdate, action: str) -> None:
    """Raise the refusal, if there is one."""
    problem = refusal(authority_of(user), update, action)
    if problem is not None:
        raise problem


def allowed_transitions(
    user: User, update: ProgressUpdate, *, authority: Authority | None = None
) -> frozenset[str]:
    """Every action the user may take on the update now. Pass `authority` when asking about
    many updates, so that the user's roles are read once."""
    authority = authority or authority_of(user)
    return frozenset(action for action in ACTIONS if refusal(authority, update, action) is None)
