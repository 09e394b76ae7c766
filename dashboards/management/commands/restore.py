from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dashboards.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup`: every row and evidence file, all or nothing. "
        "The database must be at the same migrations as when the archive was made."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace a database that already holds projects or updates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(
                archive_path=Path(options["archive"]),
                replace=options["replace"],
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {summary.rows} rows and {summary.files} files.")
        )
