"""How long a progress import of N rows takes, against raw SQL inserting the same rows.

Everything happens inside a transaction that is rolled back: the database is left as found."""

import csv
import io
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from indicators.models import Category, Dimension, Indicator, IndicatorDimension, Period
from indicators.services import ImportOutcome, import_progress
from indicators.spreadsheets.progress import header
from partners.models import Membership, Organisation, User
from projects.models import Confirmation, Partnership, Project


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time a progress import (check, then commit) of N rows against raw SQL inserts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = options["rows"]
        try:
            with transaction.atomic():
                self._run(rows)
                raise Rollback
        except Rollback:
            pass

    def _run(self, rows: int) -> None:
        project, editor = _project()
        data = _csv(project, rows)

        def timed(commit: bool) -> tuple[ImportOutcome, float]:
            started = time.perf_counter()
            outcome = import_progress(
                project=project,
                by=editor,
                upload=io.BytesIO(data),
                name="b.csv",
                submit=True,
                commit=commit,
            )
            return outcome, time.perf_counter() - started

        checked, check_seconds = timed(commit=False)
        assert not checked.problems, checked.problems[:3]
        done, commit_seconds = timed(commit=True)
        assert done.created == rows, done.problems[:3]
        baseline = _raw_sql(project, editor, rows)
        self.stdout.write(f"Rows: {rows:,} (each with a total and 2 categories)")
        self.stdout.write(f"  check only (parse + every service check): {check_seconds:6.2f} s")
        self.stdout.write(f"  check and commit, with history:           {commit_seconds:6.2f} s")
        self.stdout.write(f"  raw SQL inserting the update rows alone:  {baseline:6.2f} s")
        self.stdout.write(
            f"  commit / raw SQL:                         {commit_seconds / baseline:6.1f} ×"
        )


def _project() -> tuple[Project, User]:
    stamp = timezone.now().strftime("%H%M%S%f")
    ngo = Organisation.objects.create(
        name=f"Benchmark NGO {stamp}", short_name=f"BENCH{stamp}", kind="ngo"
    )
    project = Project.objects.create(
        code=f"benchmark-{stamp}",
        title="Benchmark",
        planned_start=date(2024, 1, 1),
        planned_end=date(2025, 12, 31),
    )
    Partnership.objects.create(
        project=project, organisation=ngo, role=Partnership.Role.IMPLEMENTING
    )
    Confirmation.objects.create(project=project, organisation=ngo)
    Period.objects.create(
        project=project, name="2024", start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    sex = Dimension.objects.create(slug=f"bench-sex-{stamp}", name=f"Sex {stamp}", kind="sex")
    Category.objects.create(dimension=sex, slug="women", name="Women", order=0)
    Category.objects.create(dimension=sex, slug="men", name="Men", order=1)
    for number in range(10):
        indicator = Indicator.objects.create(
            project=project, code=f"B-{number}", name=f"People {number}", target_value=1000
        )
        IndicatorDimension.objects.create(indicator=indicator, dimension=sex, exhaustive=True)
    editor = User.objects.create(username=f"bench-editor-{stamp}")
    Membership.objects.create(user=editor, organisation=ngo, role="editor")
    return project, editor


def _csv(project: Project, rows: int) -> bytes:
    columns = header(project)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for number in range(rows):
        record = dict.fromkeys(columns, "")
        record.update({"Indicator code": f"B-{number % 10}", "Period": "2024"})
        women, men = number % 7, number % 5
        for column in columns:
            if column.endswith(": Women"):
                record[column] = str(women)
            elif column.endswith(": Men"):
                record[column] = str(men)
        writer.writerow([record[column] for column in columns])
    return buffer.getvalue().encode()


def _raw_sql(project: Project, editor: User, rows: int) -> float:
    indicator_ids = list(project.indicators.values_list("pk", flat=True))
    period_id = project.periods.get().pk
    now = timezone.now()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.executemany(
            "INSERT INTO indicators_progressupdate (indicator_id, period_id, as_of, value, "
            "narrative, evidence_url, evidence_file, is_illustrative, status, version, "
            "review_note, created_by_id, figures_changed_by_id, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, '', '', '', %s, 'submitted', 1, '', %s, %s, %s, %s)",
            [
                (
                    indicator_ids[n % 10],
                    period_id,
                    date(2024, 12, 31),
                    n % 7 + n % 5,
                    False,
                    editor.pk,
                    editor.pk,
                    now,
                    now,
                )
                for n in range(rows)
            ],
        )
        return time.perf_counter() - started
