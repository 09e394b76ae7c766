"""Send again the webhook events still pending: on a single machine without a worker, the
events whose first attempt failed wait for this (run it from cron every few minutes)."""

from django.core.management.base import BaseCommand

from webhooks.models import Delivery
from webhooks.services import dispatch


class Command(BaseCommand):
    help = "Send again the webhook events still pending."

    def handle(self, *args: object, **options: object) -> None:
        pending = list(
            Delivery.objects.filter(status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        dispatch(pending)
        left = Delivery.objects.filter(pk__in=pending, status=Delivery.Status.PENDING).count()
        self.stdout.write(f"{len(pending)} pending events sent again; {left} still pending.")
