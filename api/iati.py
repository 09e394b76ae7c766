"""A project as an IATI 2.03 `iati-activities` document (https://iatistandard.org)."""

from datetime import date
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone

from indicators.models import Indicator
from projects.models import Location, Project, Result

ACTIVITY_STATUS = {
    "pipeline": "1",
    "active": "2",
    "finalisation": "3",
    "closed": "4",
    "cancelled": "5",
    "suspended": "6",
}
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
    parent: ET.Element, tag: str, text: str, attributes: dict[str, str] | None = None
) -> ET.Element:
    node = element(parent, tag, attributes)
    element(node, "narrative", text=text)
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
    prefix = getattr(settings, "IATI_PUBLISHER_PREFIX", "XM-PORTAL")
    now = timezone.now().replace(microsecond=0).isoformat()
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now})
    activity = element(
        root,
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
            "default-currency": project.currency,
        },
    )
    element(activity, "iati-identifier", text=f"{prefix}-{project.code}")
    partnerships = list(project.partnerships.select_related("organisation"))
    reporter = next((p for p in partnerships if p.role in (2, 4)), None)
    if reporter is not None:
        narrative(
            activity,
            "reporting-org",
            reporter.organisation.name,
            {
                "ref": f"{prefix}-{reporter.organisation.short_name}",
                "type": ORGANISATION_TYPE.get(reporter.organisation.kind, "90"),
            },
        )
    narrative(activity, "title", project.title)
    if project.summary:
        narrative(activity, "description", project.summary, {"type": "1"})
    for partnership in partnerships:
        narrative(
            activity,
            "participating-org",
            partnership.organisation.name,
            {
                "role": str(partnership.role),
                "type": ORGANISATION_TYPE.get(partnership.organisation.kind, "90"),
            },
        )
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
        share = f"{100 / len(countries):.2f}".rstrip("0").rstrip(".")
        element(activity, "recipient-country", {"code": code, "percentage": share})
    if project.budget is not None:
        budget = element(activity, "budget", {"type": "1", "status": "2"})
        element(budget, "period-start", iso(project.planned_start))
        element(budget, "period-end", iso(project.planned_end))
        element(
            budget,
            "value",
            {"currency": project.currency, "value-date": project.planned_start.isoformat()},
            str(project.budget),
        )
    for funding in project.fundings.select_related("funder"):
        if funding.amount is None:
            continue
        day = funding.date or project.planned_start
        transaction = element(activity, "transaction")
        element(transaction, "transaction-type", {"code": "1"})  # incoming funds
        element(transaction, "transaction-date", iso(day))
        element(
            transaction,
            "value",
            {"currency": funding.currency, "value-date": day.isoformat()},
            str(funding.amount),
        )
        narrative(transaction, "provider-org", funding.funder.name)
    _results(activity, project)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _results(activity: ET.Element, project: Project) -> None:
    """Each result with its indicators: baseline, target and approved actual."""
    indicators = (
        Indicator.objects.filter(project=project)
        .select_related("result", "snapshot")
        .order_by("result__order", "order", "code")
    )
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
        narrative(node, "title", result.title if result else project.title)
        for indicator in members:
            item = element(
                node,
                "indicator",
                {
                    "measure": MEASURE[indicator.measure],
                    "ascending": "0" if indicator.direction == "decrease" else "1",
                },
            )
            narrative(item, "title", indicator.name)
            if indicator.baseline_value is not None:
                year = (indicator.baseline_date or project.planned_start).year
                element(
                    item, "baseline", {"year": str(year), "value": str(indicator.baseline_value)}
                )
            period = element(item, "period")
            element(period, "period-start", iso(project.start_date))
            element(period, "period-end", iso(indicator.target_date or project.end_date))
            target = (
                indicator.target_min if indicator.target_kind == "range" else indicator.target_value
            )
            if target is not None:
                element(period, "target", {"value": str(target)})
            snapshot = getattr(indicator, "snapshot", None)
            if snapshot is not None and snapshot.achieved is not None:
                element(period, "actual", {"value": str(snapshot.achieved)})
