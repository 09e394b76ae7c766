"""Period reports in a real browser, on a phone-sized screen: a manager writes the report on
the current period with an expenditure (refused first while the period is locked) and submits
it; they are not offered its approval; another manager approves it; the EU's viewer downloads
the EU's periodic report as DOCX and PDF, which read back with the narrative, women and men,
and the budget against what was spent."""

import shutil
import subprocess

import pytest
from django.utils import timezone
from docx import Document

from indicators.models import Period
from partners.models import Membership, Organisation
from projects.models import Project
from reporting.models import BudgetLine, PeriodReport
from tests.browser import MARKS, PASSWORD, fits_the_screen, sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = MARKS


def docx_text(path: str) -> str:
    document = Document(path)
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [
        " | ".join(cell.text for cell in row.cells)
        for table in document.tables
        for row in table.rows
    ]
    return "\n".join(texts)


@pytest.mark.django_db(transaction=True)
def test_a_period_report_from_the_managers_phone_to_the_funders_docx_and_pdf(
    live_server, page, tmp_path, demo_portal
):
    project = Project.objects.get(code="circular-la-victoria-el-agustino")
    period = Period.objects.get(project=project, name="S2 2026")
    line = BudgetLine.objects.get(project=project, year=2026)
    second = UserFactory(username="aspem-manager-2")
    second.set_password(PASSWORD)
    second.save()
    MembershipFactory(
        user=second, organisation=Organisation.objects.get(short_name="ASPEm"), role="manager"
    )
    base = live_server.url

    sign_in(page, base, "aspem-manager")
    page.goto(f"{base}/projects/{project.pk}/periods/")
    page.get_by_role("link", name="S2 2026").click()
    assert fits_the_screen(page)
    Period.objects.filter(pk=period.pk).update(locked_at=timezone.now())

    def fill_and_submit() -> None:
        page.get_by_label("Achievements: what was done and reached in the period?").fill(
            "Thirty municipal officials trained in circular economy."
        )
        page.get_by_label("Final beneficiaries: women").fill("18")
        page.get_by_label("Final beneficiaries: men").fill("12")
        page.get_by_label(f"Spent on {line.name} (2026, European Union), in EUR").fill("9000")
        page.get_by_label("Evidence of it (a link)").fill("https://example.org/invoices-s2")
        page.locator("form[aria-labelledby=write]").get_by_role(
            "button", name="Submit for review"
        ).click()

    fill_and_submit()
    page.get_by_text("The period S2 2026 is locked: its report cannot change.").wait_for()
    assert not PeriodReport.objects.filter(period=period).exists()
    Period.objects.filter(pk=period.pk).update(locked_at=None)
    page.goto(f"{base}/projects/{project.pk}/periods/{period.pk}/report/")
    fill_and_submit()
    page.get_by_text("The report is submitted for review.").wait_for()
    assert fits_the_screen(page)
    assert page.get_by_role("button", name="Approve").count() == 0  # not their own
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "aspem-manager-2")
    page.goto(f"{base}/projects/{project.pk}/periods/{period.pk}/report/")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("The report is approved: its funders see it now.").wait_for()
    assert PeriodReport.objects.get(period=period).status == "approved"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "eu-viewer")
    page.goto(f"{base}/projects/{project.pk}/periods/{period.pk}/report/")
    assert "Thirty municipal officials" in page.content()
    assert fits_the_screen(page)
    funders = page.locator("li", has_text="Report for European Union:")
    with page.expect_download() as docx:
        funders.get_by_role("link", name="DOCX").click()
    text = docx_text(docx.value.path())
    assert "Thirty municipal officials trained in circular economy." in text
    assert "Women: 18 · men: 12" in text
    # To date: the demo's 27,000 spent in S1 2026 and these 9,000.
    assert f"2026 | {line.name} | 60,000 | 9,000 | 36,000 | EUR" in text
    with page.expect_download() as pdf:
        funders.get_by_role("link", name="PDF").click()
    if shutil.which("pdftotext"):
        flat = " ".join(
            subprocess.run(["pdftotext", pdf.value.path(), "-"], capture_output=True, check=True)
            .stdout.decode()
            .split()
        )
        assert "Thirty municipal officials trained in circular economy." in flat
        assert "Women: 18 · men: 12" in flat
        assert "60,000 EUR 9,000 EUR 36,000 EUR" in flat
    assert Membership.objects.filter(user__username="eu-viewer").exists()
