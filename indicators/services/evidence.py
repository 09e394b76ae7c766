"""Evidence files: small, and of a type a reviewer can open safely."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import ProgressUpdate

EVIDENCE_FOLDER = "evidence"

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
ZIP = b"PK\x03\x04"
# Extension → how the file must begin. Office documents are zip containers.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".odt": (ZIP,),
    ".ods": (ZIP,),
    ".csv": (),
    ".txt": (),
}


def check_evidence_file(upload: UploadedFile, *, field: str = "evidence_file") -> None:
    """Refuse a file that is too large, of a refused type, or not what its name says; the
    message is given for `field`."""
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                field: _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
            }
        )
    extension = Path(upload.name or "").suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted. Use one of: %(types)s.")
                % {"types": ", ".join(sorted(SIGNATURES))}
            }
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {field: _("The file's content does not match its %(ext)s name.") % {"ext": extension}}
        )
    if not signatures and b"\x00" in head:
        raise ValidationError({field: _("A text file cannot contain NUL bytes.")})


def forget_evidence_file(name: str) -> None:
    """Delete a stored evidence file once the transaction that stopped using it commits, unless
    another update still refers to it. The audit history keeps only its name."""

    def delete_if_unused() -> None:
        if not ProgressUpdate.objects.filter(evidence_file=name).exists():
            default_storage.delete(name)

    transaction.on_commit(delete_if_unused)


def unreferenced_evidence_files() -> list[str]:
    """Files under the evidence folder that no update refers to (left by an interrupted
    request, or by a version before files were deleted with their updates)."""
    referenced = set(
        ProgressUpdate.objects.exclude(evidence_file="").values_list("evidence_file", flat=True)
    )
    return unreferenced_files(EVIDENCE_FOLDER, referenced)


def unreferenced_files(folder: str, referenced: set[str]) -> list[str]:
    """The stored files under `folder`, at any depth, whose names are not in `referenced`."""
    found: list[str] = []

    def walk(folder: str) -> None:
        if not default_storage.exists(folder):
            return
        subfolders, files = default_storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            if path not in referenced:
                found.append(path)
        for sub in subfolders:
            walk(f"{folder}/{sub}")

    walk(folder)
    return sorted(found)
