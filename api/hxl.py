"""HXL-tagged CSV of indicators and of progress updates, for humanitarian data tools.

The second row of each file holds the HXL hashtags and attributes (https://hxlstandard.org).
Sex categories become the standard +f / +m attributes: a category counts as female when its
slug starts with "women" or "female", as male when it is "men" or "male". After the fixed
columns, every category of the dimensions the rows use has its own columns, tagged with an
attribute made of its dimension's and its own slug (#reached +sex_women, #reached
+district_la_victoria).

Besides these, a "3W" file (who does what where) has one implementing organisation and one
place per row, for the humanitarian 3W tools; each indicator's figures repeat on its rows.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry

from core.files import csv_row
from indicators.models import Category, Indicator, ProgressUpdate

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


THREE_W_COLUMNS = [
    ("Project code", "#activity +code"),
    ("Project", "#activity +name"),
    ("Implementing organisation", "#org +impl +name"),
    ("Country", "#country +code"),
    ("Region", "#adm1 +name"),
    ("Province", "#adm2 +name"),
    ("District", "#adm3 +name"),
    ("Community", "#loc +name"),
    ("DAC sectors", "#sector +code"),
    ("Indicator code", "#indicator +code"),
    ("Indicator", "#indicator +name"),
    ("Unit", "#indicator +unit"),
    ("Target", "#targeted +num"),
    ("Reached (approved)", "#reached +num"),
    ("Reached, women", "#reached +f"),
    ("Reached, men", "#reached +m"),
    ("% of target", "#indicator +pct"),
    ("Status", "#status +progress"),
    ("Project start", "#date +start"),
    ("Project end", "#date +end"),
]

# Where each kind of place goes in a 3W row: its column among the place columns.
PLACE_COLUMNS = ["country", "region", "province", "district", "community"]
NOT_AN_ATTRIBUTE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CategoryColumn:
    dimension: str
    category: str
    name: str  # "Women (Sex)"

    @property
    def key(self) -> str:
        return f"{self.dimension}/{self.category}"

    @property
    def attribute(self) -> str:
        """An HXL attribute: lower-case letters, digits and underscores."""
        words = f"{self.dimension} {self.category}".lower()
        return NOT_AN_ATTRIBUTE.sub("_", words).strip("_")


def category_columns(indicator_ids: Any) -> list[CategoryColumn]:
    """Every category of the dimensions these indicators use (ids, or a query of them), by
    dimension, in order."""
    return [
        CategoryColumn(
            category.dimension.slug, category.slug, f"{category.name} ({category.dimension.name})"
        )
        for category in Category.objects.filter(dimension__indicators__in=indicator_ids)
        .select_related("dimension")
        .distinct()
        .order_by("dimension__name", "dimension__pk", "order", "pk")
    ]


def indicator_category_heads(columns: Sequence[CategoryColumn]) -> list[tuple[str, str]]:
    heads = []
    for column in columns:
        heads.append((f"Target, {column.name}", f"#targeted +{column.attribute}"))
        heads.append((f"Reached, {column.name}", f"#reached +{column.attribute}"))
    return heads


def update_category_heads(columns: Sequence[CategoryColumn]) -> list[tuple[str, str]]:
    return [(f"Reached, {column.name}", f"#reached +{column.attribute}") for column in columns]


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


def stream(
    columns: list[tuple[str, str]], rows: Iterable[list[str]], *, bom: bool = False
) -> Iterator[str]:
    """The CSV text, row by row. With `bom`, it starts with a UTF-8 byte order mark: Excel on
    Windows then reads it as UTF-8 ("Asociación", not "AsociaciÃ³n")."""
    writer = csv.writer(Echo())
    yield ("\ufeff" if bom else "") + writer.writerow(csv_row(name for name, _tag in columns))
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


def sex_figures(snapshot: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The target and reached of a snapshot's female and male categories, by "f" and "m"."""
    targets: dict[str, str] = {}
    reached: dict[str, str] = {}
    for category in snapshot.categories if snapshot else []:
        sex = sex_of(category["category"])
        if sex:
            targets[sex] = text(category["target_value"])
            reached[sex] = text(category["achieved_value"])
    return targets, reached


def indicator_rows(
    indicators: Iterable[Indicator], columns: Sequence[CategoryColumn] = ()
) -> Iterator[list[str]]:
    for indicator in indicators:
        snapshot = getattr(indicator, "snapshot", None)
        targets, reached = sex_figures(snapshot)
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
            *_category_figures(indicator, columns),
        ]


def _category_figures(indicator: Indicator, columns: Sequence[CategoryColumn]) -> list[str]:
    """Target and reached in each category column: a category with a target as the figures
    say it (none reported counts as 0 there), any other as reported."""
    snapshot = getattr(indicator, "snapshot", None)
    targeted = {
        f"{row['dimension']}/{row['category']}": row
        for row in (snapshot.categories if snapshot else [])
    }
    parts = snapshot.parts if snapshot else {}
    cells = []
    for column in columns:
        row = targeted.get(column.key)
        if row is not None:
            cells += [text(row["target_value"]), text(row["achieved_value"])]
        else:
            cells += ["", text(parts.get(column.key))]
    return cells


def update_rows(
    updates: Iterable[ProgressUpdate], columns: Sequence[CategoryColumn] = ()
) -> Iterator[list[str]]:
    for update in updates:
        parts: dict[str, str] = {}
        by_category: dict[str, str] = {}
        for value in update.values.all():
            by_category[f"{value.category.dimension.slug}/{value.category.slug}"] = text(
                value.value
            )
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
            *(by_category.get(column.key, "") for column in columns),
        ]


def places_of(project: Any) -> list[list[str]]:
    """One row of place columns (country code, region, province, district, community) per
    place of the project; one empty row for a project with none."""
    rows = []
    for place in project.locations.all():
        row = [""] * len(PLACE_COLUMNS)
        while place is not None:
            if place.kind == "country":
                country = (
                    pycountry.countries.get(alpha_2=place.code.upper()) if place.code else None
                )
                row[0] = country.alpha_3 if country is not None else ""
            elif place.kind in PLACE_COLUMNS:
                row[PLACE_COLUMNS.index(place.kind)] = place.name
            place = place.parent
        rows.append(row)
    return sorted(rows) or [[""] * len(PLACE_COLUMNS)]


def three_w_rows(indicators: Iterable[Indicator]) -> Iterator[list[str]]:
    """Who does what where: a row per indicator, implementing organisation and place."""
    for indicator in indicators:
        project = indicator.project
        snapshot = getattr(indicator, "snapshot", None)
        _targets, reached = sex_figures(snapshot)
        organisations = sorted(
            p.organisation.name for p in project.partnerships.all() if p.role == 4
        ) or [""]
        for organisation in organisations:
            for place in places_of(project):
                yield [
                    project.code,
                    project.title,
                    organisation,
                    *place,
                    sectors_of(project),
                    indicator.code,
                    indicator.name,
                    indicator.unit or indicator.currency,
                    text(indicator.target_value),
                    text(snapshot.achieved if snapshot else None),
                    reached.get("f", ""),
                    reached.get("m", ""),
                    text(snapshot.percent_of_target if snapshot else None),
                    snapshot.status if snapshot else "not_started",
                    project.start_date.isoformat(),
                    project.end_date.isoformat(),
                ]
