"""E-mails about projects: asking an organisation to confirm its part in one."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from partners.models import Membership, Organisation, User

from .models import Funding, Partnership, Project


def ask_for_confirmation(*, project: Project, organisation: Organisation, by: User) -> None:
    """Tell the organisation's administrators that a project names it, and where to confirm."""
    recipients = list(
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return
    roles = sorted(
        {
            str(p.get_role_display())
            for p in Partnership.every.filter(project=project, organisation=organisation)
        }
    )
    context = {
        "project": project,
        "organisation": organisation,
        "by": by,
        "roles": ", ".join(roles).lower(),
        "funds": Funding.every.filter(project=project, funder=organisation).exists(),
        "link": settings.PORTAL_URL.rstrip("/") + reverse("projects:confirmations"),
    }
    subject = _("%(project)s names %(organisation)s: please confirm") % {
        "project": project.title[:80],
        "organisation": organisation.name,
    }
    body = render_to_string("projects/confirmation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
