"""Whether Celery beat is alive: it writes its schedule file each time it sends a task (every
30 s here, the webhook retries and the snapshot repair), so a file older than a few minutes
means beat is stuck or gone. For compose's health check of the beat service."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

STALE_AFTER_SECONDS = 300


class Command(BaseCommand):
    help = "Exit with an error unless Celery beat wrote its schedule file recently."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("schedule", help="the path given to `celery beat --schedule`")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["schedule"]))
        # The dbm module under shelve may add a suffix (.db, or .dat and .dir).
        files = [path] if path.exists() else list(path.parent.glob(path.name + ".*"))
        if not files:
            raise CommandError(f"No schedule file at {path}: beat has not started.")
        age = time.time() - max(file.stat().st_mtime for file in files)
        if age > STALE_AFTER_SECONDS:
            raise CommandError(f"Beat last wrote its schedule {age:.0f} s ago.")
        self.stdout.write(f"Beat wrote its schedule {age:.0f} s ago.")
