"""The libraries in a real browser, on a phone-sized screen: a network's manager loads its
library from a spreadsheet (a first file refused with every problem), a member's manager makes
an indicator from it in Spanish, an editor reports, a manager approves, and the network's
viewer sees the total change and downloads the logframe."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from indicators.models import Indicator, ProgressUpdate
from libraries.models import Library
from partners.models import Membership, Organisation
from projects.models import Project
from tests.browser import MARKS, PASSWORD, fits_the_screen, sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = MARKS


def spreadsheet(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def person(username, organisation, role):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def load_through_columns(page, url, path):
    """The network's manager loads the file as "Network indicators", naming its columns."""
    page.goto(url)
    page.get_by_label("Name of the library").fill("Network indicators")
    page.get_by_label("List of indicators (.xlsx or .csv)").set_input_files(path)
    page.get_by_role("button", name="Next: the columns").click()
    assert fits_the_screen(page)
    page.get_by_label("Code", exact=True).select_option(label="Código")
    page.get_by_label("Name in English").select_option(label="Indicator")
    page.get_by_label("Name in Spanish").select_option(label="Indicador")
    page.get_by_label("Measure", exact=True).select_option(label="Tipo")
    page.get_by_label("Unit", exact=True).select_option(label="Unidad")
    page.get_by_role("button", name="Check and load").click()


@pytest.mark.django_db(transaction=True)
def test_a_network_library_from_spreadsheet_to_the_members_logframe(
    live_server, page, tmp_path, demo_portal
):
    network = Organisation.objects.get(name="CONAMOVIDI")
    member = Organisation.objects.get(name="Provincial organisation of Lima (illustrative)")
    project = Project.objects.get(code="conamovidi-network")
    person("lim-manager", member, Membership.Role.MANAGER)
    person("network-viewer", network, Membership.Role.VIEWER)
    base = live_server.url
    header = ["Código", "Indicator", "Indicador", "Tipo", "Unidad"]

    sign_in(page, base, "conamovidi-manager")
    trained = ["NET-1", "Women trained as leaders", "Mujeres capacitadas como lideresas", "count"]
    libraries = f"{base}/organisations/{network.pk}/libraries/"
    rows = [header, [*trained, "women"], ["NET-1", "Soup kitchens", "Comedores", "portions", ""]]
    load_through_columns(page, libraries, spreadsheet(tmp_path / "first.xlsx", rows))
    page.get_by_text("Row 3: the code NET-1 is also on row 2.").wait_for()
    assert "Row 3: “portions” is not a measure" in page.content()
    assert not Library.objects.filter(name="Network indicators").exists()

    rows = [header, [*trained, "women"], ["NET-2", "Soup kitchens", "Comedores", "count", ""]]
    load_through_columns(page, libraries, spreadsheet(tmp_path / "second.xlsx", rows))
    page.get_by_text("Network indicators version 1 is loaded with 2 indicators.").wait_for()
    library = Library.objects.get(name="Network indicators")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "lim-manager")
    page.locator("button[name=language][value=es]").click()
    page.goto(f"{base}/projects/{project.pk}/framework/")
    page.get_by_role("link", name="Desde una biblioteca").click()
    page.get_by_label("Indicador de biblioteca").select_option(
        label="Network indicators · NET-1 · Mujeres capacitadas como lideresas"
    )
    page.get_by_label("Código en el proyecto").fill("CN-9")
    page.get_by_label("Meta").fill("40")
    page.get_by_role("button", name="Añadir el indicador").click()
    page.get_by_text("CN-9 está añadido, vinculado a la biblioteca.").wait_for()
    assert fits_the_screen(page)
    indicator = Indicator.objects.get(project=project, code="CN-9")
    assert indicator.translated("name", "es") == "Mujeres capacitadas como lideresas"
    assert indicator.library_link.entry.code == "NET-1"
    page.locator("button[name=language][value=en]").click()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "network-viewer")
    page.goto(f"{base}/libraries/{library.pk}/")
    before = page.locator("section.card", has_text="NET-1").inner_text()
    assert "no total" in before and "CONAMOVIDI" in before
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "conamovidi-editor")
    page.goto(f"{base}/indicators/{indicator.pk}/report/")
    page.get_by_label("Total", exact=True).fill("25")
    page.get_by_label("Reported for").select_option(label="CONAMOVIDI")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "conamovidi-manager")
    page.get_by_role("link", name="Review").click()
    page.locator("article.review", has_text="CN-9").get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the figures now count for funders.").wait_for()
    assert ProgressUpdate.objects.get(indicator=indicator).status == "approved"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "network-viewer")
    page.goto(f"{base}/libraries/{library.pk}/")
    after = page.locator("section.card", has_text="NET-1")
    after.wait_for()
    assert "NET-1 Women trained as leaders: 25" in " ".join(after.inner_text().split())
    assert fits_the_screen(page)
    page.goto(f"{base}/dashboards/{network.pk}/network/")
    standard = page.locator("section", has_text="Standard indicators across projects")
    assert "NET-1 Women trained as leaders 25" in " ".join(standard.inner_text().split())
    assert fits_the_screen(page)
    page.goto(f"{base}/projects/{project.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Logframe (XLSX)").click()
    assert download.value.suggested_filename == "logframe-conamovidi-network.xlsx"
    with open(download.value.path(), "rb") as stream:
        book = load_workbook(io.BytesIO(stream.read()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    linked = [row for row in rows if row[3] == "NET-1"]
    assert len(linked) == 1 and linked[0][7] == 25 and linked[0][6] == 40
