"""Projects as IATI 2.03 `iati-activities` documents (https://iatistandard.org) — each activity
under the one identifier it keeps for life, with sectors, places and results whose indicators
carry a period per reporting period, targets and approved actuals disaggregated by every
category as `<dimension>`s — and organisations as `iati-organisations` documents."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from indicators import progress
from indicators.models import (
    Category,
    CategoryTarget,
    Indicator,
    Period,
    PeriodTarget,
    ProgressUpdate,
)
from indicators.selectors import reading_for, spec_for, update_values
from partners.models import Organisation
from projects.models import Location, Project, Result
from reporting.models import BudgetLine, Expenditure, PeriodReport

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ACTIVITY_STATUS = {
    "pipeline": "1",
    "active": "2",
    "finalisation": "3",
    "closed": "4",
    "cancelled": "5",
    "suspended": "6",
}
# By kind, where an organisation does not name its IATI type: a funder is taken for a
# foundation unless it says it is multilateral (the EU) or an international NGO.
ORGANISATION_TYPE = {
    "government": "10",
    "ngo": "22",
    "grassroots": "22",
    "multilateral": "40",
    "funder": "60",
    "company": "70",
    "university": "80",
    "network": "90",
}


def organisation_type(organisation: Organisation) -> str:
    return organisation.iati_type or ORGANISATION_TYPE.get(organisation.kind, "90")


def number(value: Decimal | None) -> str:
    return format(Decimal(value).normalize(), "f") if value is not None else ""


RESULT_TYPE = {"output": "1", "outcome": "2", "objective": "3"}
MEASURE = {"count": "1", "amount": "1", "milestone": "1", "percentage": "2", "qualitative": "5"}
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"


def element(
    parent: ET.Element, tag: str, attributes: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    node = ET.SubElement(parent, tag, attributes or {})
    if text is not None:
        node.text = text
    return node


def narrative(
    parent: ET.Element,
    tag: str,
    text: str,
    attributes: dict[str, str] | None = None,
    translations: Mapping[str, str] | None = None,
) -> ET.Element:
    """An element holding the text as written (in the activity's language), then one
    narrative per translation, each marked with its language."""
    node = element(parent, tag, attributes)
    element(node, "narrative", text=text)
    for language, translation in sorted((translations or {}).items()):
        element(node, "narrative", {XML_LANG: language}, text=translation)
    return node


def iso(day: date) -> dict[str, str]:
    return {"iso-date": day.isoformat()}


def country_codes(project: Project) -> list[str]:
    """The ISO codes of the countries the project's places lie in."""
    parents = dict(Location.objects.values_list("id", "parent_id"))
    codes = dict(Location.objects.filter(parent__isnull=True).values_list("id", "code"))
    found = set()
    for location in project.locations.all():
        node: int | None = location.pk
        while node is not None and parents.get(node) is not None:
            node = parents[node]
        code = codes.get(node) if node is not None else None
        if code:
            found.add(code)
    return sorted(found)


def project_as_iati(project: Project) -> bytes:
    return activities_as_iati([project])


def activities_as_iati(projects: Iterable[Project]) -> bytes:
    """Projects that have their IATI activity identifier, each reported by the organisation
    that identifier belongs to (services.fix_activity_identifier)."""
    now = timezone.now().replace(microsecond=0).isoformat()
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now})
    for project in projects:
        _activity(root, project)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def organisation_as_iati(organisation: Organisation) -> bytes:
    """The organisation as an IATI 2.03 iati-organisations document: who it is, under its own
    identifier. It records no budgets of its own, so the file says no more."""
    assert organisation.iati_identifier
    now = timezone.now().replace(microsecond=0).isoformat()
    root = ET.Element("iati-organisations", {"version": "2.03", "generated-datetime": now})
    node = element(
        root,
        "iati-organisation",
        {
            "last-updated-datetime": organisation.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: settings.LANGUAGE_CODE,
        },
    )
    element(node, "organisation-identifier", text=organisation.iati_identifier)
    narrative(node, "name", organisation.name)
    narrative(
        node,
        "reporting-org",
        organisation.name,
        {"ref": organisation.iati_identifier, "type": organisation_type(organisation)},
    )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# IATI's LocationClass: 1 an administrative region, 2 a populated place.
LOCATION_CLASS = {"community": "2"}
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"


def _location(activity: ET.Element, location: Location) -> None:
    place = element(activity, "location")
    narrative(place, "name", location.name)
    if location.latitude is not None and location.longitude is not None:
        point = element(place, "point", {"srsName": WGS84})
        element(point, "pos", text=f"{number(location.latitude)} {number(location.longitude)}")
        element(place, "exactness", {"code": "2"})  # approximate: a place's centre
    element(place, "location-class", {"code": LOCATION_CLASS.get(location.kind, "1")})


def _activity(root: ET.Element, project: Project) -> None:
    reporter = project.iati_reporter
    assert project.iati_identifier and reporter is not None
    activity = element(
        root,
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: project.language,
            "default-currency": project.currency,
        },
    )
    element(activity, "iati-identifier", text=project.iati_identifier)
    narrative(
        activity,
        "reporting-org",
        reporter.name,
        {"ref": reporter.iati_identifier, "type": organisation_type(reporter)},
    )
    narrative(activity, "title", project.title, translations=project.translations_of("title"))
    if project.summary:
        narrative(
            activity,
            "description",
            project.summary,
            {"type": "1"},
            translations=project.translations_of("summary"),
        )
    for partnership in project.partnerships.select_related("organisation"):
        attributes = {
            "role": str(partnership.role),
            "type": organisation_type(partnership.organisation),
        }
        if partnership.organisation.iati_identifier:
            attributes["ref"] = partnership.organisation.iati_identifier
        narrative(activity, "participating-org", partnership.organisation.name, attributes)
    element(activity, "activity-status", {"code": ACTIVITY_STATUS[project.status]})
    for code, day in (
        (PLANNED_START, project.planned_start),
        (ACTUAL_START, project.actual_start),
        (PLANNED_END, project.planned_end),
        (ACTUAL_END, project.actual_end),
    ):
        if day is not None:
            element(activity, "activity-date", {"type": code, **iso(day)})
    countries = country_codes(project)
    for code in countries:
        element(activity, "recipient-country", {"code": code, "percentage": _share(countries)})
    for location in project.locations.order_by("name"):
        _location(activity, location)
    sectors = project.sector_codes
    for code in sectors:
        element(
            activity, "sector", {"vocabulary": "1", "code": code, "percentage": _share(sectors)}
        )
    _budgets(activity, project)
    for funding in project.fundings.select_related("funder"):
        # Only money recorded as received, on its day: no transaction with an invented date.
        if funding.amount is None or funding.date is None:
            continue
        transaction = element(activity, "transaction")
        element(transaction, "transaction-type", {"code": "1"})  # incoming funds
        element(transaction, "transaction-date", iso(funding.date))
        element(
            transaction,
            "value",
            {"currency": funding.currency, "value-date": funding.date.isoformat()},
            str(funding.amount),
        )
        _organisation_reference(transaction, "provider-org", funding.funder)
        _organisation_reference(transaction, "receiver-org", reporter)
    _expenditure(activity, project)
    _results(activity, project)


def _budgets(activity: ET.Element, project: Project) -> None:
    """A budget per calendar year (clipped to the project's planned dates) and currency from the
    budget lines; without lines, the project's one budget shared pro rata by days over
    periods of a year at most (IATI wants no budget period longer). Both indicative."""
    by_year: dict[tuple[int, str], Decimal] = {}
    for year, currency, amount in BudgetLine.objects.filter(project=project).values_list(
        "year", "currency", "amount"
    ):
        by_year[(year, currency)] = by_year.get((year, currency), Decimal(0)) + amount
    if by_year:
        spans = [
            (
                max(date(year, 1, 1), project.planned_start),
                min(date(year, 12, 31), project.planned_end),
                currency,
                amount,
            )
            for (year, currency), amount in sorted(by_year.items())
        ]
    elif project.budget is not None:
        spans = [
            (start, end, project.currency, amount)
            for start, end, amount in yearly_budget(
                project.planned_start, project.planned_end, project.budget
            )
        ]
    else:
        spans = []
    for start, end, currency, amount in spans:
        budget = element(activity, "budget", {"type": "1", "status": "1"})
        element(budget, "period-start", iso(start))
        element(budget, "period-end", iso(end))
        element(
            budget, "value", {"currency": currency, "value-date": start.isoformat()}, str(amount)
        )


def _expenditure(activity: ET.Element, project: Project) -> None:
    """Money spent, as approved in period reports: one transaction per budget line and period,
    dated at the period's end (what the report states, not an invented day)."""
    for spent in (
        Expenditure.objects.filter(
            report__project=project, report__status=PeriodReport.Status.APPROVED
        )
        .select_related("line", "report__period", "report__organisation")
        .order_by("report__period__start", "line__year", "line__name", "pk")
    ):
        period = spent.report.period
        transaction = element(activity, "transaction")
        element(transaction, "transaction-type", {"code": "4"})  # expenditure
        element(transaction, "transaction-date", iso(period.end))
        element(
            transaction,
            "value",
            {"currency": spent.line.currency, "value-date": period.end.isoformat()},
            str(spent.amount),
        )
        narrative(transaction, "description", f"{spent.line.name} · {period.name}")
        _organisation_reference(transaction, "provider-org", spent.report.organisation)


def _organisation_reference(parent: ET.Element, tag: str, organisation: Organisation) -> None:
    attributes = {"type": organisation_type(organisation)}
    if organisation.iati_identifier:
        attributes["ref"] = organisation.iati_identifier
    narrative(parent, tag, organisation.name, attributes)


CENT = Decimal("0.01")


def yearly_budget(start: date, end: date, total: Decimal) -> list[tuple[date, date, Decimal]]:
    """The budget shared over periods of a year at most from `start` (the last ends on
    `end`), in proportion to their days, rounded to the cent; the last period takes what
    rounding leaves, so that the parts add up to the total exactly."""
    periods = []
    first = start
    while first <= end:
        following = _a_year_after(first)
        last = min(following - timedelta(days=1), end)
        periods.append((first, last))
        first = following
    days = (end - start).days + 1
    shares: list[tuple[date, date, Decimal]] = []
    given = Decimal(0)
    for position, (first, last) in enumerate(periods):
        if position == len(periods) - 1:
            amount = total - given
        else:
            amount = (total * ((last - first).days + 1) / days).quantize(
                CENT, rounding=ROUND_HALF_UP
            )
        given += amount
        shares.append((first, last, amount))
    return shares


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28) + timedelta(days=1)


def _share(items: list[str]) -> str:
    """An equal share of 100 for each item, the last taking what rounding leaves."""
    return f"{100 / len(items):.2f}".rstrip("0").rstrip(".")


def _results(activity: ET.Element, project: Project) -> None:
    """Each result with its indicators: baseline, and per reporting period the target and the
    approved actual, each also per category."""
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("result", "project")
        .prefetch_related(
            Prefetch(
                "category_targets",
                queryset=CategoryTarget.objects.select_related("category__dimension"),
            )
        )
        .order_by("result__order", "order", "code")
    )
    readings: dict[int, list[progress.Reading]] = defaultdict(list)
    approved = ProgressUpdate.objects.filter(
        indicator__project=project, status=ProgressUpdate.Status.APPROVED
    ).prefetch_related(Prefetch("values", queryset=update_values()))
    for update in approved:
        readings[update.indicator_id].append(reading_for(update, update.values.all()))
    periods = list(Period.objects.filter(project=project).order_by("start"))
    period_targets = {
        (t.indicator_id, t.period_id): t.target_value
        for t in PeriodTarget.objects.filter(indicator__project=project)
    }
    names = {
        (c.dimension.slug, c.slug): (c.dimension.name, c.name)
        for c in Category.objects.select_related("dimension")
    }
    by_result: dict[Result | None, list[Indicator]] = {}
    for indicator in indicators:
        by_result.setdefault(indicator.result, []).append(indicator)
    for result, members in by_result.items():
        node = element(
            activity,
            "result",
            {
                "type": RESULT_TYPE.get(result.level, "2") if result else "2",
                "aggregation-status": "0",
            },
        )
        titled = result or project
        narrative(node, "title", titled.title, translations=titled.translations_of("title"))
        for indicator in members:
            _indicator(node, indicator, readings[indicator.pk], periods, period_targets, names)


def _indicator(
    node: ET.Element,
    indicator: Indicator,
    readings: list[progress.Reading],
    periods: list[Period],
    period_targets: dict[tuple[int, int], Decimal],
    names: dict[tuple[str, str], tuple[str, str]],
) -> None:
    project = indicator.project
    item = element(
        node,
        "indicator",
        {
            "measure": MEASURE[indicator.measure],
            "ascending": "0" if indicator.direction == "decrease" else "1",
        },
    )
    narrative(item, "title", indicator.name, translations=indicator.translations_of("name"))
    if indicator.baseline_value is not None:
        year = (indicator.baseline_date or project.planned_start).year
        element(item, "baseline", {"year": str(year), "value": number(indicator.baseline_value)})
    spec = spec_for(indicator, indicator.category_targets.all())
    overall = indicator.target_min if indicator.target_kind == "range" else indicator.target_value
    windows: list[tuple[date, date, Decimal | None]] = [
        (p.start, p.end, period_targets.get((indicator.pk, p.pk))) for p in periods
    ] or [(project.start_date, indicator.target_date or project.end_date, overall)]
    last = len(windows) - 1
    for position, (start, end, target) in enumerate(windows):
        # The indicator's own target, with its category targets, is the last period's unless
        # that period has a target of its own.
        own_target = position == last and target is None
        if own_target:
            target = overall
        inside = [r for r in readings if start <= r.as_of <= end]
        figure = progress.achieved(spec.measure, spec.aggregation, inside)
        if target is None and figure.value is None:
            continue  # a period with neither target nor actual says nothing
        period = element(item, "period")
        element(period, "period-start", iso(start))
        element(period, "period-end", iso(end))
        if target is not None:
            element(period, "target", {"value": number(target)})
        if own_target and target is not None:
            for category_target in indicator.category_targets.all():
                value = category_target.target_value
                if value is None and category_target.target_share is not None:
                    value = category_target.target_share * target
                if value is not None:
                    _dimensioned(
                        period,
                        "target",
                        value,
                        category_target.category.dimension.name,
                        category_target.category.name,
                    )
        if figure.value is not None:
            element(period, "actual", {"value": number(figure.value)})
            for key, value in sorted(figure.parts.items()):
                dimension, category = names.get(key, key)
                _dimensioned(period, "actual", value, dimension, category)


def _dimensioned(
    period: ET.Element, tag: str, value: Decimal, dimension: str, category: str
) -> None:
    node = element(period, tag, {"value": number(value)})
    element(node, "dimension", {"name": dimension, "value": category})
