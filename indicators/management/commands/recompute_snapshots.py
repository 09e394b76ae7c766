from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from indicators.models import Indicator
from indicators.services import snapshots


class Command(BaseCommand):
    help = "Recompute every dashboard snapshot from approved updates (or only the stale ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale", action="store_true", help="only snapshots marked stale or missing"
        )

    def handle(self, *args: Any, stale: bool, **options: Any) -> None:
        ids = (
            snapshots.stale_indicator_ids()
            if stale
            else list(Indicator.objects.order_by("project_id", "pk").values_list("pk", flat=True))
        )
        with tqdm(total=len(ids), unit="indicator", disable=options["verbosity"] == 0) as bar:
            done = snapshots.recompute(ids, progress_callback=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Recomputed {done:,} indicators' snapshots."))
