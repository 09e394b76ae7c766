"""Who sees and who loads an organisation's indicator libraries, what a project may link to
them, and their results across projects."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Prefetch, QuerySet, When
from django.http import Http404
from django.utils.translation import gettext as _

from indicators import progress, wording
from indicators.models import Category, Dimension, Indicator
from partners.models import Organisation, User
from partners.selectors import acting_organisations, ancestors, managed_organisations
from projects.models import Funding, Partnership, Project
from projects.selectors import visible_projects

from .models import Entry, Library, Link


def _owners_seen_by(user: User | AnonymousUser) -> set[int] | None:
    """The organisations whose libraries a user sees: those they act for and the networks above
    them (None: all, for a superuser)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    own = set(acting_organisations(user))
    return own.union(*ancestors(own).values())


def visible_libraries(user: User | AnonymousUser) -> QuerySet[Library]:
    owners = _owners_seen_by(user)
    if owners is None:
        return Library.objects.all()
    return Library.objects.filter(organisation_id__in=owners)


def may_load_library(user: User, organisation: Organisation) -> bool:
    """An organisation's administrators and managers keep its libraries."""
    return managed_organisations(user).filter(pk=organisation.pk).exists()


def organisation_with_libraries(user: User | AnonymousUser, pk: int) -> Organisation:
    """An organisation whose libraries the user may see; 404 for anyone else."""
    owners = _owners_seen_by(user)
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or (owners is not None and pk not in owners):
        raise Http404
    return organisation


def libraries_of(organisation: Organisation) -> QuerySet[Library]:
    """Every version of the organisation's libraries, the newest first, with their sizes."""
    return (
        Library.objects.filter(organisation=organisation)
        .annotate(entry_count=Count("entries"))
        .select_related("created_by")
        .order_by("name", "-version")
    )


def library_for_page(user: User | AnonymousUser, pk: int) -> Library:
    library = (
        visible_libraries(user)
        .select_related("organisation", "created_by")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.prefetch_related(
                    Prefetch("dimensions", queryset=Dimension.objects.order_by("name"))
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if library is None:
        raise Http404
    return library


def usable_dimensions(organisation: Organisation) -> QuerySet[Dimension]:
    """The dimensions a library's indicators may require: the shared ones and the
    organisation's own."""
    return Dimension.objects.filter(owner__isnull=True) | Dimension.objects.filter(
        owner=organisation
    )


def linkable_libraries(project: Project) -> QuerySet[Library]:
    """The current libraries a project's indicators may be linked to: those of an organisation
    working on the project, of a funder that confirmed its funding, or of a network above
    one of them."""
    working = set(
        Partnership.objects.filter(project=project).values_list("organisation_id", flat=True)
    )
    funders = set(Funding.objects.filter(project=project).values_list("funder_id", flat=True))
    above = ancestors(working | funders)
    owners = working | funders
    owners = owners.union(*above.values())
    return Library.objects.filter(organisation_id__in=owners, superseded_at=None).select_related(
        "organisation"
    )


def link_problems(indicator: Indicator, entry: Entry) -> list[str]:
    """Why the indicator may not be linked to the library indicator (none when it may): the
    library must be one the project may use, and the two must count the same thing the same
    way, so that their figures add up."""
    refusal = library_refusal(indicator.project, entry)
    problems = [refusal] if refusal else []
    used = set(indicator.dimensions.values_list("pk", flat=True))
    return problems + _mismatches(indicator, entry, used, _linked_elsewhere(indicator))


def library_refusal(project: Project, entry: Entry) -> str | None:
    """Why the project may not use the entry's library, or None when it may."""
    if linkable_libraries(project).filter(pk=entry.library_id).exists():
        return None
    return _(
        "%(organisation)s's library is not one this project may use: only those of "
        "the organisations working on it, of its confirmed funders and of their networks."
    ) % {"organisation": entry.library.organisation.name}


def _linked_elsewhere(indicator: Indicator) -> dict[tuple[int, str, str], str]:
    """(library owner, library name, entry code) → the code of the project's other indicator
    linked to it."""
    return {
        (owner, name, code.casefold()): indicator_code
        for owner, name, code, indicator_code in Link.objects.filter(
            indicator__project_id=indicator.project_id
        )
        .exclude(indicator=indicator)
        .values_list(
            "entry__library__organisation_id",
            "entry__library__name",
            "entry__code",
            "indicator__code",
        )
    }


def _mismatches(
    indicator: Indicator,
    entry: Entry,
    used: set[int],
    elsewhere: dict[tuple[int, str, str], str],
) -> list[str]:
    problems = []
    if indicator.measure != entry.measure:
        problems.append(
            _("The indicator is a %(given)s, the library's a %(wanted)s.")
            % {
                "given": indicator.get_measure_display().lower(),
                "wanted": entry.get_measure_display().lower(),
            }
        )
    if indicator.aggregation != entry.aggregation:
        problems.append(
            _("The indicator's figures combine as “%(given)s”, the library's as “%(wanted)s”.")
            % {
                "given": indicator.get_aggregation_display(),
                "wanted": entry.get_aggregation_display(),
            }
        )
    if entry.unit and not _same_unit(indicator, entry):
        problems.append(
            _("The indicator counts %(given)s, the library's %(wanted)s.")
            % {"given": indicator.unit or "—", "wanted": entry.unit}
        )
    missing = [dimension for dimension in entry.dimensions.all() if dimension.pk not in used]
    if missing:
        problems.append(
            _("The library asks for figures by %(dimensions)s, which the indicator lacks.")
            % {"dimensions": ", ".join(dimension.translated("name") for dimension in missing)}
        )
    twin = elsewhere.get((entry.library.organisation_id, entry.library.name, entry.code.casefold()))
    if twin is not None:
        problems.append(
            _(
                "The project's indicator %(code)s is linked to it already: a project counts "
                "once in the library's results."
            )
            % {"code": twin}
        )
    return problems


def _same_unit(indicator: Indicator, entry: Entry) -> bool:
    wanted = {entry.unit, *entry.translations_of("unit").values()}
    given = {indicator.unit, *indicator.translations_of("unit").values()}
    return bool({unit.casefold() for unit in wanted} & {unit.casefold() for unit in given})


def linkable_entries(indicator: Indicator) -> list[Entry]:
    """The library indicators this indicator may be linked to, in a fixed number of queries."""
    used = set(indicator.dimensions.values_list("pk", flat=True))
    elsewhere = _linked_elsewhere(indicator)
    return [
        entry
        for entry in entries_for_project(indicator.project).prefetch_related("dimensions")
        if not _mismatches(indicator, entry, used, elsewhere)
    ]


def entries_for_project(project: Project) -> QuerySet[Entry]:
    """The library indicators a project may create its indicators from."""
    return (
        Entry.objects.filter(library__in=linkable_libraries(project))
        .select_related("library__organisation")
        .order_by("library__name", "order", "code")
    )


@dataclass(frozen=True)
class ProjectFigure:
    project: Project
    indicator: Indicator
    value: Decimal | None
    share: Decimal | None


@dataclass(frozen=True)
class EntryResults:
    total: progress.AcrossProjects
    projects: list[ProjectFigure]
    entry: Entry  # the one an indicator is linked to


def results_across_projects(
    user: User | AnonymousUser, library: Library
) -> dict[str, EntryResults]:
    """For each code of the library (whichever of its versions an indicator is linked to),
    the approved figures of the linked indicators in the projects the user sees, and their
    total. Read from the snapshots, in one query whatever the number of projects."""
    links = Link.objects.filter(
        entry__library__organisation_id=library.organisation_id,
        entry__library__name=library.name,
    )
    return {code: results for (_name, code), results in _results(user, links).items()}


@dataclass(frozen=True)
class StandardResult:
    library: Library
    entry: Entry
    results: EntryResults


def organisation_results(
    user: User | AnonymousUser, organisation: Organisation
) -> list[StandardResult]:
    """The results across projects of every standard indicator of the organisation's
    libraries that a project the user sees is linked to, for its dashboard: in two queries,
    whatever the number of libraries and projects."""
    links = Link.objects.filter(
        entry__library__organisation=organisation,
        entry__library__in=visible_libraries(user),
    )
    found = _results(user, links)
    if not found:
        return []
    current = {
        (entry.library.name, entry.code.casefold()): entry
        for entry in Entry.objects.filter(
            library__organisation=organisation, library__superseded_at=None
        ).select_related("library")
    }
    shown = []
    for (name, code), results in found.items():
        entry = current.get((name, code)) or results.entry
        shown.append(StandardResult(entry.library, entry, results))
    return sorted(shown, key=lambda row: (row.library.name, row.entry.order, row.entry.code))


def _results(
    user: User | AnonymousUser, links: QuerySet[Link]
) -> dict[tuple[str, str], EntryResults]:
    found: dict[tuple[str, str], list[tuple[ProjectFigure, progress.Contribution]]] = {}
    entries: dict[tuple[str, str], Entry] = {}
    for link in (
        links.filter(indicator__project__in=visible_projects(user))
        .select_related("entry__library", "indicator__project", "indicator__snapshot")
        .order_by("indicator__project__title", "indicator__code")
    ):
        indicator = link.indicator
        snapshot = getattr(indicator, "snapshot", None)
        value = snapshot.achieved if snapshot is not None else None
        periods = [
            (date.fromisoformat(period["end"]), _decimal(period.get("achieved_value")))
            for period in (snapshot.periods if snapshot is not None else [])
        ]
        contribution = progress.Contribution(
            value=value,
            numerator=snapshot.numerator if snapshot is not None else None,
            denominator=snapshot.denominator if snapshot is not None else None,
            parts={
                key: Decimal(part) for key, part in (snapshot.parts if snapshot else {}).items()
            },
            by_year=progress.by_year(indicator.aggregation, periods),
        )
        share = (
            progress.share_of(contribution.numerator, contribution.denominator)
            if indicator.measure == progress.Measure.PERCENTAGE
            else None
        )
        key = (link.entry.library.name, link.entry.code.casefold())
        entries[key] = link.entry
        found.setdefault(key, []).append(
            (ProjectFigure(indicator.project, indicator, value, share), contribution)
        )
    return {
        key: EntryResults(
            total=progress.across_projects(entries[key].measure, [c for _f, c in rows]),
            projects=[figure for figure, _c in rows],
            entry=entries[key],
        )
        for key, rows in found.items()
    }


@dataclass(frozen=True)
class Part:
    """One category's total across projects: "sex/women" as its slugs and its name."""

    dimension: str
    category: str
    name: str
    value: Decimal


@dataclass(frozen=True)
class EntryRow:
    """One indicator of a library with its results across projects (None when no project the
    reader sees is linked to it), their parts with the sex categories first, and the rule that
    makes the total legitimate."""

    entry: Entry
    results: EntryResults | None
    parts: list[Part]

    @property
    def rule(self) -> str:
        return wording.across_projects_rule(self.entry.measure, self.entry.aggregation)


def library_results(user: User | AnonymousUser, library: Library) -> list[EntryRow]:
    """Every indicator of the library with its results across the projects the user sees, for
    its page, its spreadsheet and the API: in a fixed number of queries once the library's
    entries are prefetched."""
    results = results_across_projects(user, library)
    names = category_names()
    rows = []
    for entry in library.entries.all():
        found = results.get(entry.code.casefold())
        totals = found.total.parts if found is not None else {}
        ordered = [key for key in names if key in totals]
        ordered += sorted(key for key in totals if key not in names)
        parts = []
        for key in ordered:
            dimension, _slash, category = key.partition("/")
            parts.append(Part(dimension, category, names.get(key, key), totals[key]))
        rows.append(EntryRow(entry, found, parts))
    return rows


def _decimal(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def category_names() -> dict[str, str]:
    """ "dimension/category" → "Dimension: category", in the reader's language, the sex
    categories first, for showing the parts of results."""
    categories = Category.objects.select_related("dimension").order_by(
        Case(When(dimension__kind=Dimension.Kind.SEX, then=0), default=1),
        "dimension__name",
        "order",
    )
    return {
        f"{category.dimension.slug}/{category.slug}": (
            f"{category.dimension.translated('name')}: {category.translated('name')}"
        )
        for category in categories
    }
