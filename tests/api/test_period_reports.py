"""Budget lines and period reports in the API: funders read approved reports only, a reopened
report leaves their copy through the change feed, outsiders see nothing."""

import pytest
from rest_framework.test import APIClient

from reporting import services
from tests.reporting.conftest import build_reporting, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting(world):
    return build_reporting(world)


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_the_funder_reads_approved_reports_with_their_expenditure(reporting):
    report = write(reporting, submit=True)
    funder = client_of(reporting["funder_viewer"])
    assert funder.get("/api/v1/period-reports/").json()["results"] == []
    assert funder.get(f"/api/v1/period-reports/{report.pk}/").status_code == 404
    services.approve_report(report=report, by=reporting["manager_a"])
    [row] = funder.get("/api/v1/period-reports/").json()["results"]
    assert (row["status"], row["women"], row["men"]) == ("approved", 40, 12)
    assert row["sections"] == [
        {
            "key": "achievements",
            "prompt": "Achievements: what was done and reached in the period?",
            "text": "Forty women trained as leaders.",
        }
    ]
    assert row["expenditures"] == [
        {
            "line": reporting["line"].pk,
            "amount": 6200.5,
            "currency": "EUR",
            "evidence_url": "https://example.org/receipts.pdf",
        }
    ]
    [line] = funder.get("/api/v1/budget-lines/").json()["results"]
    assert (line["name"], line["amount"], line["funder"]) == (
        "Training workshops", 10000, reporting["funder"].pk,
    )  # fmt: skip
    for outsider in (reporting["outsider"], reporting["editor_b"]):
        other = client_of(outsider)
        assert other.get("/api/v1/period-reports/").json()["results"] == []
        assert other.get("/api/v1/budget-lines/").json()["results"] == []
        assert other.get(f"/api/v1/period-reports/{report.pk}/").status_code == 404


def test_the_editor_sees_drafts_and_filters_by_status(reporting):
    write(reporting)
    editor = client_of(reporting["editor_a"])
    assert [r["status"] for r in editor.get("/api/v1/period-reports/").json()["results"]] == [
        "draft"
    ]
    assert editor.get("/api/v1/period-reports/?status=approved").json()["results"] == []
    assert editor.get("/api/v1/period-reports/?status=lost").status_code == 400


def test_a_reopened_report_leaves_the_funders_copy_through_the_feed(reporting):
    report = write(reporting, submit=True)
    services.approve_report(report=report, by=reporting["manager_a"])
    funder = client_of(reporting["funder_viewer"])
    first = funder.get("/api/v1/changes/?limit=1000").json()
    sent = {(c["type"], c["id"]) for c in first["results"]}
    assert ("period_report", report.pk) in sent and ("budget_line", reporting["line"].pk) in sent
    services.reopen_report(report=report, by=reporting["manager_a"], reason="Wrong receipts")
    after = funder.get(f"/api/v1/changes/?since={first['cursor']}").json()["results"]
    assert [(c["type"], c["id"], c["action"], c["reason"]) for c in after] == [
        ("period_report", report.pk, "removed", "no_longer_visible")
    ]
