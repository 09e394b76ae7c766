"""Backups: the database and the stored files together, in one dated archive, and back.

The archive holds `manifest.json` (when, which migrations, how many rows of each table),
`data.jsonl` (every row, in Django's JSON-lines format, so it restores into SQLite and
PostgreSQL alike) and `media/` (updates' evidence files and period reports' files). A restore
refuses an archive made at other migrations, and loads everything or nothing.
"""

import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from indicators.models import ProgressUpdate
from indicators.services.evidence import EVIDENCE_FOLDER
from projects.models import Project
from reporting.services.files import REPORT_FILES_FOLDER

# The folders under MEDIA_ROOT the portal writes to: updates' evidence, period reports' files.
PORTAL_FOLDERS = (EVIDENCE_FOLDER, REPORT_FILES_FOLDER)

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions) or short-lived (sessions, sign-in failures).
LEFT_OUT = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}

Report = Callable[[str], None]


class BackupError(Exception):
    """The archive cannot be restored here; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    path: Path
    rows: int
    files: int


def _models() -> list[type[models.Model]]:
    """Every model with a table, in the order of INSTALLED_APPS and of each app's models: the
    order the indicators' triggers need (an indicator's dimensions before its category targets,
    an update before its values per category)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    ]


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _media_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def write_backup(*, directory: Path, report: Report = lambda _line: None) -> Summary:
    """Write `portal-backup-<date>-<time>.tar.gz` into `directory` and return what it holds."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = directory / f"portal-backup-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "data.jsonl"
        counts: dict[str, int] = {}
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                # One consistent view of every table, however long the dump takes.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with data.open("w", encoding="utf-8") as stream:
                for model in _models():
                    rows = model._default_manager.order_by("pk")
                    count = rows.count()
                    counts[model._meta.label_lower] = count
                    if count:
                        serializers.serialize(
                            "jsonl",
                            rows.iterator(chunk_size=2000),
                            stream=stream,
                            use_natural_foreign_keys=True,
                        )
                        report(f"{model._meta.label_lower}: {count} rows")
            migrations = _applied_migrations()
        files = [path for folder in PORTAL_FOLDERS for path in _media_files(media_root / folder)]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "rows": counts,
            "files": len(files),
        }
        (Path(work) / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / "manifest.json", arcname="manifest.json")
            archive.add(data, arcname="data.jsonl")
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        partial.rename(target)  # a half-written archive never carries the final name
    report(f"{len(files)} files")
    return Summary(path=target, rows=sum(counts.values()), files=len(files))


def _holds_data() -> bool:
    return Project.objects.exists() or ProgressUpdate.objects.exists()


def restore_backup(
    *, archive_path: Path, replace: bool = False, report: Report = lambda _line: None
) -> Summary:
    """Replace the database's rows and the stored files with the archive's, or change nothing."""
    if not archive_path.is_file():
        raise BackupError(f"No archive at {archive_path}.")
    with tempfile.TemporaryDirectory() as work:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                # The "data" filter refuses absolute paths, links out of the folder and devices.
                archive.extractall(work, filter="data")
            manifest = json.loads((Path(work) / "manifest.json").read_text())
        except (tarfile.TarError, OSError, ValueError, KeyError) as error:
            raise BackupError(f"{archive_path} is not a backup of this portal: {error}") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Archive format {manifest.get('format')} is not {FORMAT}.")
        here = _applied_migrations()
        if manifest["migrations"] != here:
            missing = {tuple(m) for m in manifest["migrations"]} - {tuple(m) for m in here}
            raise BackupError(
                "The archive was made at other migrations than this database's. Restore into "
                "the same version of the portal (run `manage.py migrate` first); differing: "
                + ", ".join(f"{app}.{name}" for app, name in sorted(missing)[:5])
            )
        if _holds_data() and not replace:
            raise BackupError(
                "The database already holds projects or updates. Restoring replaces them all: "
                "say --replace to go ahead."
            )
        media_root = Path(settings.MEDIA_ROOT)
        restored_files = _media_files(Path(work) / "media")
        restored = [Path(work) / "media" / folder for folder in PORTAL_FOLDERS]
        # The portal backs up and restores its own folders, nothing else under MEDIA_ROOT.
        strays = [
            path
            for path in restored_files
            if not any(path.is_relative_to(folder) for folder in restored)
        ]
        if strays:
            raise BackupError(
                "The archive holds files outside the evidence and report folders, which a "
                "backup of this portal never does; nothing was restored: "
                + ", ".join(path.relative_to(work).as_posix() for path in strays[:5])
            )
        with transaction.atomic():
            report("emptying the database")
            if connection.vendor == "postgresql":
                # Checks deferred by earlier work in this transaction would block TRUNCATE.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            report(f"loading {sum(manifest['rows'].values())} rows")
            call_command("loaddata", str(Path(work) / "data.jsonl"), verbosity=0)
            report(f"restoring {len(restored_files)} files")
            # Inside the transaction: if the files cannot be written, the rows roll back too.
            # Only the folders the portal writes to are emptied: whatever else lives under
            # MEDIA_ROOT is not the portal's to delete.
            media_root.mkdir(parents=True, exist_ok=True)
            for folder, source in zip(PORTAL_FOLDERS, restored, strict=True):
                shutil.rmtree(media_root / folder, ignore_errors=True)
                if source.exists():
                    shutil.copytree(source, media_root / folder, dirs_exist_ok=True)
    return Summary(
        path=archive_path, rows=sum(manifest["rows"].values()), files=len(restored_files)
    )
