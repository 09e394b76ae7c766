"""Evidence files: small, and of a type a reviewer can open safely."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

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


def check_evidence_file(upload: UploadedFile) -> None:
    """Refuse a file that is too large, of a refused type, or not what its name says."""
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                "evidence_file": _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_EVIDENCE_BYTES // (1024 * 1024)}
            }
        )
    extension = Path(upload.name or "").suffix.lower()
    if extension not in SIGNATURES:
        raise ValidationError(
            {
                "evidence_file": _("Files of this type are not accepted. Use one of: %(types)s.")
                % {"types": ", ".join(sorted(SIGNATURES))}
            }
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    signatures = SIGNATURES[extension]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(
            {
                "evidence_file": _("The file's content does not match its %(ext)s name.")
                % {"ext": extension}
            }
        )
    if not signatures and b"\x00" in head:
        raise ValidationError({"evidence_file": _("A text file cannot contain NUL bytes.")})
