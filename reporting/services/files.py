"""Photos and documents attached to a period report: added and removed by those who may change
the report, while it may change (a draft or returned, in an unlocked period); checked as
updates' evidence files are; deleted from storage once the change that dropped them commits."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.authorship import set_author
from core.checks import refuse_nul_and_oversize
from indicators.services.evidence import check_evidence_file, unreferenced_files
from partners.models import User
from reporting import workflow
from reporting.models import PeriodReport, ReportFile

REPORT_FILES_FOLDER = "report-files"
MAX_FILES_PER_REPORT = 12
MAX_CAPTION_LENGTH = 300


def _locked(report: PeriodReport) -> PeriodReport:
    return PeriodReport.objects.select_for_update().select_related("period").get(pk=report.pk)


def _touch(report: PeriodReport, by: User) -> None:
    """A report's files are part of it: `updated_since` readers learn of them."""
    set_author(report, by)
    report.save(update_fields=["updated_at"])


@transaction.atomic
def attach_file(
    *, report: PeriodReport, by: User, upload: UploadedFile, caption: str = ""
) -> ReportFile:
    """Attach a photo or document to the report; every problem with it is named at once."""
    current = _locked(report)
    workflow.check(by, current, workflow.EDIT)
    problems: dict[str, list[str]] = {}
    try:
        check_evidence_file(upload, field="file")
    except ValidationError as error:
        problems.update(error.message_dict)
    try:
        refuse_nul_and_oversize(caption=caption)
    except ValidationError as error:
        problems.update(error.message_dict)
    if len(caption.strip()) > MAX_CAPTION_LENGTH:
        problems["caption"] = [
            _("A caption has at most %(limit)s characters.") % {"limit": MAX_CAPTION_LENGTH}
        ]
    if current.files.count() >= MAX_FILES_PER_REPORT:
        problems["file"] = [
            *problems.get("file", []),
            _("A report holds at most %(limit)s files: remove one before adding another.")
            % {"limit": MAX_FILES_PER_REPORT},
        ]
    if problems:
        raise ValidationError(problems)
    name = Path(upload.name or "file").name[:200]
    attached = ReportFile(
        report=current,
        file=upload,
        name=name,
        caption=caption.strip(),
        size=upload.size or 0,
        uploaded_by=by,
    )
    set_author(attached, by)
    attached.save()
    _touch(current, by)
    return attached


@transaction.atomic
def remove_file(*, attached: ReportFile, by: User) -> None:
    current = _locked(attached.report)
    workflow.check(by, current, workflow.EDIT)
    stored = attached.file.name
    # One by one, not in bulk: the history records the removal.
    for row in ReportFile.objects.filter(pk=attached.pk, report=current):
        set_author(row, by)
        row.delete()
    _touch(current, by)
    forget_report_files([stored])


def forget_report_files(names: list[str]) -> None:
    """Delete stored files once the transaction that dropped them commits: each belongs to one
    attachment only. The history keeps their names, not their content."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


def unreferenced_report_files() -> list[str]:
    """Files under the report folder no attachment refers to (left by an interrupted request,
    or by a project deleted with its reports)."""
    referenced = set(ReportFile.objects.values_list("file", flat=True))
    return unreferenced_files(REPORT_FILES_FOLDER, referenced)
