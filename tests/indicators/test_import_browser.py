"""Importing progress in a real browser on a phone-sized screen, then the funder's report."""

import csv

import pytest

from indicators.models import Indicator, ProgressUpdate
from indicators.spreadsheets.progress import header
from tests.browser import MARKS, fits_the_screen, sign_in

pytestmark = MARKS


@pytest.mark.django_db(transaction=True)
def test_an_editor_checks_and_records_a_file_and_the_funder_prints_the_report(
    live_server, page, tmp_path, demo_portal
):
    associates = Indicator.objects.get(code="CE-5")
    project = associates.project
    columns = header(project)
    path = tmp_path / "progress.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for women, men in ((-1, 4), (6, 4)):
            cells = dict.fromkeys(columns, "")
            cells["Indicator code"] = "CE-5"
            cells["As of"] = project.start_date.isoformat()
            for column in columns:
                if column.endswith(": Women"):
                    cells[column] = str(women)
                elif column.endswith(": Men"):
                    cells[column] = str(men)
            writer.writerow([cells[column] for column in columns])
    before = ProgressUpdate.objects.count()
    base = live_server.url

    sign_in(page, base, "aspem-editor")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_role("link", name="Import progress").click()
    page.get_by_label("Filled-in template (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("Values cannot be negative.").wait_for()
    assert fits_the_screen(page)
    assert ProgressUpdate.objects.count() == before

    path.write_text(path.read_text().replace("-1,", "5,", 1))
    page.get_by_label("Filled-in template (.xlsx or .csv)").set_input_files(str(path))
    page.get_by_label("Submit the updates for review").check()
    page.get_by_role("button", name="Check").click()
    page.get_by_text("2 rows pass every check").wait_for()
    page.get_by_role("button", name="Record them").click()
    page.get_by_text("2 updates recorded.").wait_for()
    assert ProgressUpdate.objects.filter(status="submitted").count() >= 2
    assert ProgressUpdate.objects.count() == before + 2

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "eu-viewer")
    page.goto(f"{base}/projects/{project.pk}/")
    page.get_by_role("link", name="Printable report").click()
    page.get_by_role("heading", name=project.title).wait_for()
    assert page.locator(f"#indicator-{associates.pk}").count() == 1
    assert fits_the_screen(page)
