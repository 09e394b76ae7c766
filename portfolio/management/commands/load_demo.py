from django.core.management.base import BaseCommand

from portfolio.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo portfolio (the five seed cases) and demo users. Safe to run again."

    def handle(self, *args, **options):
        summary = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo portfolio loaded: {summary.projects} projects, {summary.indicators} "
                f"indicators, {summary.updates} illustrative progress updates."
            )
        )
        self.stdout.write(f"Demo logins (the password of each is {summary.password}):")
        for username, description in summary.logins:
            self.stdout.write(f"  {username:<20} {description}")
