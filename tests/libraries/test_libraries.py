"""An organisation's managers load a library of standard indicators from a spreadsheet — the
portal's own format or a funder's list through its columns — every problem listed, nothing
stored on error; a new version keeps the old one; only the organisation, its network and
nobody else see it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from libraries import services, sheet
from libraries.models import Entry, Library
from partners.models import Membership
from tests.factories import DimensionFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

OWN_HEADER = ["code", "name_en", "name_es", "name_fr", "measure", "unit", "aggregation",
              "disaggregations", "methodology", "tags"]  # fmt: skip


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet_of_rows = book.create_sheet("list")
    for row in rows:
        sheet_of_rows.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


@pytest.fixture
def network():
    parent = OrganisationFactory(name="Network", oversees_members=True)
    member = OrganisationFactory(name="Member kitchen", parent=parent)
    people = {
        "manager": MembershipFactory(organisation=parent, role=Membership.Role.MANAGER).user,
        "editor": MembershipFactory(organisation=parent, role=Membership.Role.EDITOR).user,
        "member": MembershipFactory(organisation=member, role=Membership.Role.VIEWER).user,
        "outsider": MembershipFactory(role=Membership.Role.ADMIN).user,
    }
    DimensionFactory()  # sex, shared by every organisation
    return parent, member, people


def load(parent, by, rows, name="Network indicators", language="en"):
    return services.load_library(
        organisation=parent,
        by=by,
        name=name,
        language=language,
        rows=[(number, dict(zip(OWN_HEADER, row, strict=False))) for number, row in rows],
    )


def test_a_manager_loads_a_library_with_names_in_three_languages_and_required_dimensions(
    network,
):
    parent, _member, people = network
    library = load(
        parent,
        people["manager"],
        [
            (2, ["NET-1", "Women leaders trained", "Lideresas capacitadas", "", "Count",
                 "people", "", "sex", "https://example.org/method", "SDG 5.5"]),
            (3, ["NET-2", "Soup kitchens reporting", "", "", "conteo", "", "Último valor",
                 "", "", ""]),
        ],
    )  # fmt: skip
    assert (library.version, library.superseded_at) == (1, None)
    first, second = library.entries.order_by("order")
    assert (first.code, first.measure, first.aggregation) == ("NET-1", "count", "sum")
    assert first.translated("name", "es") == "Lideresas capacitadas"
    assert first.translated("name", "fr") == "Women leaders trained"
    assert [d.slug for d in first.dimensions.all()] == ["sex"]
    assert (second.measure, second.aggregation) == ("count", "latest")  # Spanish labels read


def test_every_problem_is_named_by_its_row_and_nothing_is_stored(network):
    parent, _member, people = network
    with pytest.raises(ValidationError) as refused:
        load(
            parent,
            people["manager"],
            [
                (2, ["NET-1", "Trained", "", "", "bananas", "", "", "", "", ""]),
                (3, ["net-1", "Again", "", "", "count", "", "", "", "", ""]),
                (4, ["NET-3", "", "Solo en español", "", "count", "", "sometimes", "sexo",
                     "ftp://x", ""]),
                (5, ["", "No code", "", "", "count", "", "", "", "", ""]),
            ],
        )  # fmt: skip
    assert refused.value.messages == [
        "Row 2: “bananas” is not a measure: write count, percentage, amount, milestone or "
        "qualitative.",
        "Row 3: the code net-1 is also on row 2.",
        "Row 4: give the name in English.",
        "Row 4: “sometimes” is not a way to combine figures: write sum or latest.",
        "Row 4: there is no dimension “sexo” to require; the dimensions are: sex.",
        "Row 4: the methodology is not a web address (http or https).",
        "Row 5: give the indicator a code.",
    ]
    assert not Library.objects.exists() and not Entry.objects.exists()


def test_loading_the_same_name_again_makes_a_new_version_and_keeps_the_old_one(network):
    parent, _member, people = network
    first = load(
        parent, people["manager"], [(2, ["A", "One", "", "", "count", "", "", "", "", ""])]
    )
    second = load(
        parent, people["manager"], [(2, ["A", "Uno", "", "", "count", "", "", "", "", ""])]
    )
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.superseded_at is not None and second.superseded_at is None
    assert first.entries.get().name == "One"


def test_editors_viewers_and_other_organisations_may_not_load_a_library(network):
    parent, _member, people = network
    for who in ("editor", "member", "outsider"):
        with pytest.raises(PermissionDenied):
            load(parent, people[who], [(2, ["A", "One", "", "", "count", "", "", "", "", ""])])
    assert not Library.objects.exists()


def test_a_funders_list_loads_through_its_columns_in_two_steps(client, network):
    parent, _member, people = network
    client.force_login(people["manager"])
    published = xlsx(
        [
            ["Indicator code", "Título", "Title", "Type", "Disaggregation"],
            ["GERF-X.1", "Personas capacitadas", "People trained", "count", "sex"],
            ["GERF-X.2", "Mujeres en cargos", "Women in office", "percentage", ""],
        ]
    )
    page = client.post(
        reverse("libraries", args=[parent.pk]),
        {
            "name": "Funder's list",
            "language": "es",
            "source": "https://example.org/list",
            "spreadsheet": SimpleUploadedFile("list.xlsx", published),
        },
    )
    assert page.status_code == 302
    columns_url = page.headers["Location"]
    asked = client.get(columns_url)
    assert "Indicator code" in asked.text and "Título" in asked.text
    incomplete = client.post(columns_url, {"name_en": "2"})
    assert incomplete.status_code == 400
    # The code, the measure and the name in the library's language (Spanish here).
    assert incomplete.text.count("Choose the column that holds it.") == 3
    assert not Library.objects.exists()
    done = client.post(
        columns_url,
        {"code": "0", "name_es": "1", "name_en": "2", "measure": "3", "disaggregations": "4"},
    )
    library = Library.objects.get()
    assert done.headers["Location"] == reverse("library", args=[library.pk])
    assert (library.language, library.source) == ("es", "https://example.org/list")
    entry = library.entries.get(code="GERF-X.1")
    assert (entry.name, entry.translated("name", "en")) == (
        "Personas capacitadas",
        "People trained",
    )
    shown = client.get(done.headers["Location"])
    assert "GERF-X.2" in shown.text and "Percentage" in shown.text
    assert client.get(columns_url).status_code == 302  # the upload is used up


def test_a_file_in_the_portals_own_format_has_its_columns_chosen_already(client, network):
    parent, _member, people = network
    client.force_login(people["manager"])
    download = client.get(reverse("library-template"))
    template = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    header = [cell.value for cell in template["library"][1]]
    assert header == OWN_HEADER
    filled = xlsx([header, ["NET-1", "Trained", "", "", "count", "people", "sum", "sex", "", ""]])
    page = client.post(
        reverse("libraries", args=[parent.pk]),
        {"name": "Own", "language": "en", "spreadsheet": SimpleUploadedFile("own.xlsx", filled)},
    )
    form = client.get(page.headers["Location"]).context["form"]
    assert {key: form[key].initial for key in ("code", "measure", "tags")} == {
        "code": "0",
        "measure": "4",
        "tags": "9",
    }


def test_who_sees_an_organisations_libraries(client, network):
    parent, member, people = network
    library = load(
        parent, people["manager"], [(2, ["A", "One", "", "", "count", "", "", "", "", ""])]
    )
    for who, page_status in (("manager", 200), ("editor", 200), ("member", 200), ("outsider", 404)):
        client.force_login(people[who])
        assert client.get(reverse("library", args=[library.pk])).status_code == page_status, who
        assert client.get(reverse("libraries", args=[parent.pk])).status_code == page_status, who
    client.force_login(people["editor"])
    refused = client.post(
        reverse("libraries", args=[parent.pk]),
        {"name": "X", "language": "en", "spreadsheet": SimpleUploadedFile("x.csv", b"code\nA\n")},
    )
    assert refused.status_code == 403
    client.force_login(people["member"])
    assert client.get(reverse("libraries", args=[member.pk])).status_code == 200
    assert "Load a library" not in client.get(reverse("libraries", args=[parent.pk])).text


def test_a_file_that_is_no_spreadsheet_or_has_no_header_is_refused_at_once(client, network):
    parent, _member, people = network
    client.force_login(people["manager"])
    for content in (b"\xff\xfe\x00 not text", b"\n\n"):
        page = client.post(
            reverse("libraries", args=[parent.pk]),
            {"name": "X", "language": "en", "spreadsheet": SimpleUploadedFile("x.csv", content)},
        )
        assert page.status_code == 400
        assert "neither an .xlsx spreadsheet nor a UTF-8 CSV" in page.text or (
            "The file has no header row" in page.text
        )
    assert not Library.objects.exists()


def test_the_template_says_what_each_column_takes():
    book = load_workbook(io.BytesIO(sheet.template()))
    notes = list(book.worksheets[1].iter_rows(values_only=True))[1:]
    assert [key for key, _what in notes] == OWN_HEADER
