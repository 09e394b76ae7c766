"""The printable report: what a funder reads on screen, on paper and as PDF."""

import contextlib
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import services
from indicators.models import Indicator, Period, ProgressUpdate
from partners.models import User
from projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def mam():
    return Project.objects.get(code__startswith="mam")


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def report(indicator, narrative, *, approve, period=None):
    update = services.create_update(
        indicator=indicator,
        by=User.objects.get(username="mam-editor"),
        figures=services.Figures(
            as_of=period.end if period else indicator.project.start_date,
            value=Decimal(1),
            narrative=narrative,
        ),
        submit=True,
    )
    if approve:
        services.approve_update(update=update, by=User.objects.get(username="mam-manager"))
    return update


def test_the_funders_report_shows_budget_shares_results_and_approved_narratives(client, demo, mam):
    indicator = mam.indicators.order_by("order").first()
    period = mam.periods.order_by("start").last()
    report(indicator, "Twelve women finished the gardening course.", approve=True, period=period)
    report(indicator, "Draft: numbers still being checked.", approve=False, period=period)
    page = as_user(client, "setec-viewer").get(f"/projects/{mam.pk}/report/?period={period.pk}")
    assert page.status_code == 200
    text = page.text
    assert "69,966 EUR" in text and "23.3 %" in text  # the budget and setec’s share of it
    assert all(code in text for code in mam.indicators.values_list("code", flat=True))
    assert "Twelve women finished the gardening course." in text
    assert "Draft: numbers still being checked." not in text
    assert f"What happened in {period.name}" in text


def test_narratives_follow_the_chosen_period(client, demo, mam):
    indicator = mam.indicators.order_by("order").first()
    first, last = mam.periods.order_by("start").first(), mam.periods.order_by("start").last()
    report(indicator, "Early news from the first period.", approve=True, period=first)
    client = as_user(client, "setec-viewer")
    assert "Early news" in client.get(f"/projects/{mam.pk}/report/?period={first.pk}").text
    assert "Early news" not in client.get(f"/projects/{mam.pk}/report/?period={last.pk}").text
    assert "Early news" in client.get(f"/projects/{mam.pk}/report/?period=all").text
    other = Period.objects.exclude(project=mam).first()
    assert client.get(f"/projects/{mam.pk}/report/?period={other.pk}").status_code == 404


def test_the_pdf_is_a_pdf_with_the_project_in_its_name(client, demo, mam):
    response = as_user(client, "setec-viewer").get(f"/projects/{mam.pk}/report.pdf?period=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 10_000
    assert f"report-{mam.code}.pdf" in response["Content-Disposition"]


def test_without_pango_the_pdf_link_explains_and_the_page_still_works(
    client, demo, mam, monkeypatch
):
    monkeypatch.setattr("dashboards.reports.pdf_renderer_available", lambda: False)
    client = as_user(client, "setec-viewer")
    response = client.get(f"/projects/{mam.pk}/report.pdf")
    assert response.status_code == 503
    assert "lacks the Pango text library" in response.text
    page = client.get(f"/projects/{mam.pk}/report/")
    assert page.status_code == 200 and "Download as PDF" not in page.text


def test_outsiders_and_other_funders_get_404(client, demo, mam):
    for username in ("outsider", "eu-viewer"):
        as_user(client, username)
        assert client.get(f"/projects/{mam.pk}/report/").status_code == 404
        assert client.get(f"/projects/{mam.pk}/report.pdf").status_code == 404
    assert not ProgressUpdate.objects.filter(narrative__startswith="Draft").exists()
    assert Indicator.objects.exists()


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with its compressed streams (object streams among them) inflated."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompress(stream.group(1)))
    return b"".join(inflated)


def test_the_pdf_is_tagged_for_screen_readers_with_its_language_and_title(client, demo, mam):
    client = as_user(client, "setec-viewer")
    client.cookies["django_language"] = "es"
    objects = pdf_objects(client.get(f"/projects/{mam.pk}/report.pdf").content)
    assert b"/StructTreeRoot" in objects and b"/Marked true" in objects
    assert b"/Lang (es)" in objects
    assert b"pdfuaid:part" in objects  # declared PDF/UA-1 in its metadata
    assert b"/DisplayDocTitle true" in objects


def test_by_default_the_report_is_of_the_latest_period_with_something_approved(client, demo):
    """CE's current half-year has nothing approved yet; its last one with figures is shown,
    not a period of "No approved narrative"."""
    project = Project.objects.get(code__startswith="circular")
    today = timezone.localdate()
    begun = [p for p in project.periods.order_by("start") if p.start <= today]
    approved = ProgressUpdate.objects.filter(indicator__project=project, status="approved")
    with_figures = [
        p
        for p in begun
        if approved.filter(as_of__gte=p.start, as_of__lte=p.end).exists()
        or approved.filter(period=p).exists()
    ]
    assert with_figures and with_figures[-1] != begun[-1]  # the case this is about
    text = as_user(client, "eu-viewer").get(f"/projects/{project.pk}/report/").text
    assert f"Progress report · {with_figures[-1].name}" in text
    approved.update(status="draft")  # nothing approved at all: the whole project to date
    text = client.get(f"/projects/{project.pk}/report/").text
    assert "Progress report · " + begun[-1].name not in text


def page_fills(pdf: bytes, tmp_path) -> list[float]:
    """How far down each page its content reaches, as a share of the page's height (the page
    number in the bottom margin left out), read from the pages drawn by poppler."""
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    fills = []
    for drawn in sorted(tmp_path.glob("page-*.pgm")):
        _magic, width, height, _depth, pixels = drawn.read_bytes().split(maxsplit=4)
        columns, rows = int(width), int(height)
        footer = int(rows * 0.94)  # the page number sits in the bottom margin
        inked = [
            row for row in range(footer) if min(pixels[row * columns : (row + 1) * columns]) < 200
        ]
        fills.append((max(inked) + 1) / footer if inked else 0.0)
    return fills


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_no_page_of_the_pdf_is_left_half_empty(client, demo, tmp_path):
    """Whole indicator cards were kept together: the first result's card did not fit under
    the budget, moved to page 2 and left two thirds of page 1 blank."""
    project = Project.objects.get(code__startswith="circular")
    pdf = as_user(client, "eu-viewer").get(f"/projects/{project.pk}/report.pdf").content
    fills = page_fills(pdf, tmp_path)
    assert len(fills) >= 2
    assert all(fill > 0.75 for fill in fills[:-1]), [round(fill, 2) for fill in fills]
