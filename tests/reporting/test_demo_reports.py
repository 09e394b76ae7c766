"""The demo holds a budget for every project and an approved, illustrative report on each
period that has ended, with what was spent; loading it again adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from indicators.models import Period
from partners.models import Organisation, User
from projects.models import Project
from reporting.models import BudgetLine, Expenditure, PeriodReport

pytestmark = pytest.mark.django_db


def test_every_demo_project_has_a_budget_and_a_report_on_each_ended_period(demo):
    today = timezone.localdate()
    for project in Project.objects.all():
        lines = BudgetLine.objects.filter(project=project)
        assert lines.exists(), project.code
        assert all("(illustrative)" in line.name for line in lines)
        ended = Period.objects.filter(project=project, end__lt=today)
        reports = PeriodReport.objects.filter(project=project)
        assert reports.count() == ended.count() > 0, project.code
        assert set(reports.values_list("status", flat=True)) == {"approved"}
        assert all(r.sections["achievements"].startswith("Illustrative") for r in reports)
        assert Expenditure.objects.filter(report__project=project).exists(), project.code
    setec = BudgetLine.objects.filter(funding__funder__short_name="setec")
    assert sum(line.amount for line in setec) == 16322


def test_loading_the_demo_again_adds_no_line_report_or_expenditure(demo):
    counts = (BudgetLine.objects.count(), PeriodReport.objects.count(), Expenditure.objects.count())
    call_command("load_demo", "--reset-demo-accounts", verbosity=0, stdout=io.StringIO())
    assert counts == (
        BudgetLine.objects.count(),
        PeriodReport.objects.count(),
        Expenditure.objects.count(),
    )


def test_the_eu_viewer_downloads_the_circular_economy_report_for_the_eu(client, demo):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    period = Period.objects.get(project=project, name="S1 2025")
    eu = Organisation.objects.get(short_name="EU")
    client.force_login(User.objects.get(username="eu-viewer"))
    answer = client.get(reverse("funder-report-docx", args=[project.pk, period.pk, eu.pk]))
    text = "\n".join(
        " | ".join(cell.text for cell in row.cells)
        for table in Document(io.BytesIO(answer.content)).tables
        for row in table.rows
    )
    assert (
        "2025 | Training and technical assistance (illustrative) | 60,000 | 27,000 | 27,000 | EUR"
        in text
    )
