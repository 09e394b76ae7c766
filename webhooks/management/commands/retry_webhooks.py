"""Send again the webhook events whose next attempt is due: where no beat runs (a single
machine without a worker), run it from cron every few minutes."""

from django.core.management.base import BaseCommand

from webhooks.tasks import retry_due


class Command(BaseCommand):
    help = "Send again the webhook events whose next attempt is due."

    def handle(self, *args: object, **options: object) -> None:
        sent = retry_due()
        self.stdout.write(f"{sent} due webhook events sent again.")
