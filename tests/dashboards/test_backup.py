"""`manage.py backup` and `restore`: a round trip brings back every row, the audit history and
the evidence files; a restore that cannot be done changes nothing."""

import io
import json
import tarfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators import services
from indicators.models import Indicator, Period, ProgressUpdate
from partners.models import Organisation, User
from projects.models import Project
from reporting import services as reporting_services
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.7 attendance list of the March workshop"
PHOTO = b"\x89PNG\r\n\x1a\n a photo of the sorting workshop"


@pytest.fixture
def portfolio(demo):
    update = services.create_update(
        indicator=Indicator.objects.get(code="CE-5"),
        by=User.objects.get(username="aspem-editor"),
        figures=services.Figures(as_of=date(2026, 6, 30), value=Decimal(12)),
        evidence_file=SimpleUploadedFile("attendance.pdf", EVIDENCE),
    )
    return update


def backup(tmp_path: Path) -> Path:
    call_command("backup", "--output", str(tmp_path), verbosity=0)
    (archive,) = tmp_path.glob("portal-backup-*.tar.gz")
    return archive


def state() -> dict:
    return {
        "projects": Project.objects.count(),
        "updates": sorted(ProgressUpdate.objects.values_list("pk", "value", "status")),
        "history": ProgressUpdate.history.count(),
        "users": User.objects.count(),
    }


def test_a_backup_and_restore_bring_back_rows_history_and_files(
    portfolio, tmp_path, django_capture_on_commit_callbacks
):
    editor = User.objects.get(username="aspem-editor")
    draft = reporting_services.save_report(
        project=portfolio.indicator.project,
        period=Period.objects.get(project=portfolio.indicator.project, name="S2 2026"),
        organisation=Organisation.objects.get(short_name="ASPEm"),
        by=editor,
        sections={"achievements": "Sorting workshops held."},
        women=None,
        men=None,
    )
    photo = reporting_services.attach_file(
        report=draft, by=editor, upload=SimpleUploadedFile("workshop.png", PHOTO)
    )
    before = state()
    evidence_name, photo_name = portfolio.evidence_file.name, photo.file.name
    archive = backup(tmp_path / "out")
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert {"manifest.json", "data.jsonl", f"media/{evidence_name}", f"media/{photo_name}"} <= set(
        names
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_update(update=portfolio, by=editor)
        reporting_services.delete_report(report=draft, by=editor)
    assert not default_storage.exists(photo_name)
    ProjectFactory(title="Made after the backup")
    assert not default_storage.exists(evidence_name)

    call_command("restore", str(archive), "--replace", verbosity=0)
    assert state() == before
    assert default_storage.open(evidence_name).read() == EVIDENCE
    assert default_storage.open(photo_name).read() == PHOTO
    assert User.objects.get(username="aspem-editor").check_password("portal-demo-2025")
    assert not Project.objects.filter(title="Made after the backup").exists()


def test_restore_refuses_to_overwrite_data_unless_told(portfolio, tmp_path):
    archive = backup(tmp_path)
    ProjectFactory(title="Kept")
    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive), verbosity=0)
    assert Project.objects.filter(title="Kept").exists()


def test_restore_refuses_an_archive_from_other_migrations(portfolio, tmp_path):
    archive = backup(tmp_path)
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member)
            if member.name == "manifest.json":
                manifest = json.loads(content.read())
                manifest["migrations"].append(["indicators", "9999_future"])
                data = json.dumps(manifest).encode()
                member.size = len(data)
                content = io.BytesIO(data)
            target.addfile(member, content)
    with pytest.raises(CommandError, match="other migrations"):
        call_command("restore", str(altered), "--replace", verbosity=0)
    assert ProgressUpdate.objects.filter(pk=portfolio.pk).exists()


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore", str(junk), verbosity=0)


def test_restore_refuses_an_archive_writing_outside_the_evidence_folder(
    portfolio, tmp_path, settings
):
    other = Path(settings.MEDIA_ROOT) / "branding" / "logo.txt"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text("the operator's own file")
    archive = backup(tmp_path)
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
        planted = tarfile.TarInfo("media/branding/logo.txt")
        payload = b"overwritten by an archive"
        planted.size = len(payload)
        target.addfile(planted, io.BytesIO(payload))
    before = state()
    with pytest.raises(CommandError, match="outside the evidence and report folders"):
        call_command("restore", str(altered), "--replace", verbosity=0)
    assert other.read_text() == "the operator's own file"
    assert state() == before
