"""The indicator performance tracking table, opened with openpyxl as a user's spreadsheet would,
and compared figure by figure with the API."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dashboards.iptt import FIXED_SHEETS
from indicators import services
from indicators.models import Indicator, ProgressUpdate
from indicators.services.project_snapshots import portfolio_projects
from partners.models import Organisation, User
from projects.models import Project

pytestmark = pytest.mark.django_db


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def rows_by_code(sheet):
    """The indicator rows of a project's sheet, by code: one header row, then the data."""
    header = [cell.value for cell in sheet[1]]
    rows = {}
    for row in sheet.iter_rows(min_row=2):
        line = dict(zip(header, row, strict=True))
        if line["Level"].value == "indicator":
            rows[line["Indicator code"].value] = line
    return header, rows


def test_a_funders_project_table_matches_the_api_figure_for_figure(client, demo):
    project = Project.objects.get(code__startswith="mam")
    client = as_user(client, "setec-viewer")
    book = workbook(client.get(f"/projects/{project.pk}/report.xlsx"))
    sheet = book[book.sheetnames[FIXED_SHEETS]]
    assert sheet.freeze_panes == "A2"
    _header, rows = rows_by_code(sheet)
    api = client.get(f"/api/v1/indicators/?project={project.pk}&page_size=100").json()["results"]
    assert {indicator["code"] for indicator in api} == set(rows)
    for indicator in api:
        row = rows[indicator["code"]]
        achieved = row["Cumulative actual"].value
        expected = indicator["achieved_value"]
        assert (None if achieved is None else Decimal(str(achieved))) == (
            None if expected is None else Decimal(str(expected))
        ), indicator["code"]
        percent = indicator["percent_of_target"]
        if percent is not None:
            assert row["% of target"].number_format == "0.0%"
            assert Decimal(str(row["% of target"].value)) == Decimal(str(percent)) / 100
        assert Decimal(str(row["Target"].value or 0)) == Decimal(
            str(indicator["target_value"] or 0)
        )


def test_categories_sit_under_their_indicator_with_target_and_achieved_shares(
    client, demo, django_capture_on_commit_callbacks
):
    associates = Indicator.objects.get(code="CE-5")
    parts = dict(zip(categories(associates), (Decimal(50), Decimal(30)), strict=True))
    with django_capture_on_commit_callbacks(execute=True):
        update = services.create_update(
            indicator=associates,
            by=User.objects.get(username="aspem-editor"),
            figures=services.Figures(as_of=associates.project.start_date, parts=parts),
            submit=True,
        )
        services.approve_update(update=update, by=User.objects.get(username="aspem-manager"))
    book = workbook(
        as_user(client, "eu-viewer").get(f"/projects/{associates.project_id}/report.xlsx")
    )
    sheet = book[book.sheetnames[FIXED_SHEETS]]
    header = [cell.value for cell in sheet[1]]
    lines = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(values_only=True)]
    at = next(i for i, line in enumerate(lines) if line["Indicator code"] == "CE-5")
    women = lines[at + 1]
    assert (women["Level"], women["Indicator code"]) == ("category", "CE-5")
    assert (women["Dimension"], women["Category"]) == ("Sex", "Women")
    assert Decimal(str(women["Target share"])) == Decimal("0.6")
    assert Decimal(str(women["Cumulative actual"])) == 50
    assert Decimal(str(women["Achieved share"])) == Decimal("0.625")


def categories(indicator):
    return [
        category
        for use in indicator.indicator_dimensions.select_related("dimension")
        for category in use.dimension.categories.order_by("order")
    ]


def test_funders_see_approved_figures_only(client, demo):
    associates = Indicator.objects.get(code="CE-5")
    services.create_update(
        indicator=associates,
        by=User.objects.get(username="aspem-editor"),
        figures=services.Figures(
            as_of=associates.project.start_date,
            parts={c: Decimal(v) for c, v in zip(categories(associates), (5, 5), strict=True)},
        ),
        submit=True,
    )
    assert ProgressUpdate.objects.filter(indicator=associates, status="submitted").exists()
    book = workbook(
        as_user(client, "eu-viewer").get(f"/projects/{associates.project_id}/report.xlsx")
    )
    _header, rows = rows_by_code(book[book.sheetnames[FIXED_SHEETS]])
    assert rows["CE-5"]["Cumulative actual"].value is None


def test_outsiders_get_404_on_every_report(client, demo):
    project = Project.objects.get(code__startswith="mam")
    setec = Organisation.objects.get(short_name="setec")
    as_user(client, "outsider")
    assert client.get(f"/projects/{project.pk}/report.xlsx").status_code == 404
    assert client.get(f"/dashboards/{setec.pk}/report.xlsx").status_code == 404
    as_user(client, "eu-viewer")
    assert client.get(f"/projects/{project.pk}/report.xlsx").status_code == 404
    assert client.get(f"/dashboards/{setec.pk}/report.xlsx").status_code == 404


def test_a_funders_portfolio_file_has_a_sheet_per_funded_project(client, demo):
    eu = Organisation.objects.get(short_name="EU")
    book = workbook(as_user(client, "eu-viewer").get(f"/dashboards/{eu.pk}/report.xlsx"))
    funded = Project.objects.filter(portfolio_projects(eu, "funder")).distinct()
    assert funded.exists()
    assert len(book.sheetnames) == FIXED_SHEETS + funded.count()
    assert {book[name]["B2"].value for name in book.sheetnames[FIXED_SHEETS:]} == {
        project.code for project in funded
    }


def test_the_portfolio_file_costs_the_same_queries_for_more_projects(client, demo):
    conamovidi = Organisation.objects.get(short_name="CONAMOVIDI")
    as_user(client, "conamovidi-manager")
    url = f"/dashboards/{conamovidi.pk}/report.xlsx?kind=implementer"

    def queries():
        with CaptureQueriesContext(connection) as captured:
            workbook(client.get(url))
        return len(captured)

    before = queries()
    original = Project.objects.get(code__startswith="conamovidi")
    for n in range(5):
        copy = Project.objects.create(
            code=f"copy-{n}",
            title=f"Copy {n}",
            planned_start=original.planned_start,
            planned_end=original.planned_end,
        )
        copy.partnerships.create(organisation=conamovidi, role=4)
    assert queries() == before


def test_an_indicator_without_a_target_says_no_kind_of_target(client, demo):
    indicator = Indicator.objects.get(code="CE-1")
    Indicator.objects.filter(pk=indicator.pk).update(target_value=None)
    milestone = Indicator.objects.filter(measure="milestone").first()
    client = as_user(client, "eu-viewer")
    book = workbook(client.get(f"/projects/{indicator.project_id}/report.xlsx"))
    _header, rows = rows_by_code(book[book.sheetnames[FIXED_SHEETS]])
    assert rows["CE-1"]["Target kind"].value is None  # was "At least", of nothing
    assert rows["CE-2"]["Target kind"].value == "At least"
    if milestone is not None and milestone.code in rows:
        assert rows[milestone.code]["Target kind"].value is None
