"""Who may do what to a period report: the progress updates' rules (indicators.services.
workflow: the same roles, statuses and four eyes), worded for reports, and a locked period
refusing every change. The services enforce it; the page asks `allowed_transitions` which
buttons to offer."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from indicators.selectors import Authority, authority_of
from indicators.services.checks import Conflict
from indicators.services.workflow import (
    ACTIONS,
    APPROVE,
    DELETE,
    EDIT,
    REOPEN,
    RETURN,
    RULES,
    SUBMIT,
    approves_own_work,
    role_for,
)
from partners.models import Membership, User
from projects.selectors import ROLE_RANK

from .models import PeriodReport

__all__ = ["ACTIONS", "APPROVE", "DELETE", "EDIT", "REOPEN", "RETURN", "SUBMIT"]


def _status_refusal(action: str) -> str:
    return {
        EDIT: _("Only a draft or returned report can be changed; reopen an approved one first."),
        SUBMIT: _("Only a draft or returned report can be submitted."),
        DELETE: _("Only a draft or returned report can be deleted."),
        APPROVE: _("Only a submitted report can be approved."),
        RETURN: _("Only a submitted report can be returned."),
        REOPEN: _("Only an approved report can be reopened."),
    }[action]


def wrote(authority: Authority, report: PeriodReport) -> bool:
    """Whether the user wrote, last changed or submitted the report."""
    return authority.user_id is not None and authority.user_id in {
        report.created_by_id,
        report.changed_by_id,
        report.submitted_by_id,
    }


def refusal(authority: Authority, report: PeriodReport, action: str) -> Exception | None:
    """Why the user may not take this action on the report now, or None when they may."""
    needed, with_lead, statuses = RULES[action]
    role = role_for(authority, report.project_id, report.organisation_id, with_lead=with_lead)
    if role is None or ROLE_RANK[role] < ROLE_RANK[needed]:
        if needed == Membership.Role.MANAGER:
            return PermissionDenied(
                _(
                    "Only a manager of the organisation that wrote this report, or of the "
                    "project's lead organisation, may review it."
                )
            )
        return PermissionDenied(
            _("Only the organisation that wrote this report may change or submit it.")
        )
    if report.period.is_locked:
        return Conflict(
            _(
                "The period %(period)s is locked: its report cannot change. Ask an "
                "administrator to unlock it if a correction is needed."
            )
            % {"period": report.period.name}
        )
    if report.status not in statuses:
        return Conflict(_status_refusal(action))
    if (
        action == APPROVE
        and wrote(authority, report)
        and not approves_own_work(authority, report.organisation_id)
    ):
        return PermissionDenied(
            _(
                "You cannot approve a report you wrote, changed or submitted yourself: "
                "another manager must approve it."
            )
        )
    return None


def check(user: User, report: PeriodReport, action: str) -> None:
    problem = refusal(authority_of(user), report, action)
    if problem is not None:
        raise problem


def allowed_transitions(
    user: User, report: PeriodReport, *, authority: Authority | None = None
) -> frozenset[str]:
    """Every action the user may take on the report now. Pass `authority` when asking about
    several reports, so that the user's roles are read once."""
    authority = authority or authority_of(user)
    return frozenset(action for action in ACTIONS if refusal(authority, report, action) is None)
