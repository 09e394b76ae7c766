"""A periodic report for one funder, as DOCX and PDF: the period's approved narrative, women
and men, the logframe's current values and that funder's budget against expenditure; read back
with python-docx and pdftotext. Unapproved reports never appear; other funders and outsiders
get 404."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from reporting import services
from tests.factories import FundingFactory, MembershipFactory, OrganisationFactory
from tests.reporting.conftest import write

pytestmark = pytest.mark.django_db


def urls(reporting, funder=None):
    args = [reporting["project_a"].pk, reporting["period"].pk, (funder or reporting["funder"]).pk]
    return reverse("funder-report-docx", args=args), reverse("funder-report-pdf", args=args)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(texts)


def test_the_funder_downloads_its_report_as_docx_with_narrative_people_and_money(client, reporting):
    report = write(reporting, submit=True)
    client.force_login(reporting["funder_viewer"])
    docx_url, _pdf = urls(reporting)
    text = docx_text(client.get(docx_url).content)
    assert "No approved report on this period yet." in text and "Forty women" not in text
    services.approve_report(report=report, by=reporting["manager_a"])
    answer = client.get(docx_url)
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(answer.content)
    assert "Achievements: what was done and reached in the period?" in text
    assert "Forty women trained as leaders." in text
    assert "Women: 40 · men: 12" in text
    assert "2025 | Training workshops | 10,000 | 6,200.50 | 6,200.50 | EUR" in text
    assert " | Total | 10,000 | 6,200.50 | 6,200.50 | EUR" in text


def test_the_report_follows_the_readers_language(client, reporting):
    services.approve_report(report=write(reporting, submit=True), by=reporting["manager_a"])
    client.force_login(reporting["funder_viewer"])
    docx_url, _pdf = urls(reporting)
    text = docx_text(client.get(docx_url, HTTP_ACCEPT_LANGUAGE="es").content)
    assert "Logros: ¿qué se hizo y alcanzó en el periodo?" in text
    assert "Mujeres: 40 · hombres: 12" in text
    assert "Presupuesto frente a gastos" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_reads_back_with_the_same_figures(client, reporting):
    services.approve_report(report=write(reporting, submit=True), by=reporting["manager_a"])
    client.force_login(reporting["funder_viewer"])
    _docx, pdf_url = urls(reporting)
    answer = client.get(pdf_url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert "Forty women trained as leaders." in flat
    assert "Women: 40 · men: 12" in flat
    assert "10,000 EUR 6,200.50 EUR 6,200.50 EUR" in flat


def test_other_funders_and_outsiders_get_404(client, reporting):
    other = OrganisationFactory(name="Funder G", kind="funder")
    FundingFactory(project=reporting["project_a"], funder=other, amount=Decimal(1000))
    g_viewer = MembershipFactory(organisation=other, role="viewer").user
    stranger = OrganisationFactory(name="Funder H", kind="funder")
    client.force_login(g_viewer)
    assert client.get(urls(reporting)[0]).status_code == 404  # F's report
    assert client.get(urls(reporting, other)[0]).status_code == 200  # its own
    client.force_login(reporting["manager_a"])
    assert client.get(urls(reporting, stranger)[0]).status_code == 404  # funds nothing here
    assert client.get(urls(reporting, other)[1]).status_code == 200
    for outsider in (reporting["outsider"], reporting["editor_b"]):
        client.force_login(outsider)
        assert client.get(urls(reporting)[0]).status_code == 404
        assert client.get(urls(reporting)[1]).status_code == 404
