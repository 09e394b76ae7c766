from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from indicators.services.evidence import unreferenced_evidence_files
from reporting.services.files import unreferenced_report_files


class Command(BaseCommand):
    help = (
        "Delete stored files that no update and no period report refers to (left by an "
        "interrupted upload, for example). Files still referred to are never touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List them; delete nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        names = unreferenced_evidence_files() + unreferenced_report_files()
        for name in names:
            self.stdout.write(f"  {name}")
            if not options["dry_run"]:
                default_storage.delete(name)
        verb = "Would delete" if options["dry_run"] else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(names)} unreferenced files."))
