"""Turn off someone's two-factor sign-in, when they have lost both their phone and their
recovery codes. Check who is asking first: this is what an attacker with a password wants."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners import two_factor
from partners.models import User


class Command(BaseCommand):
    help = "Remove a person's two-factor devices (authenticator app and recovery codes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        two_factor.remove_all(user=user)
        required = two_factor.must_set_up(user)
        self.stdout.write(
            f"Two-factor sign-in removed for {user.username}"
            + (
                "; their organisation requires it, so they set it up again at sign-in."
                if required
                else "."
            )
        )
