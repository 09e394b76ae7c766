"""HXL-tagged CSV of indicators and of progress updates, for humanitarian data tools.

The second row of each file holds the HXL hashtags and attributes (https://hxlstandard.org).
Sex categories become the standard +f / +m attributes: a category counts as female when its
slug starts with "women" or "female", as male when it is "men" or "male"; other categories
are left to the JSON API, which carries every dimension.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

import pycountry

from indicators.models import Indicator, ProgressUpdate
from portfolio.files import csv_row

INDICATOR_COLUMNS = [
    ("Project code", "#activity +code"),
    ("Project", "#activity +name"),
    ("Implementing organisations", "#org +impl +name"),
    ("Regions", "#adm1 +name"),
    ("Indicator code", "#indicator +code"),
    ("Indicator", "#indicator +name"),
    ("Unit", "#indicator +unit"),
    ("Target", "#targeted +num"),
    ("Target, women", "#targeted +f"),
    ("Target, men", "#targeted +m"),
    ("Reached (approved)", "#reached +num"),
    ("Reached, women", "#reached +f"),
    ("Reached, men", "#reached +m"),
    ("% of target", "#indicator +pct"),
    ("Status", "#status +progress"),
    ("Computed", "#date +computed"),
    ("Countries", "#country +code"),
    ("DAC sectors", "#sector +code"),
]

UPDATE_COLUMNS = [
    ("Project code", "#activity +code"),
    ("Indicator code", "#indicator +code"),
    ("Reported by", "#org +impl +name"),
    ("Regions", "#adm1 +name"),
    ("As of", "#date +reported"),
    # A period's name ("S2 2025") is no date: tagged #date it failed HXL's core schema. The
    # column keeps its place and header; its dates come in the last two columns.
    ("Period", "#meta +period +name"),
    ("Reached", "#reached +num"),
    ("Reached, women", "#reached +f"),
    ("Reached, men", "#reached +m"),
    ("Review status", "#status +review"),
    ("Period start", "#date +start"),
    ("Period end", "#date +end"),
    ("Countries", "#country +code"),
    ("DAC sectors", "#sector +code"),
]


def sex_of(category_slug: str) -> str | None:
    if category_slug.startswith(("women", "female")):
        return "f"
    if category_slug in ("men", "male"):
        return "m"
    return None


def text(number: Any) -> str:
    if number in (None, ""):
        return ""
    return format(Decimal(str(number)).normalize(), "f")


class Echo:
    """A file-like object that hands back what is written, for streaming CSV rows."""

    def write(self, value: str) -> str:
        return value


def stream(columns: list[tuple[str, str]], rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(csv_row(name for name, _tag in columns))
    yield writer.writerow([tag for _name, tag in columns])
    for row in rows:
        yield writer.writerow(csv_row(row))


def regions_of(project: Any) -> str:
    """The first-level administrative divisions (regions) the project's places lie in."""
    regions = set()
    for place in project.locations.all():
        while place is not None and place.kind not in ("region", "country"):
            place = place.parent
        if place is not None and place.kind == "region":
            regions.add(place.name)
    return "; ".join(sorted(regions))


def countries_of(project: Any) -> str:
    """The ISO 3166-1 alpha-3 codes of the countries the project's places lie in (HXL's
    convention for #country +code): "PER", or "ECU; PER"."""
    codes = set()
    for place in project.locations.all():
        while place.parent is not None:
            place = place.parent
        country = pycountry.countries.get(alpha_2=place.code.upper()) if place.code else None
        if country is not None:
            codes.add(country.alpha_3)
    return "; ".join(sorted(codes))


def sectors_of(project: Any) -> str:
    return "; ".join(project.sector_codes)


def implementers_of(project: Any) -> str:
    return "; ".join(sorted(p.organisation.name for p in project.partnerships.all() if p.role == 4))


def indicator_rows(indicators: Iterable[Indicator]) -> Iterator[list[str]]:
    for indicator in indicators:
        snapshot = getattr(indicator, "snapshot", None)
        targets: dict[str, str] = {}
        reached: dict[str, str] = {}
        for category in snapshot.categories if snapshot else []:
            sex = sex_of(category["category"])
            if sex:
                targets[sex] = text(category["target_value"])
                reached[sex] = text(category["achieved_value"])
        if not snapshot:
            for target in indicator.category_targets.all():
                sex = sex_of(target.category.slug)
                if sex and target.target_value is not None:
                    targets[sex] = text(target.target_value)
        project = indicator.project
        yield [
            project.code,
            project.title,
            implementers_of(project),
            regions_of(project),
            indicator.code,
            indicator.name,
            indicator.unit or indicator.currency,
            text(indicator.target_value),
            targets.get("f", ""),
            targets.get("m", ""),
            text(snapshot.achieved if snapshot else None),
            reached.get("f", ""),
            reached.get("m", ""),
            text(snapshot.percent_of_target if snapshot else None),
            snapshot.status if snapshot else "not_started",
            snapshot.computed_at.date().isoformat() if snapshot and snapshot.computed_at else "",
            countries_of(project),
            sectors_of(project),
        ]


def update_rows(updates: Iterable[ProgressUpdate]) -> Iterator[list[str]]:
    for update in updates:
        parts: dict[str, str] = {}
        for value in update.values.all():
            sex = sex_of(value.category.slug)
            if sex:
                parts[sex] = text(value.value)
        project = update.indicator.project
        yield [
            project.code,
            update.indicator.code,
            update.organisation.name if update.organisation else "",
            regions_of(project),
            update.as_of.isoformat(),
            update.period.name if update.period else "",
            text(update.value),
            parts.get("f", ""),
            parts.get("m", ""),
            update.status,
            update.period.start.isoformat() if update.period else "",
            update.period.end.isoformat() if update.period else "",
            countries_of(project),
            sectors_of(project),
        ]
