"""Invite an organisation's administrator, creating the organisation if it is new."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse

from partners import services
from partners.emails import send_invitation
from partners.models import Organisation


class Command(BaseCommand):
    help = (
        "E-mail an invitation to administer an organisation (created if --name is given and it "
        "does not exist), and print its link. The administrator invites everyone else."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("short_name", help="The organisation's short name, e.g. MAM.")
        parser.add_argument("email", help="Who is invited.")
        parser.add_argument("--name", default="", help="Full name, to create the organisation.")
        parser.add_argument(
            "--kind", default=Organisation.Kind.NGO, choices=Organisation.Kind.values
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                organisation = Organisation.objects.filter(
                    short_name__iexact=options["short_name"]
                ).first()
                if organisation is None:
                    if not options["name"]:
                        raise CommandError(
                            "No organisation has this short name: give --name to create it."
                        )
                    organisation = services.save_organisation(
                        short_name=options["short_name"], name=options["name"], kind=options["kind"]
                    )
                invitation, key = services.invite_administrator(
                    organisation=organisation, email=options["email"]
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        link = settings.PORTAL_URL.rstrip("/") + reverse("accept-invitation", args=[key])
        send_invitation(invitation, link)
        self.stdout.write(
            f"Invitation to administer {organisation.name} sent to {invitation.email}:"
        )
        self.stdout.write(f"  {link}")
        self.stdout.write(f"It works once, until {invitation.expires_at:%Y-%m-%d %H:%M %Z}.")
