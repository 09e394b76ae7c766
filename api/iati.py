"""A project as an IATI 2.03 `iati-activities` document (https://iatistandard.org)."""

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
    "network": "90",
    "multilateral": "40",
    "funder": "60",
    "company": "70",
    "university": "80",
}
RESULT_TYPE = {"output": "1", "outcome": "2", "objective": "3"}
MEASURE = {"count": "1", "amount": "1", "milestone": "1", "percentage": "2", "qualitative": "5"}


def _narrative(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "narrative").text = text
    return element


def _country_codes(project: Project) -> list[str]:
    tree = {loc.pk: loc for loc in Location.objects.all()}
    codes = set()
    for location in project.locations.all():
        node: Location | None = location
        while node is not None and node.parent_id is not None:
            node = tree.get(node.parent_id)
        if node is not None and node.code:
            codes.add(node.code)
    return sorted(codes)


def project_as_iati(project: Project) -> bytes:
    prefix = getattr(settings, "IATI_PUBLISHER_PREFIX", "XM-PORTAL")
    root = ET.Element(
        "iati-activities",
        {
            "version": "2.03",
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        },
    )
    activity = ET.SubElement(
        root,
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
            "default-currency": project.currency,
        },
    )
    ET.SubElement(activity, "iati-identifier").text = f"{prefix}-{project.code}"
    accountable = next((p for p in project.partnerships.all() if p.role in (2, 4)), None)
    if accountable is not None:
        _narrative(
            activity,
            "reporting-org",
            accountable.organisation.name,
            ref=f"{prefix}-{accountable.organisation.short_name}",
            type=ORGANISATION_TYPE.get(accountable.organisation.kind, "90"),
        )
    _narrative(activity, "title", project.title)
    if project.summary:
        _narrative(activity, "description", project.summary, type="1")
    for partnership in project.partnerships.all():
        _narrative(
            activity,
            "participating-org",
            partnership.organisation.name,
            role=str(partnership.role),
            type=ORGANISATION_TYPE.get(partnership.organisation.kind, "90"),
        )
    ET.SubElement(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    dates = [
        ("1", project.planned_start),
        ("2", project.actual_start),
        ("3", project.planned_end),
        ("4", project.actual_end),
    ]
    for code, value in dates:
        if value is not None:
            ET.SubElement(activity, "activity-date", type=code, **{"iso-date": value.isoformat()})
    for code in _country_codes(project):
        ET.SubElement(
            activity,
            "recipient-country",
            code=code,
            percentage="100" if len(_country_codes(project)) == 1 else "",
        )
    if project.budget is not None:
        budget = ET.SubElement(activity, "budget", type="1", status="2")
        ET.SubElement(budget, "period-start", **{"iso-date": project.planned_start.isoformat()})
        ET.SubElement(budget, "period-end", **{"iso-date": project.planned_end.isoformat()})
        ET.SubElement(
            budget,
            "value",
            currency=project.currency,
            **{"value-date": project.planned_start.isoformat()},
        ).text = str(project.budget)
    for funding in project.fundings.all():
        if funding.amount is None:
            continue
        transaction = ET.SubElement(activity, "transaction")
        ET.SubElement(transaction, "transaction-type", code="1")  # incoming funds
        ET.SubElement(
            transaction,
            "transaction-date",
            **{"iso-date": (funding.date or project.planned_start).isoformat()},
        )
        ET.SubElement(
            transaction,
            "value",
            currency=funding.currency,
            **{"value-date": (funding.date or project.planned_start).isoformat()},
        ).text = str(funding.amount)
        _narrative(transaction, "provider-org", funding.funder.name)
    indicators = (
        Indicator.objects.filter(project=project)
        .select_related("result", "snapshot")
        .order_by("result__order", "order", "code")
    )
    by_result: dict[Result | None, list[Indicator]] = {}
    for indicator in indicators:
        by_result.setdefault(indicator.result, []).append(indicator)
    for result, members in by_result.items():
        element = ET.SubElement(
            activity,
            "result",
            type=RESULT_TYPE.get(result.level, "2") if result else "2",
            **{"aggregation-status": "0"},
        )
        _narrative(element, "title", result.title if result else project.title)
        for indicator in members:
            node = ET.SubElement(
                element,
                "indicator",
                measure=MEASURE[indicator.measure],
                ascending="0" if indicator.direction == "decrease" else "1",
            )
            _narrative(node, "title", indicator.name)
            if indicator.baseline_value is not None:
                ET.SubElement(
                    node,
                    "baseline",
                    year=str((indicator.baseline_date or project.planned_start).year),
                    value=str(indicator.baseline_value),
                )
            period = ET.SubElement(node, "period")
            ET.SubElement(period, "period-start", **{"iso-date": project.start_date.isoformat()})
            ET.SubElement(
                period,
                "period-end",
                **{"iso-date": (indicator.target_date or project.end_date).isoformat()},
            )
            target = (
                indicator.target_value if indicator.target_kind != "range" else indicator.target_min
            )
            if target is not None:
                ET.SubElement(period, "target", value=str(target))
            snapshot = getattr(indicator, "snapshot", None)
            if snapshot is not None and snapshot.achieved is not None:
                ET.SubElement(period, "actual", value=str(snapshot.achieved))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
