"""Loads the demo portfolio through the services. Safe to run again: it converges."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from indicators import services as indicator_services
from indicators.models import Category, Dimension, ProgressUpdate
from indicators.services.recomputes import deferred_recomputes
from partners import services as partner_services
from partners.models import Organisation, User
from projects import services as project_services
from projects.models import Location, Project, Result

from . import translations
from .budgets import load_budgets_and_reports
from .cases_lima import CIRCULAR_ECONOMY, MANO_A_MANO, SANTA_ANITA
from .cases_regional import DISPLACEMENT, SOUP_KITCHENS
from .common import (
    DEMO_PASSWORD,
    DIMENSION_OWNERS,
    DIMENSIONS,
    ILLUSTRATIVE,
    ORGANISATIONS,
    PLACES,
    USERS,
)
from .libraries import load_libraries

CASES: list[dict[str, Any]] = [
    MANO_A_MANO,
    CIRCULAR_ECONOMY,
    DISPLACEMENT,
    SANTA_ANITA,
    SOUP_KITCHENS,
]


@dataclass
class DemoSummary:
    projects: int = 0
    indicators: int = 0
    updates: int = 0
    library_links: int = 0
    period_reports: int = 0
    password: str = DEMO_PASSWORD
    logins: list[tuple[str, str]] = field(default_factory=list)  # (username, who they are)


def half_years(start: date, end: date) -> list[tuple[str, date, date]]:
    """Calendar half-years covering the project, clipped to its dates: ("S1 2025", …)."""
    periods: list[tuple[str, date, date]] = []
    year, half = start.year, 1 if start.month <= 6 else 2
    while True:
        first = date(year, 1 if half == 1 else 7, 1)
        last = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        if first > end:
            return periods
        periods.append((f"S{half} {year}", max(first, start), min(last, end)))
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def _load_places(nodes: list, parent: Location | None, path: tuple[str, ...], places: dict) -> None:
    for name, kind, code, children in nodes:
        location = project_services.save_location(name=name, kind=kind, parent=parent, code=code)
        places[(*path, name)] = location
        _load_places(children, location, (*path, name), places)


def _load_organisations() -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for short_name, fields in ORGANISATIONS.items():
        values = dict(fields)
        parent = organisations[values.pop("parent")] if "parent" in values else None
        organisations[short_name] = partner_services.save_organisation(
            short_name=short_name, parent=parent, **values
        )
    return organisations


def _load_dimensions(
    organisations: dict[str, Organisation],
) -> dict[tuple[str, str], Category]:
    for slug, (name, kind, categories) in DIMENSIONS.items():
        own, by_category = translations.dimension_translations(slug)
        owner = DIMENSION_OWNERS.get(slug)
        indicator_services.save_dimension(
            slug=slug,
            name=name,
            kind=kind,
            owner=organisations[owner] if owner else None,
            categories=categories,
            translations=own,
            category_translations=by_category,
        )
    return {
        (category.dimension.slug, category.slug): category
        for category in Category.objects.select_related("dimension")
    }


def _load_users(organisations: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    for username, (first_name, last_name, memberships) in USERS.items():
        user = partner_services.save_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
        )
        for short_name, role in memberships:
            partner_services.set_membership(
                user=user, organisation=organisations[short_name], role=role
            )
        users[username] = user
    admin = partner_services.save_user(username="admin", password=DEMO_PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    users["admin"] = admin
    return users


def _load_case(
    case: dict[str, Any],
    organisations: dict[str, Organisation],
    places: dict[tuple[str, ...], Location],
    categories: dict[tuple[str, str], Category],
    users: dict[str, User],
) -> tuple[Project, int, int]:
    project = project_services.save_project(
        code=case["code"],
        title=case["title"],
        summary=case["summary"],
        status=case.get("status", Project.Status.ACTIVE),
        planned_start=case["planned_start"],
        planned_end=case["planned_end"],
        actual_start=case.get("actual_start"),
        actual_end=case.get("actual_end"),
        dates_note=case["dates_note"],
        budget=case["budget"],
        currency=case["currency"],
        source=case["source"],
        locations=[places[path] for path in case["locations"]],
        sectors=case.get("sectors", ""),
        translations=translations.PROJECTS.get(case["code"], {}),
    )
    for funding in case["fundings"]:
        values = dict(funding)
        funder = organisations[values.pop("funder")]
        project_services.set_funding(project=project, funder=funder, **values)
    for short_name, role, note in case["partners"]:
        project_services.set_partnership(
            project=project, organisation=organisations[short_name], role=role, note=note
        )
    groups = {
        group["name"]: project_services.save_beneficiary_group(project=project, **group)
        for group in case["beneficiary_groups"]
    }
    results: dict[str, Result] = {}
    for order, (number, level, title, parent) in enumerate(case["results"]):
        results[number] = project_services.save_result(
            project=project,
            number=number,
            level=level,
            title=title,
            parent=results[parent] if parent else None,
            order=order,
        )
    indicators = {}
    for order, spec in enumerate(case["indicators"]):
        values = dict(spec)
        dimensions = [
            indicator_services.DimensionUse(
                dimension=Dimension.objects.get(slug=slug), exhaustive=exhaustive
            )
            for slug, exhaustive in values.pop("dimensions", [])
        ]
        targets = [
            indicator_services.CategoryTargetInput(
                category=categories[(dimension, category)], value=value, share=share
            )
            for dimension, category, value, share in values.pop("category_targets", [])
        ]
        result = results[values.pop("result")] if "result" in values else None
        group = groups[values.pop("beneficiary_group")] if "beneficiary_group" in values else None
        indicators[spec["code"]] = indicator_services.define_indicator(
            project=project,
            order=order,
            result=result,
            beneficiary_group=group,
            dimensions=dimensions,
            category_targets=targets,
            translations=translations.unit_translations(values.get("unit", "")),
            **values,
        )
    for name, start, end in half_years(project.start_date, project.end_date):
        indicator_services.save_period(project=project, name=name, start=start, end=end)
    reporter, reviewer = (users[name] for name in case["reporters"])
    ProgressUpdate.objects.filter(indicator__project=project, is_illustrative=True).delete()
    for entry in case["progress"]:
        values = dict(entry)
        indicator = indicators[values.pop("indicator")]
        status = values.pop("status", ProgressUpdate.Status.APPROVED)
        # Unless the case says otherwise, the reporter reports for their own organisation.
        organisation = (
            organisations[values.pop("organisation")]
            if "organisation" in values
            else reporter.memberships.get().organisation
        )
        parts: dict[Category, Decimal] = {
            categories[key]: amount for key, amount in values.pop("parts", {}).items()
        }
        update = indicator_services.create_update(
            indicator=indicator,
            by=reporter,
            figures=indicator_services.Figures(parts=parts, narrative=ILLUSTRATIVE, **values),
            organisation=organisation,
            is_illustrative=True,
            submit=True,
        )
        if status == ProgressUpdate.Status.APPROVED:
            indicator_services.approve_update(update=update, by=reviewer)
    return project, len(indicators), len(case["progress"])


@transaction.atomic
def load_demo() -> DemoSummary:
    with deferred_recomputes():
        return _load_everything()


def _load_everything() -> DemoSummary:
    summary = DemoSummary()
    places: dict[tuple[str, ...], Location] = {}
    _load_places(PLACES, None, (), places)
    organisations = _load_organisations()
    categories = _load_dimensions(organisations)
    users = _load_users(organisations)
    for case in CASES:
        _project, indicators, updates = _load_case(case, organisations, places, categories, users)
        summary.projects += 1
        summary.indicators += indicators
        summary.updates += updates
    summary.library_links = load_libraries(organisations, users)
    reporters: dict[str, tuple[User, User]] = {}
    for case in CASES:
        editor, manager = case["reporters"]
        reporters[str(case["code"])] = (users[editor], users[manager])
    summary.period_reports = load_budgets_and_reports(reporters, organisations)
    for username, (_first, _last, memberships) in USERS.items():
        roles = [f"{role} at {ORGANISATIONS[short]['name']}" for short, role in memberships]
        summary.logins.append((username, ", ".join(roles) or "member of no organisation"))
    summary.logins.append(("admin", "superuser (Django admin at /admin/)"))
    return summary
