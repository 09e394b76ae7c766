from pathlib import Path

from django.core.management.base import BaseCommand

from portfolio.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write the database and the evidence files to one dated archive "
        "(portal-backup-YYYYMMDD-HHMMSS.tar.gz) in the given folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="backups", help="Folder for the archive (default: backups)."
        )

    def handle(self, *args, **options):
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
