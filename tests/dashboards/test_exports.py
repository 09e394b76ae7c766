"""A whole portfolio's files are made in the background, with their progress shown, for the
person who asked only."""

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dashboards.iptt import FIXED_SHEETS
from dashboards.models import Export
from dashboards.tasks import build_waiting_exports, delete_old_exports
from indicators.services.project_snapshots import portfolio_projects
from partners.models import Organisation, User
from projects.models import Project
from tests.dashboards.test_report import pdf_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def eu(demo, client):
    client.force_login(User.objects.get(username="eu-viewer"))
    return Organisation.objects.get(short_name="EU")


def ask(client, organisation, fmt, kind="funder"):
    return client.post(
        reverse("ask-for-export", args=[organisation.pk, kind]),
        {"format": fmt},
        follow=True,
    )


def test_a_funder_asks_for_the_table_of_every_project_and_downloads_it(
    client, eu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("ask-for-export", args=[eu.pk, "funder"]), {"format": "xlsx"})
    export = Export.objects.get()
    assert asked.url == reverse("export", args=[export.pk])
    page = client.get(asked.url)
    assert "Ready" in page.text and reverse("export-file", args=[export.pk]) in page.text
    funded = Project.objects.filter(portfolio_projects(eu, "funder")).distinct()
    assert (export.projects_done, export.projects_total) == (funded.count(), funded.count())
    response = client.get(reverse("export-file", args=[export.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.sheetnames) == FIXED_SHEETS + funded.count()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_summary_has_a_row_per_project_linking_to_its_report(
    client, eu, django_capture_on_commit_callbacks, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, eu, "pdf")
    export = Export.objects.get()
    pdf = b"".join(client.get(reverse("export-file", args=[export.pk])).streaming_content)
    (tmp_path / "summary.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "summary.pdf"), "-"], capture_output=True, text=True
    ).stdout
    for project in Project.objects.filter(portfolio_projects(eu, "funder")).distinct():
        # Cells wrap, and text extraction interleaves the columns' lines: word by word.
        assert all(word in text.split() for word in project.title.split()), project.title
        assert f"/projects/{project.pk}/report/".encode() in pdf_objects(pdf)  # its link
    assert re.search(r"\d+ projects?, \d+ indicators", " ".join(text.split()))


def test_progress_is_shown_while_the_file_is_made(client, eu):
    export = Export.objects.create(
        organisation=eu,
        kind="funder",
        format="xlsx",
        requested_by=User.objects.get(username="eu-viewer"),
        language="en",
        base_url="http://testserver/",
        status="running",
        projects_done=300,
        projects_total=1000,
    )
    page = client.get(reverse("export", args=[export.pk])).text
    assert "300 of 1,000 projects done." in page
    assert '<progress max="100" value="30">' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert client.get(reverse("export-file", args=[export.pk])).status_code == 404  # not yet


def test_only_the_person_who_asked_gets_the_file_and_outsiders_get_404(
    client, eu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, eu, "xlsx")
    export = Export.objects.get()
    for username in ("outsider", "setec-viewer", "mam-admin"):
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("export", args=[export.pk])).status_code == 404, username
        assert client.get(reverse("export-file", args=[export.pk])).status_code == 404, username
    # Nor may anyone ask for a dashboard's file they may not open.
    client.force_login(User.objects.get(username="outsider"))
    assert ask(client, eu, "xlsx").status_code == 404
    assert Export.objects.count() == 1


def test_a_format_the_portal_does_not_make_is_refused_with_a_message(client, eu):
    page = ask(client, eu, "docx")
    assert "Choose the indicator table or the summary." in page.text
    assert not Export.objects.exists()


def test_a_file_whose_job_was_lost_is_started_by_beat_after_a_minute(eu):
    export = Export.objects.create(
        organisation=eu,
        kind="funder",
        format="xlsx",
        requested_by=User.objects.get(username="eu-viewer"),
        language="en",
        base_url="http://testserver/",
    )
    assert build_waiting_exports() == 0  # just asked for: its own job may yet come
    Export.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert build_waiting_exports() == 1
    export.refresh_from_db()
    assert export.status == "done" and export.file


def test_a_file_goes_after_a_week_and_a_missing_file_is_404(
    client, eu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, eu, "xlsx")
    export = Export.objects.get()
    export.file.storage.delete(export.file.name)  # as after a restore without it
    assert client.get(reverse("export-file", args=[export.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, eu, "xlsx")
    second = Export.objects.exclude(pk=export.pk).get()
    assert second.file.storage.exists(second.file.name)
    Export.objects.update(created_at=timezone.now() - timedelta(days=8))
    assert delete_old_exports() == 2
    assert not Export.objects.exists()
    assert not second.file.storage.exists(second.file.name)
