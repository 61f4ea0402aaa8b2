"""The one rule for files people upload anywhere in Safeboard (papers, evidence, agreements…).

Documents and images only, at most 20 MB, and for the types with a fixed signature the file's first
bytes must match its name, so a renamed program is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

ALLOWED_UPLOAD_EXTENSIONS = (
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "xls",
    "ods",
    "pptx",
    "csv",
    "txt",
    "png",
    "jpg",
    "jpeg",
)
# The content type a stored file is sent with, by its type (the extension the upload rule checked).
# A fixed table rather than the ``mimetypes`` module, whose answers depend on the server's own files.
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_TYPE_MESSAGE = (
    "The selected file must be a document or an image: PDF, Word (DOCX or DOC), OpenDocument text "
    "(ODT), Excel (XLSX or XLS), OpenDocument spreadsheet (ODS), PowerPoint (PPTX), CSV, plain text, PNG or JPG."
)
UPLOAD_SIZE_MESSAGE = "The selected file must be smaller than 20 MB."
UPLOAD_HELP = "A document or an image (PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPG), up to 20 MB."
# What the first bytes of a file must be for the types that have a fixed signature.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
}


def validate_upload(file: Any) -> None:
    """Documents and images only, at most 20 MB; the file's first bytes must match its type."""
    if file is None:
        return
    extension = Path(file.name or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(UPLOAD_TYPE_MESSAGE, code="file_type")
    if file.size is not None and file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(UPLOAD_SIZE_MESSAGE, code="file_size")
    signatures = _SIGNATURES.get(extension)
    if signatures and hasattr(file, "read"):
        position = file.tell() if hasattr(file, "tell") else 0
        file.seek(0)
        head = file.read(8)
        file.seek(position)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                f"The selected file is not a real {extension.upper()} file. Check it opens, then upload it again.",
                code="file_content",
            )


class UploadField(forms.FileField):
    """A file field with the module's upload rules and hint."""

    default_validators = [validate_upload]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", UPLOAD_HELP)
        super().__init__(*args, **kwargs)


def content_type_for(name: str) -> str:
    """The content type to send a stored file with; anything unexpected is plain bytes."""
    return CONTENT_TYPES.get(Path(name).suffix.lower().lstrip("."), "application/octet-stream")
