"""Photos and documents of a period report: attached by its writers while it may change,
refused with every reason when they are not what they say or the report may not change,
readable by whoever reads the report (funders once it is approved) and nobody else (404), in
the page, the API and the funder's DOCX; removed from storage with the attachment; told in the
report's history with its answers and expenditure."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from indicators.services.checks import Conflict
from indicators.services.evidence import unreferenced_files
from reporting import services
from reporting.models import ReportFile
from reporting.selectors import report_histories
from reporting.services.files import MAX_FILES_PER_REPORT
from tests.reporting.conftest import write

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7 signed attendance list"


def photo(name: str = "workshop.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def page_url(reporting) -> str:
    return reverse(
        "reporting:period-report", args=[reporting["project_a"].pk, reporting["period"].pk]
    )


def test_a_writer_attaches_a_photo_that_the_team_reads_and_funders_read_once_approved(
    client, reporting
):
    report = write(reporting)
    client.force_login(reporting["editor_a"])
    answer = client.post(
        reverse("reporting:period-report-add-file", args=[report.pk]),
        {"file": photo(), "caption": "Leaders' workshop, March"},
    )
    assert answer.status_code == 302
    attached = ReportFile.objects.get()
    assert (attached.name, attached.caption, attached.size) == (
        "workshop.png",
        "Leaders' workshop, March",
        len(PNG),
    )
    assert attached.is_photo
    text = " ".join(client.get(page_url(reporting)).text.split())
    assert "workshop.png" in text and "Leaders&#x27; workshop, March" in text
    download = reverse("reporting:period-report-file", args=[attached.pk])
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
    assert 'filename="workshop.png"' in got["Content-Disposition"]

    client.force_login(reporting["funder_viewer"])
    assert client.get(download).status_code == 404  # a draft: not the funder's to read
    services.submit_report(report=report, by=reporting["editor_a"])
    services.approve_report(report=report, by=reporting["manager_a"])
    assert client.get(download).status_code == 200
    for outsider in (reporting["outsider"], reporting["editor_b"]):
        client.force_login(outsider)
        assert client.get(download).status_code == 404
        assert (
            client.post(
                reverse("reporting:period-report-remove-file", args=[attached.pk])
            ).status_code
            == 404
        )
    assert ReportFile.objects.count() == 1


def stored_files() -> list[str]:
    return unreferenced_files("report-files", set())


def test_a_file_that_is_not_what_it_says_is_refused_with_every_reason_and_nothing_kept(
    reporting,
):
    report = write(reporting)
    before = stored_files()
    with pytest.raises(ValidationError) as refused:
        services.attach_file(
            report=report,
            by=reporting["editor_a"],
            upload=photo("invoice.pdf", b"MZ\x90 an executable"),
            caption="bad\x00caption",
        )
    assert refused.value.message_dict == {
        "file": ["The file's content does not match its .pdf name."],
        "caption": ["The text contains a NUL character, which cannot be stored."],
    }
    with pytest.raises(ValidationError, match="Files of this type are not accepted"):
        services.attach_file(report=report, by=reporting["editor_a"], upload=photo("run.exe"))
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        services.attach_file(
            report=report,
            by=reporting["editor_a"],
            upload=photo("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
        )
    assert not ReportFile.objects.exists()
    assert stored_files() == before


def test_a_report_holds_a_limited_number_of_files(reporting):
    report = write(reporting)
    for number in range(MAX_FILES_PER_REPORT):
        services.attach_file(
            report=report, by=reporting["editor_a"], upload=photo(f"p{number}.png")
        )
    with pytest.raises(ValidationError, match=f"at most {MAX_FILES_PER_REPORT} files"):
        services.attach_file(report=report, by=reporting["editor_a"], upload=photo("one-more.png"))
    assert ReportFile.objects.count() == MAX_FILES_PER_REPORT


def test_files_change_only_while_the_report_may_change(client, reporting):
    report = write(reporting, submit=True)
    with pytest.raises(Conflict, match="Only a draft or returned report can be changed"):
        services.attach_file(report=report, by=reporting["editor_a"], upload=photo())
    client.force_login(reporting["editor_a"])
    answer = client.post(
        reverse("reporting:period-report-add-file", args=[report.pk]), {"file": photo()}
    )
    assert answer.status_code == 302
    messages = [str(m) for m in answer.wsgi_request._messages]
    assert messages == [
        "Only a draft or returned report can be changed; reopen an approved one first."
    ]
    services.return_report(report=report, by=reporting["manager_a"], note="Add the photos.")
    attached = services.attach_file(report=report, by=reporting["editor_a"], upload=photo())
    period = reporting["period"]
    period.locked_at = timezone.now()
    period.save()
    with pytest.raises(Conflict, match="The period S1 2025 is locked"):
        services.remove_file(attached=attached, by=reporting["editor_a"])
    assert ReportFile.objects.count() == 1


def test_a_removed_file_leaves_storage_and_the_history_tells_of_it(
    reporting, django_capture_on_commit_callbacks
):
    report = write(reporting)
    with django_capture_on_commit_callbacks(execute=True):
        attached = services.attach_file(
            report=report, by=reporting["editor_a"], upload=photo(), caption="Workshop"
        )
    stored = attached.file.name
    assert default_storage.exists(stored) and stored.startswith("report-files/")
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_file(attached=attached, by=reporting["editor_a"])
    assert not default_storage.exists(stored) and not ReportFile.objects.exists()
    write(
        reporting,
        expenditures=[services.ExpenditureInput(line=reporting["line"], amount=Decimal("7000"))],
    )
    sentences = [
        sentence for entry in report_histories([report])[report.pk] for sentence in entry.sentences
    ]
    who = str(reporting["editor_a"])
    assert (
        f"{who} deleted file workshop.png, which had: name “workshop.png”; "
        "caption “Workshop”; size in bytes 72." in sentences
    )
    assert (
        f"{who} created file workshop.png: name “workshop.png”; caption “Workshop”; "
        "size in bytes 72." in sentences
    )
    assert (
        f"expenditure on 2025 · Training workshops: {who} changed the amount from 6,200.5 to 7,000."
        in sentences
    )
    assert (
        f"expenditure on 2025 · Training workshops: {who} cleared the evidence, which was "
        "“https://example.org/receipts.pdf”." in sentences
    )


def test_the_history_is_shown_to_the_team_and_not_to_funders(client, reporting):
    report = write(reporting, submit=True)
    services.approve_report(report=report, by=reporting["manager_a"])
    client.force_login(reporting["manager_a"])
    text = " ".join(client.get(page_url(reporting)).text.split())
    assert "History (4)" in text  # written, its expenditure, submitted, approved
    assert "changed the status from Submitted to Approved." in text
    assert "sections: achievements “Forty women trained as leaders.”" in text
    client.force_login(reporting["funder_viewer"])
    text = client.get(page_url(reporting)).text
    assert "Forty women trained as leaders." in text and "History (" not in text


def test_a_deleted_draft_takes_its_files_with_it(reporting, django_capture_on_commit_callbacks):
    report = write(reporting)
    attached = services.attach_file(report=report, by=reporting["editor_a"], upload=photo())
    stored = attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_report(report=report, by=reporting["editor_a"])
    assert not default_storage.exists(stored)


def test_partners_read_the_files_in_the_api_and_download_them(reporting):
    report = write(reporting)
    attached = services.attach_file(
        report=report, by=reporting["editor_a"], upload=photo("list.pdf", PDF), caption="List"
    )
    api = APIClient()
    api.force_authenticate(reporting["editor_a"])
    (listed,) = api.get(f"/api/v1/period-reports/{report.pk}/").json()["files"]
    assert listed["name"] == "list.pdf" and listed["caption"] == "List"
    assert listed["size"] == len(PDF)
    assert listed["download_url"].endswith(
        f"/api/v1/period-reports/{report.pk}/files/{attached.pk}/"
    )
    got = api.get(listed["download_url"])
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/octet-stream"
    assert 'filename="list.pdf"' in got["Content-Disposition"]
    assert (
        api.get(f"/api/v1/period-reports/{report.pk}/files/{attached.pk + 1}/").status_code == 404
    )
    api.force_authenticate(reporting["funder_viewer"])
    assert api.get(listed["download_url"]).status_code == 404
    api.force_authenticate(reporting["outsider"])
    assert api.get(listed["download_url"]).status_code == 404


def test_the_funders_docx_names_the_files_of_the_approved_report(client, reporting):
    report = write(reporting, submit=True)
    services.return_report(report=report, by=reporting["manager_a"], note="Photos, please.")
    services.attach_file(
        report=report, by=reporting["editor_a"], upload=photo(), caption="Leaders' workshop"
    )
    services.submit_report(report=report, by=reporting["editor_a"])
    services.approve_report(report=report, by=reporting["manager_a"])
    client.force_login(reporting["funder_viewer"])
    funder = reporting["project_a"].fundings.get().funder
    answer = client.get(
        reverse(
            "funder-report-docx",
            args=[reporting["project_a"].pk, reporting["period"].pk, funder.pk],
        )
    )
    document = Document(io.BytesIO(answer.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Photos and documents, on the portal" in texts
    assert "workshop.png: Leaders' workshop" in texts


def test_files_no_report_refers_to_are_swept(reporting):
    report = write(reporting)
    kept = services.attach_file(report=report, by=reporting["editor_a"], upload=photo())
    orphan = default_storage.save("report-files/2025/03/orphan.png", ContentFile(PNG))
    out = io.StringIO()
    call_command("delete_unreferenced_evidence", stdout=out)
    assert orphan in out.getvalue() and not default_storage.exists(orphan)
    assert default_storage.exists(kept.file.name)


def test_the_funders_dashboard_leads_to_the_approved_period_reports(client, reporting):
    project = reporting["project_a"]
    funder = project.fundings.get().funder
    report = write(reporting, submit=True)
    client.force_login(reporting["funder_viewer"])
    url = reverse("dashboard-project", args=[funder.pk, "funder", project.pk])
    assert "No period report approved yet." in client.get(url).text
    services.approve_report(report=report, by=reporting["manager_a"])
    text = client.get(url).text
    assert reverse("reporting:period-report", args=[project.pk, reporting["period"].pk]) in text
    assert (
        reverse("funder-report-pdf", args=[project.pk, reporting["period"].pk, funder.pk]) in text
    )
