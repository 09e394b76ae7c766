"""What the API lists for a caller: one queryset per kind, shared by the lists and the change
feed so that both say the same."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from indicators.models import Dimension, Indicator, ProgressUpdate
from indicators.selectors import update_values, visible_updates
from libraries.models import Entry, Library
from libraries.selectors import visible_libraries
from partners.models import Organisation, User
from partners.selectors import administered_organisation, administered_organisations
from projects.models import BeneficiaryGroup, Funding, Location, Partnership, Project
from projects.selectors import visible_organisations, visible_projects
from reporting.models import BudgetLine, Expenditure, PeriodReport
from reporting.selectors import visible_budget_lines, visible_reports

from .models import ApiToken

__all__ = [
    "administered_organisation",
    "administered_organisations",
    "listed_budget_lines",
    "listed_indicators",
    "listed_libraries",
    "listed_organisations",
    "listed_period_reports",
    "listed_projects",
    "listed_updates",
    "project_relations",
    "reported_to_iati",
    "tokens_of",
]

# Where a listed update keeps its values (a plain list, see UpdateSerializer).
LISTED_VALUES = "listed_values"


def tokens_of(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def listed_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    return visible_organisations(user).order_by("id")


def listed_projects(user: User | AnonymousUser) -> QuerySet[Project]:
    """The projects, with their figures; what hangs from each comes in rows
    (`project_relations`), for a whole page at once."""
    return visible_projects(user).select_related("snapshot").order_by("id")


@dataclass(frozen=True)
class ProjectRelations:
    """Project id → rows of what hangs from it, each list in its model's order."""

    fundings: dict[int, list[tuple]]  # funder id and name, amount, currency, date, instrument
    partners: dict[int, list[tuple]]  # organisation id and name, role
    beneficiary_groups: dict[int, list[tuple]]  # id, name, estimated size, women's share
    locations: dict[int, list[tuple]]  # id, name, kind, code, parent, latitude, longitude


def project_relations(project_ids: Sequence[int]) -> ProjectRelations:
    """The fundings, partners, beneficiary groups and places of these projects, in one query
    each and as plain rows: a page of projects costs the same four queries as one project."""
    fundings = Funding.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "funder_id", "funder__name", "amount", "currency", "date", "instrument"
    )
    partners = Partnership.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "organisation_id", "organisation__name", "role"
    )
    groups = BeneficiaryGroup.objects.filter(project_id__in=project_ids).values_list(
        "project_id", "id", "name", "estimated_size", "women_share"
    )
    places = (
        Location.objects.filter(projects__in=project_ids)
        .order_by("name", "pk")  # the places' own order (by name), as the project lists them
        .values_list("projects", "id", "name", "kind", "code", "parent_id", "latitude", "longitude")
    )
    return ProjectRelations(
        fundings=_by_project(fundings),
        partners=_by_project(partners),
        beneficiary_groups=_by_project(groups),
        locations=_by_project(places),
    )


def _by_project(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for project_id, *rest in rows:
        grouped[project_id].append(tuple(rest))
    return grouped


def listed_indicators(user: User | AnonymousUser) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(project__in=visible_projects(user))
        .select_related("project", "snapshot", "library_link__entry")
        # The periods' figures are written by the indicator's own page only (`working`).
        .defer("snapshot__periods")
        .order_by("id")
    )


def listed_libraries(user: User | AnonymousUser) -> QuerySet[Library]:
    return (
        visible_libraries(user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.prefetch_related(
                    Prefetch("dimensions", queryset=Dimension.objects.order_by("slug"))
                ),
            )
        )
        .order_by("id")
    )


def listed_budget_lines(user: User | AnonymousUser) -> QuerySet[BudgetLine]:
    return visible_budget_lines(user).order_by("id")


def listed_period_reports(user: User | AnonymousUser) -> QuerySet[PeriodReport]:
    return (
        visible_reports(user)
        .select_related("organisation")
        .prefetch_related(
            "organisation__report_prompts",
            "files",
            Prefetch("expenditures", queryset=Expenditure.objects.select_related("line")),
        )
        .order_by("id")
    )


def listed_updates(user: User | AnonymousUser, *, many: bool) -> QuerySet[ProgressUpdate]:
    """Updates with their values; `many` rows keep the values as plain lists (to_attr), as
    Django would otherwise build a queryset per update to hold them."""
    values = (
        Prefetch("values", queryset=update_values(), to_attr=LISTED_VALUES)
        if many
        else Prefetch("values", queryset=update_values())
    )
    return visible_updates(user).prefetch_related(values).order_by("id")


def reported_to_iati(user: User | AnonymousUser, organisation: Organisation) -> QuerySet[Project]:
    """The projects the caller may see that the organisation could report to IATI: those it
    leads, or implements (services.fix_activity_identifier decides which it reports)."""
    return (
        visible_projects(user)
        .filter(
            partnerships__organisation=organisation,
            partnerships__role__in=[Partnership.Role.ACCOUNTABLE, Partnership.Role.IMPLEMENTING],
        )
        .distinct()
    )
