from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.benchmark import BenchmarkError, run


class Command(BaseCommand):
    help = (
        "Measure the recompute, the API lists and the dashboards on a synthetic portfolio "
        "(generated, or reused when one of the same size is there), against raw SQL in the "
        "same run. Meant for PostgreSQL, with REDIS_URL for the part with real workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=1_000)
        parser.add_argument("--updates", type=int, default=1_000_000)
        parser.add_argument("--repeats", type=int, default=21, help="requests timed per page")
        parser.add_argument(
            "--no-workers", action="store_true", help="skip the part with real Celery workers"
        )

    def handle(self, *args: Any, projects: int, updates: int, repeats: int, **options: Any) -> None:
        if projects < 1 or updates < 0 or repeats < 1:
            raise CommandError("Ask for at least 1 project, 0 or more updates and 1 repeat.")
        try:
            run(
                projects=projects,
                updates=updates,
                repeats=repeats,
                with_workers=not options["no_workers"],
                out=self.stdout.write,
            )
        except BenchmarkError as error:
            raise CommandError(str(error)) from error
