from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo portfolio (the five seed cases) and demo users. Safe to run again. "
        "It sets every demo user's password to the published demo password and makes `admin` "
        "a superuser, so without DEBUG it runs only when told --reset-demo-accounts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-demo-accounts",
            action="store_true",
            help="Run without DEBUG too, knowing that the demo accounts (admin included) get "
            "the published demo password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["reset_demo_accounts"]:
            raise CommandError(
                "Refused: DEBUG is off, so this may be a real installation. Loading the demo "
                "gives the demo accounts, `admin` (a superuser) among them, a password published "
                "in the README. Run it with --reset-demo-accounts if that is what you want."
            )
        summary = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo portfolio loaded: {summary.projects} projects, {summary.indicators} "
                f"indicators, {summary.updates} illustrative progress updates, "
                f"{summary.library_links} indicators linked to libraries, "
                f"{summary.period_reports} illustrative period reports."
            )
        )
        self.stdout.write(f"Demo logins (the password of each is {summary.password}):")
        for username, description in summary.logins:
            self.stdout.write(f"  {username:<20} {description}")
