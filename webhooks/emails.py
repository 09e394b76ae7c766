"""What the portal writes to an organisation about its webhooks."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partners.models import Membership

from .models import Webhook


def tell_webhook_disabled(webhook: Webhook) -> None:
    """The organisation's administrators learn that a webhook was disabled, and why."""
    admins = Membership.objects.filter(
        organisation_id=webhook.organisation_id, role=Membership.Role.ADMIN
    ).select_related("user")
    for membership in admins:
        user = membership.user
        if not user.email or not user.is_active:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("Webhook disabled: %(url)s") % {"url": webhook.url}
            stopped = _("The portal stopped sending events to %(url)s.") % {"url": webhook.url}
            again = _(
                "Once the address answers again, register it anew on the webhooks page of "
                "%(organisation)s: %(page)s"
            ) % {
                "organisation": webhook.organisation.name,
                "page": settings.PORTAL_URL.rstrip("/")
                + reverse("webhooks", args=[webhook.organisation_id]),
            }
            body = f"{stopped} {webhook.disabled_reason}\n\n{again}\n"
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
