"""Hostile spreadsheets against the progress and framework imports: a message, a 400, nothing
stored, no file left behind, and a process that stays small."""

import json
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from api.services import create_token
from core import workbooks
from indicators import import_views
from indicators.models import ProgressUpdate
from indicators.spreadsheets.framework import RESULT_COLUMNS
from indicators.spreadsheets.progress import FIXED, LAST, MAX_ROWS
from tests.factories import MembershipFactory, PartnershipFactory, ProjectFactory, UserFactory

from . import spreadsheets
from .conftest import ROOT

pytestmark = [pytest.mark.hostile_file]

HEADER = [*FIXED, *LAST]
PEAK_LIMIT_MB = 200


@pytest.fixture(scope="module")
def bomb():
    return spreadsheets.whitespace_bomb(HEADER)


HOSTILE = {
    "declares A1:XFD19000": (
        lambda: spreadsheets.declared_huge(HEADER),
        "Give the value achieved.",  # read as the rows it has: one, without a value
    ),
    "48 MB of spaces, within the limits": (
        lambda: spreadsheets.whitespace_bomb(HEADER, 48),
        None,  # a header and no rows
    ),
    "100,000 rows, declares A1:O8": (
        lambda: spreadsheets.declared_small(HEADER, 100_000, "X1"),
        "Reading stopped at row 20,002 of Progress",
    ),
    "entities": (
        lambda: spreadsheets.with_entities(HEADER),
        "declares XML entities",
    ),
}


def _peak(fresh_database, tmp_path, content: bytes) -> dict:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    finished = subprocess.run(
        [sys.executable, "-m", "tests.hostile.import_one_file", str(fresh_database), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_fresh_process_importing_a_hostile_file_peaks_under_200_mb(
    kind, fresh_database, tmp_path
):
    make, said = HOSTILE[kind]
    measured = _peak(fresh_database, tmp_path, make())
    assert measured["peak_mb"] < PEAK_LIMIT_MB, measured
    if said:
        assert any(said in message for message in measured["messages"]), measured


def test_a_zip_bomb_of_whitespace_is_refused_before_it_is_inflated(bomb, fresh_database, tmp_path):
    assert len(bomb) < 2 * 1024 * 1024  # 1.5 GB of spaces, zipped
    measured = _peak(fresh_database, tmp_path, bomb)
    assert measured["peak_mb"] < PEAK_LIMIT_MB, measured
    assert measured["messages"] == [
        "Unpacked, this spreadsheet would take more than 50 MB: split it and import each part."
    ]


MALFORMED = {
    "not a zip": (spreadsheets.not_a_zip, "not a spreadsheet the portal can read"),
    "a zip without a workbook": (spreadsheets.no_workbook, "not a spreadsheet"),
    "XML cut in half": (lambda: spreadsheets.broken_xml(HEADER), "not a spreadsheet"),
    "entities": (lambda: spreadsheets.with_entities(HEADER), "declares XML entities"),
    "UTF-16": (lambda: spreadsheets.utf16(HEADER), "not a spreadsheet"),
    "201 columns": (
        lambda: spreadsheets.too_wide(HEADER, 201),
        "Row 2 of Progress has values beyond column GR: at most 200 columns are read.",
    ),
}


@pytest.fixture
def editor(db):
    membership = MembershipFactory(role="editor")
    project = ProjectFactory()
    PartnershipFactory(project=project, organisation=membership.organisation)
    return membership.user, project


def _upload(client, project, content: bytes, name: str = "progress.xlsx"):
    return client.post(
        reverse("indicators:import", args=[project.pk]),
        {"spreadsheet": SimpleUploadedFile(name, content)},
    )


def _left_behind() -> list[str]:
    if not default_storage.exists(import_views.FOLDER):
        return []
    return default_storage.listdir(import_views.FOLDER)[1]


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_file_is_a_400_with_a_message_and_nothing_is_left(kind, client, editor):
    user, project = editor
    make, said = MALFORMED[kind]
    client.force_login(user)
    response = _upload(client, project, make())
    assert response.status_code == 400
    messages = [problem.message for problem in response.context["outcome"].problems]
    assert messages
    if said:
        assert any(said in message for message in messages), messages
    assert _left_behind() == []
    assert not ProgressUpdate.objects.exists()


def test_a_sheet_read_beyond_the_rows_it_declares_loses_no_row(client, editor):
    user, project = editor
    client.force_login(user)
    response = _upload(client, project, spreadsheets.declared_small(HEADER, 11, "NOPE"))
    assert response.status_code == 400
    rows = {problem.row for problem in response.context["outcome"].problems}
    assert rows == set(range(2, 13))  # the 11 rows, not the 7 the sheet declares


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(client, editor, settings):
    user, project = editor
    client.force_login(user)
    content = spreadsheets.workbook([HEADER]) + b"\0" * workbooks.MAX_UPLOAD_BYTES
    response = _upload(client, project, content)
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert _left_behind() == []


def test_the_message_is_in_the_users_language(client, editor):
    user, project = editor
    client.force_login(user)
    client.cookies["django_language"] = "es"
    response = _upload(client, project, spreadsheets.with_entities(HEADER))
    with translation.override("es"):
        expected = translation.gettext(
            "This spreadsheet declares XML entities, which the portal does not read: save it "
            "again as .xlsx from your spreadsheet program."
        )
    assert "entidades" in expected
    assert [p.message for p in response.context["outcome"].problems] == [expected]


def test_the_api_stops_reading_at_the_row_limit_and_says_so(editor):
    user, project = editor
    organisation = user.memberships.get().organisation
    key = create_token(
        organisation=organisation,
        name="sync",
        scope="write",
        can_approve=False,
        by=MembershipFactory(organisation=organisation, role="admin").user,
    )[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    text = ",".join(HEADER) + "\n" + "X1,,S1\n" * (MAX_ROWS + 5)
    response = client.post(
        "/api/v1/updates/import/",
        {"project": project.pk, "csv": text, "dry_run": True},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["message"].startswith(
        f"Reading stopped at row {MAX_ROWS + 2:,} of CSV"
    )


@pytest.mark.parametrize("kind", ["not a zip", "entities", "201 columns"])
def test_the_framework_import_refuses_the_same_files(kind, client, editor):
    user, project = editor
    manager = UserFactory(username="framework-manager")
    MembershipFactory(
        user=manager, organisation=user.memberships.get().organisation, role="manager"
    )
    make, said = MALFORMED[kind]
    if kind == "201 columns":
        content = spreadsheets.workbook(
            [RESULT_COLUMNS, ["1", *([None] * 199), "x"]], title="Results", more=("Indicators",)
        )
        said = "beyond column GR"
    else:
        content = make()
    client.force_login(manager)
    response = client.post(
        reverse("indicators:framework", args=[project.pk]),
        {"action": "import", "import-spreadsheet": SimpleUploadedFile("f.xlsx", content)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert said in page
    assert not project.indicators.exists() and not project.results.exists()
