"""Period reports: an editor writes the answers, the final beneficiaries by sex and what was
spent by budget line; a second manager approves; funders read approved reports only. Bad input
is named at once and nothing is stored; a locked period's report does not change; nobody
approves a report they wrote; outsiders get 404."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.numbers import percent
from indicators import progress
from indicators.services.checks import Conflict
from reporting import services, workflow
from reporting.models import BudgetLine, Expenditure, PeriodReport
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory
from tests.reporting.conftest import write

pytestmark = pytest.mark.django_db


def test_an_editor_writes_and_submits_and_another_manager_approves(reporting):
    report = write(reporting, submit=True)
    assert report.status == "submitted"
    assert report.sections == {"achievements": "Forty women trained as leaders."}
    assert report.answers() == [
        (
            "Achievements: what was done and reached in the period?",
            "Forty women trained as leaders.",
        )
    ]
    spent = Expenditure.objects.get()
    assert (spent.amount, spent.line.currency) == (Decimal("6200.50"), "EUR")
    approved = services.approve_report(report=report, by=reporting["manager_a"])
    assert approved.status == "approved" and approved.reviewed_by == reporting["manager_a"]


def test_a_manager_may_not_approve_a_report_they_wrote(reporting):
    report = write(reporting, by=reporting["manager_a"], submit=True)
    assert workflow.APPROVE not in workflow.allowed_transitions(reporting["manager_a"], report)
    with pytest.raises(PermissionDenied, match="another manager must approve it"):
        services.approve_report(report=report, by=reporting["manager_a"])
    assert PeriodReport.objects.get().status == "submitted"
    services.approve_report(report=report, by=reporting["second_manager_a"])


def test_every_problem_of_a_report_is_named_and_nothing_is_stored(reporting):
    other_year = BudgetLine.objects.create(
        project=reporting["project_a"], year=2026, name="Rent", amount=Decimal(100), currency="EUR"
    )
    with pytest.raises(ValidationError) as refused:
        write(
            reporting,
            women=Decimal("2.5"),
            sections={"gossip": "x"},
            expenditures=[
                services.ExpenditureInput(
                    line=reporting["line"], amount=Decimal(5), currency="XYZ"
                ),
                services.ExpenditureInput(line=other_year, amount=Decimal("-1")),
            ],
        )
    problems = refused.value.message_dict
    assert problems["women"] == ["People are counted in whole numbers."]
    assert problems["sections"] == ["The report has no section gossip."]
    assert problems["expenditures"] == [
        "2025 · Training workshops: “XYZ” is not an ISO 4217 currency code.",
        "2026 · Rent is budgeted for 2026, outside the period S1 2025 (2025-01-01 to 2025-06-30).",
        "2026 · Rent: an amount cannot be negative.",
    ]
    with pytest.raises(ValidationError, match="is budgeted in EUR"):
        write(
            reporting,
            expenditures=[
                services.ExpenditureInput(line=reporting["line"], amount=Decimal(5), currency="USD")
            ],
        )
    assert not PeriodReport.objects.exists() and not Expenditure.objects.exists()


def test_a_locked_periods_report_is_neither_written_nor_approved(reporting):
    report = write(reporting, submit=True)
    period = reporting["period"]
    period.locked_at = timezone.now()
    period.save()
    report.refresh_from_db()
    with pytest.raises(Conflict, match="The period S1 2025 is locked"):
        services.approve_report(report=report, by=reporting["manager_a"])
    report.delete()
    with pytest.raises(Conflict, match="The period S1 2025 is locked"):
        write(reporting)
    assert not PeriodReport.objects.exists()


def test_funders_read_approved_reports_only_and_outsiders_get_404(client, reporting):
    report = write(reporting, submit=True)
    url = reverse(
        "reporting:period-report", args=[reporting["project_a"].pk, reporting["period"].pk]
    )
    client.force_login(reporting["funder_viewer"])
    page = client.get(url)
    assert page.status_code == 200 and "Forty women" not in page.text
    assert "No report on this period yet." in page.text
    services.approve_report(report=report, by=reporting["manager_a"])
    text = " ".join(client.get(url).text.split())
    assert "Forty women trained as leaders." in text
    assert "Women: 40 · men: 12" in text
    assert "6,200.50 EUR" in text and "10,000 EUR" in text
    assert "Write the report" not in text
    approve = reverse("reporting:period-report-transition", args=[report.pk, "reopen"])
    client.post(approve, {"text": "no"})
    assert PeriodReport.objects.get().status == "approved"
    for outsider in (reporting["outsider"], reporting["editor_b"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(approve, {"text": "no"}).status_code == 404


def test_the_editor_writes_the_report_in_its_page_and_the_manager_approves_there(client, reporting):
    url = reverse(
        "reporting:period-report", args=[reporting["project_a"].pk, reporting["period"].pk]
    )
    client.force_login(reporting["editor_a"])
    form = client.get(url).context["form"]
    line = reporting["line"]
    answer = client.post(
        url,
        {
            "organisation": reporting["ngo_a"].pk,
            "section_achievements": "Two green spaces built.",
            "women": "31",
            "men": "9.5",
            f"spent_{line.pk}": "1200",
            "action": "submit",
        },
    )
    assert answer.status_code == 400 and "Enter a whole number." in answer.text
    assert not PeriodReport.objects.exists()
    assert f"spent_{line.pk}" in form.fields
    client.post(
        url,
        {
            "organisation": reporting["ngo_a"].pk,
            "section_achievements": "Two green spaces built.",
            "women": "31",
            "men": "9",
            f"spent_{line.pk}": "1200",
            f"evidence_{line.pk}": "https://example.org/invoice",
            "action": "submit",
        },
    )
    report = PeriodReport.objects.get()
    assert (report.status, report.women, report.men) == ("submitted", 31, 9)
    client.force_login(reporting["manager_a"])
    page = client.get(url)
    assert "approve" in {row[0]: row[1] for row in page.context["reports"]}[report]
    client.post(reverse("reporting:period-report-transition", args=[report.pk, "approve"]))
    assert PeriodReport.objects.get().status == "approved"


def test_money_results_and_time_stand_side_by_side_on_the_project_page_and_the_dashboard(
    client, reporting, django_capture_on_commit_callbacks
):
    report = write(reporting, submit=True)
    client.force_login(reporting["funder_viewer"])
    page = client.get(reverse("project", args=[reporting["project_a"].pk]))
    assert "0 % of the budget spent (0 of 10,000 EUR)" in page.text  # submitted: not counted
    services.approve_report(report=report, by=reporting["manager_a"])
    text = client.get(reverse("project", args=[reporting["project_a"].pk])).text
    elapsed = progress.time_elapsed_percent(
        date(2024, 1, 1), date(2026, 12, 31), timezone.localdate()
    )
    assert (
        f"62 % of the budget spent (6,200.50 of 10,000 EUR), no progress measured against "
        f"targets yet, {percent(elapsed)} of the time elapsed" in text.replace("&nbsp;", " ")
    )
    board = client.get(reverse("dashboard", args=[reporting["funder"].pk, "funder"]))
    assert "62 % of the budget spent (6,200.50 of 10,000 EUR)" in board.text


def test_burn_is_worked_out_per_currency_and_never_converted():
    rows = progress.burn(
        {"EUR": Decimal(10000), "PEN": Decimal(500)}, {"EUR": Decimal("6200.50"), "USD": Decimal(7)}
    )
    assert [(r.currency, r.budget, r.spent, r.spent_percent) for r in rows] == [
        ("EUR", Decimal(10000), Decimal("6200.50"), Decimal("62.01")),
        ("PEN", Decimal(500), Decimal(0), Decimal("0.00")),
        ("USD", Decimal(0), Decimal(7), None),
    ]
    assert progress.time_elapsed_percent(
        date(2025, 1, 1), date(2025, 12, 31), date(2025, 7, 2)
    ) == Decimal("50.00")
    assert (
        progress.time_elapsed_percent(date(2025, 1, 1), date(2025, 12, 31), date(2027, 1, 1)) == 100
    )
    assert (
        progress.time_elapsed_percent(date(2025, 1, 1), date(2025, 12, 31), date(2024, 1, 1)) == 0
    )


def test_a_line_with_expenditure_stays_in_the_budget(reporting):
    write(reporting)
    with pytest.raises(ValidationError, match="Period reports record money spent on Training"):
        services.remove_budget_line(line=reporting["line"], by=reporting["manager_a"])
    assert BudgetLine.objects.filter(pk=reporting["line"].pk).exists()


def test_the_printable_report_of_a_period_carries_its_approved_report(client, reporting):
    report = write(reporting, submit=True)
    url = reverse("project-report", args=[reporting["project_a"].pk])
    query = {"period": reporting["period"].pk}
    client.force_login(reporting["funder_viewer"])
    assert "Forty women" not in client.get(url, query).text
    services.approve_report(report=report, by=reporting["manager_a"])
    text = " ".join(client.get(url, query).text.split())
    assert "Report on S1 2025 by NGO A" in text
    assert "Forty women trained as leaders." in text and "Women: 40 · men: 12" in text
    assert "6,200.50 EUR" in text


def test_the_period_page_costs_the_same_queries_for_more_reports_and_lines(client, reporting):
    project = reporting["project_a"]
    url = reverse("reporting:period-report", args=[project.pk, reporting["period"].pk])
    write(reporting, submit=True)
    client.force_login(reporting["manager_a"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = cost()
    for number in range(3):
        partner = OrganisationFactory(name=f"Partner {number}")
        PartnershipFactory(project=project, organisation=partner)
        line = services.save_budget_line(
            project=project,
            by=reporting["manager_a"],
            name=f"Line {number}",
            year=2025,
            amount=Decimal(100),
            currency="EUR",
        )
        editor = MembershipFactory(organisation=partner, role="editor").user
        report = services.save_report(
            project=project,
            period=reporting["period"],
            organisation=partner,
            by=editor,
            sections={"achievements": f"Partner {number} did well."},
            women=1,
            men=1,
            expenditures=[services.ExpenditureInput(line=line, amount=Decimal(10))],
        )
        services.attach_file(
            report=report, by=editor, upload=SimpleUploadedFile("list.pdf", b"%PDF-1.7 list")
        )
        services.submit_report(report=report, by=editor)
    assert PeriodReport.objects.count() == 4
    assert cost() == before  # their answers, files, expenditure and histories included
