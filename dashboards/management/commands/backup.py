from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dashboards.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write the database and the evidence files to one dated archive "
        "(portal-backup-YYYYMMDD-HHMMSS.tar.gz) in the given folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", default="backups", help="Folder for the archive (default: backups)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = write_backup(
            directory=Path(options["output"]),
            report=lambda line: (
                self.stdout.write(f"  {line}") if options["verbosity"] > 1 else None
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {summary.rows} rows and {summary.files} files to {summary.path}"
            )
        )
