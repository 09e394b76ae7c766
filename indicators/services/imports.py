"""Importing progress from a filled-in template: checked whole first, then stored all or
nothing through create_updates."""

from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from indicators.spreadsheets import progress as progress_sheet
from partners.models import User
from projects.models import Project

from .updates import RowErrors, create_updates


class _CheckOnly(Exception):
    """Rolls back a dry run once every row has been through the services."""


@dataclass
class ImportOutcome:
    checked: int = 0
    created: int = 0
    problems: list = field(default_factory=list)


def import_progress(
    *, project: Project, by: User, upload: IO[bytes], name: str, submit: bool, commit: bool
) -> ImportOutcome:
    """Check every row of the file against the services (and, with `commit`, store them all)
    or store nothing; the outcome lists each problem by row and column."""
    sheet = progress_sheet.read(project, upload, name)
    numbers = [number for number, _row in sheet.rows]
    outcome = ImportOutcome(checked=len(sheet.rows), problems=list(sheet.problems))
    try:
        with transaction.atomic():
            created = create_updates(
                project=project, by=by, rows=[row for _n, row in sheet.rows], submit=submit
            )
            if outcome.problems or not commit:
                raise _CheckOnly
            outcome.created = len(created)
    except RowErrors as refused:
        names = [name for name, _category in progress_sheet.category_columns(project)]
        unreadable = {(problem.row, problem.column) for problem in outcome.problems}
        for position, error in refused.problems.items():
            outcome.problems.extend(
                problem
                for problem in progress_sheet.row_problems(error, numbers[position], names)
                # A cell that did not read is named once, for what was wrong with it.
                if (problem.row, problem.column) not in unreadable
            )
    except _CheckOnly:
        pass
    outcome.problems.sort(key=lambda problem: (problem.row, problem.column))
    return outcome
