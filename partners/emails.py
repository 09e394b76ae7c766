from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import Invitation
from .services import INVITATION_LIFETIME


def send_invitation(invitation: Invitation, link: str) -> None:
    context = {"invitation": invitation, "link": link, "days": INVITATION_LIFETIME.days}
    subject = _("Invitation to %(organisation)s on the NGO portfolio portal") % {
        "organisation": invitation.organisation.name
    }
    body = render_to_string("partners/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
