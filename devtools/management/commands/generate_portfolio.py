from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from devtools.synthetic import generate_portfolio


class Command(BaseCommand):
    help = "Add a synthetic portfolio of realistic shape, for scale work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=100, help="projects to add")
        parser.add_argument("--updates", type=int, default=10_000, help="progress updates to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable runs")

    def handle(self, *args: Any, projects: int, updates: int, seed: int, **options: Any) -> None:
        if projects < 1:
            raise CommandError("--projects must be at least 1.")
        if updates < 0:
            raise CommandError("--updates cannot be negative.")
        self.stdout.write(f"Adding {projects:,} projects…")
        with tqdm(total=updates, unit="update", disable=options["verbosity"] == 0) as bar:
            summary = generate_portfolio(
                projects=projects, updates=updates, seed=seed, progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {summary.projects:,} projects, {summary.indicators:,} indicators and "
                f"{summary.updates:,} progress updates."
            )
        )
