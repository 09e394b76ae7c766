"""A library's results across projects as a workbook: one sheet of totals, one row per
standard indicator (its years and its categories in columns of their own), and one sheet of
what each project brings to them. In the reader's language; every text is data."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.sheets import Share, Table

from .models import Library
from .selectors import EntryRow


def _total(row: EntryRow) -> Any:
    if row.results is None:
        return None
    total = row.results.total
    return Share(total.share) if total.share is not None else total.value


def write_results(library: Library, rows: list[EntryRow]) -> io.BytesIO:
    years = sorted({year for row in rows if row.results for year in row.results.total.by_year})
    parts: dict[str, str] = {}  # "dimension/category" → name, in the order first met
    for row in rows:
        for part in row.parts:
            parts.setdefault(f"{part.dimension}/{part.category}", part.name)
    book = Workbook(write_only=True)
    totals = Table(
        book.create_sheet(_("Across projects")[:31]),
        [
            _("Code"),
            _("Indicator"),
            _("Measure"),
            _("Unit"),
            _("How figures combine"),
            _("Total across projects"),
            _("Projects with figures"),
            _("Projects linked"),
            *(_("Year %(year)s") % {"year": year} for year in years),
            *parts.values(),
            _("Why the figures add up"),
        ],
        widths={"B": 50},
    )
    for row in rows:
        entry, results = row.entry, row.results
        values = {f"{part.dimension}/{part.category}": part.value for part in row.parts}
        totals.add(
            [
                entry.code,
                entry.translated("name"),
                entry.get_measure_display(),
                entry.translated("unit"),
                entry.get_aggregation_display(),
                _total(row),
                results.total.contributing if results else 0,
                len(results.projects) if results else 0,
                *(results.total.by_year.get(year) if results else None for year in years),
                *(values.get(key) for key in parts),
                row.rule,
            ]
        )
    totals.close()
    projects = Table(
        book.create_sheet(_("By project")[:31]),
        [
            _("Code"),
            _("Indicator"),
            _("Project code"),
            _("Project"),
            _("Project's indicator"),
            _("Approved figure"),
        ],
        widths={"B": 50, "D": 50, "E": 50},
    )
    for row in rows:
        for figure in row.results.projects if row.results else []:
            projects.add(
                [
                    row.entry.code,
                    row.entry.translated("name"),
                    figure.project.code,
                    figure.project.translated("title"),
                    f"{figure.indicator.code} {figure.indicator.translated('name')}",
                    Share(figure.share) if figure.share is not None else figure.value,
                ]
            )
    projects.close()
    book.properties.title = f"{library.name} (v{library.version})"
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    return output
