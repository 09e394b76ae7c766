"""Loading a library: every row checked against the portal's measures, combinations and
dimensions, every problem named by its row, nothing stored unless all rows are sound. Loading
a library of the same name again makes its next version; the previous one is kept."""

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.checks import refuse_nul_and_oversize
from indicators.models import Dimension, Indicator
from indicators.services import DimensionUse, create_indicator
from partners.models import Organisation, User
from projects.models import Project, Result
from projects.services import require_setup

from .models import Entry, Library, Link
from .selectors import library_refusal, link_problems, may_load_library, usable_dimensions
from .sheet import KEYS

Row = Mapping[str, str]


def _words(choices: type[Indicator.Measure] | type[Indicator.Aggregation]) -> dict[str, str]:
    """What a cell may say for a choice: its code, or its label in any language of the portal."""
    words = {}
    for value, label in choices.choices:
        words[value.casefold()] = value
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                words[str(label).casefold()] = value
    return words


def _field(row: Row, key: str) -> str:
    return row.get(key, "").strip()


class _RowProblems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, number: int, message: str) -> None:
        self.messages.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": message})


def _check_rows(
    rows: Sequence[tuple[int, Row]], *, language: str, dimensions: Mapping[str, Dimension]
) -> tuple[list[tuple[Entry, list[Dimension]]], list[str]]:
    measures = _words(Indicator.Measure)
    aggregations = _words(Indicator.Aggregation)
    url = URLValidator(schemes=["http", "https"])
    problems = _RowProblems()
    entries: list[tuple[Entry, list[Dimension]]] = []
    first_row_of: dict[str, int] = {}
    for order, (number, row) in enumerate(rows):
        texts = {key: _field(row, key) for key in KEYS}
        if any("\x00" in text for text in texts.values()):
            problems.add(number, _("a cell holds a NUL character, which cannot be stored."))
            continue
        code = texts["code"]
        if not code:
            problems.add(number, _("give the indicator a code."))
        elif len(code) > 32:
            problems.add(number, _("a code has at most 32 characters."))
        elif code.casefold() in first_row_of:
            problems.add(
                number,
                _("the code %(code)s is also on row %(row)s.")
                % {"code": code, "row": first_row_of[code.casefold()]},
            )
        else:
            first_row_of[code.casefold()] = number
        names = {lang: texts[f"name_{lang}"] for lang, _name in settings.LANGUAGES}
        if not names.get(language):
            problems.add(
                number,
                _("give the name in %(language)s.")
                % {"language": translation.get_language_info(language)["name_translated"]},
            )
        if any(len(name) > 500 for name in names.values()):
            problems.add(number, _("a name has at most 500 characters."))
        measure = measures.get(texts["measure"].casefold())
        if not texts["measure"]:
            problems.add(
                number,
                _("give the measure: count, percentage, amount, milestone or qualitative."),
            )
        elif measure is None:
            problems.add(
                number,
                _(
                    "“%(given)s” is not a measure: write count, percentage, amount, milestone or "
                    "qualitative."
                )
                % {"given": texts["measure"]},
            )
        aggregation = aggregations.get(texts["aggregation"].casefold() or "sum")
        if aggregation is None:
            problems.add(
                number,
                _("“%(given)s” is not a way to combine figures: write sum or latest.")
                % {"given": texts["aggregation"]},
            )
        if len(texts["unit"]) > 64:
            problems.add(number, _("a unit has at most 64 characters."))
        required = []
        for slug in filter(
            None, (part.strip() for part in re.split("[;,]", texts["disaggregations"]))
        ):
            dimension = dimensions.get(slug.casefold())
            if dimension is None:
                problems.add(
                    number,
                    _("there is no dimension “%(slug)s” to require; the dimensions are: %(known)s.")
                    % {
                        "slug": slug,
                        "known": ", ".join(sorted(d.slug for d in dimensions.values())),
                    },
                )
            else:
                required.append(dimension)
        methodology = texts["methodology"]
        if methodology:
            try:
                url(methodology)
            except ValidationError:
                problems.add(number, _("the methodology is not a web address (http or https)."))
        if len(methodology) > 1000 or len(texts["tags"]) > 200:
            problems.add(number, _("the methodology link or the tags are too long."))
        entry = Entry(
            code=code,
            name=names.get(language, ""),
            measure=measure or "",
            unit=texts["unit"],
            aggregation=aggregation or "",
            methodology_url=methodology,
            tags=texts["tags"],
            order=order,
            translations={
                lang: {"name": name} for lang, name in names.items() if name and lang != language
            },
        )
        entries.append((entry, required))
    return entries, problems.messages


@transaction.atomic
def load_library(
    *,
    organisation: Organisation,
    by: User,
    name: str,
    language: str,
    source: str = "",
    rows: Sequence[tuple[int, Row]],
) -> Library:
    """Store the rows as the next version of the organisation's library called `name` (its
    first when there is none). `rows` are (spreadsheet row number, {field: text}) with the
    fields of libraries.sheet.KEYS. Raises ValidationError listing every problem."""
    if not may_load_library(by, organisation):
        raise PermissionDenied(
            _("Only an administrator or a manager of %(organisation)s may load its libraries.")
            % {"organisation": organisation.name}
        )
    name = name.strip()
    refuse_nul_and_oversize(name=name, source=source)
    problems: list[str] = []
    if not name:
        problems.append(_("Give the library a name."))
    elif len(name) > 200:
        problems.append(_("A library's name has at most 200 characters."))
    if language not in dict(settings.LANGUAGES):
        problems.append(_("Choose one of the languages offered."))
        language = settings.LANGUAGE_CODE
    if source:
        try:
            URLValidator(schemes=["http", "https"])(source)
        except ValidationError:
            problems.append(_("Where the list is published is not a web address."))
    if not rows:
        problems.append(_("The file has no indicators under its header."))
    dimensions = {
        dimension.slug.casefold(): dimension for dimension in usable_dimensions(organisation)
    }
    entries, row_problems = _check_rows(rows, language=language, dimensions=dimensions)
    problems.extend(row_problems)
    if problems:
        raise ValidationError(problems)
    earlier = Library.objects.select_for_update().filter(organisation=organisation, name=name)
    version = (earlier.aggregate(last=Max("version"))["last"] or 0) + 1
    earlier.filter(superseded_at=None).update(superseded_at=timezone.now())
    library = Library.objects.create(
        organisation=organisation,
        name=name,
        version=version,
        language=language,
        source=source,
        created_by=by,
    )
    for entry, _required in entries:
        entry.library = library
    Entry.objects.bulk_create([entry for entry, _required in entries])
    Entry.dimensions.through.objects.bulk_create(
        [
            Entry.dimensions.through(entry_id=entry.pk, dimension_id=dimension.pk)
            for entry, required in entries
            for dimension in required
        ]
    )
    return library


@transaction.atomic
def link_indicator(*, indicator: Indicator, entry: Entry, by: User) -> Link:
    """Report the project's indicator as the library's standard indicator, once the two are
    shown to count the same thing the same way. Raises ValidationError naming every reason."""
    require_setup(by, indicator.project)
    problems = link_problems(indicator, entry)
    if problems:
        raise ValidationError(problems)
    link, _created = Link.objects.update_or_create(
        indicator=indicator, defaults={"entry": entry, "linked_by": by}
    )
    return link


@transaction.atomic
def unlink_indicator(*, indicator: Indicator, by: User) -> None:
    require_setup(by, indicator.project)
    Link.objects.filter(indicator=indicator).delete()


@transaction.atomic
def create_from_entry(
    *,
    project: Project,
    entry: Entry,
    by: User,
    code: str,
    result: Result | None = None,
    target_value: Decimal | None = None,
) -> Indicator:
    """A new indicator of the project made from the library's: its name in every language it
    has, measure, unit, how figures combine and required disaggregations, linked to it."""
    require_setup(by, project)
    refusal = library_refusal(project, entry)
    if refusal:
        raise ValidationError({"entry": refusal})
    names = {entry.library.language: entry.name, **entry.translations_of("name")}
    units = {entry.library.language: entry.unit, **entry.translations_of("unit")}
    language = project.language if names.get(project.language) else entry.library.language
    translations = {
        other: {
            field: text
            for field, text in (("name", names.get(other, "")), ("unit", units.get(other, "")))
            if text
        }
        for other in {*names, *units} - {language}
    }
    indicator = create_indicator(
        project=project,
        by=by,
        definition={
            "code": code,
            "name": names[language],
            "unit": units.get(language, "") or entry.unit,
            "measure": entry.measure,
            "aggregation": entry.aggregation,
            "result": result,
            "target_value": target_value,
            "dimensions": [DimensionUse(dimension) for dimension in entry.dimensions.all()],
            "translations": {lang: texts for lang, texts in translations.items() if texts},
        },
    )
    link_indicator(indicator=indicator, entry=entry, by=by)
    return indicator
