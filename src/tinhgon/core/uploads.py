"""Upload and import limits, from the settings (``TINHGON_MAX_UPLOAD_BYTES``,
``TINHGON_IMPORT_*``; see docs/SECURITY.md).

Three layers keep an upload from holding the server:

- :class:`UploadLimitMiddleware` answers **413** to a multipart request whose declared
  length exceeds the limit, before anything reads the body;
- :func:`validate_upload_size` refuses a received file above the limit (a form or a
  serializer error, so the page or the API says which file and which limit);
- :func:`import_limits` bounds what the shared table reader (:mod:`core.tabular`)
  unpacks: rows, columns, cells, bytes after decompression and reading time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

MIB = 1024 * 1024
# Room for the multipart boundaries, part headers and the small form fields sent with a file.
MULTIPART_OVERHEAD = 64 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """What the table reader accepts from one file."""

    max_rows: int = 200_000                     # rows read, header and blank rows included
    max_columns: int = 500                      # cells in one row
    max_cells: int = 10_000_000                 # cells in the whole file
    max_unpacked_bytes: int = 256 * MIB         # XLSX: sum of the archive members' sizes
    max_compression_ratio: int = 100            # XLSX: unpacked/packed size of any large member
    max_seconds: float = 120.0                  # time spent reading (not importing) the rows


def max_upload_bytes() -> int:
    """The largest file an import (or any other upload) may send."""
    return int(getattr(settings, "TINHGON_MAX_UPLOAD_BYTES", 20 * MIB))


def import_limits() -> ImportLimits:
    """The limits in force, from the settings (defaults for any that are not set)."""
    default = ImportLimits()
    return ImportLimits(**{
        name: type(getattr(default, name))(getattr(settings, f"TINHGON_IMPORT_{name.upper()}",
                                                   getattr(default, name)))
        for name in ImportLimits.__dataclass_fields__
    })


def size_text(n: int) -> str:
    """A byte count for people: ``20 MiB``, ``1.5 MiB``, ``512 KiB``, ``900 bytes``."""
    for unit, name in ((MIB, "MiB"), (1024, "KiB")):
        if n >= unit and n % (unit // 2) == 0 or n >= 10 * unit:
            return f"{number_format(n / unit, decimal_pos=1 if n % unit else 0)} {name}"
    return _("%(n)s bytes") % {"n": number_format(n, force_grouping=True)}


def upload_too_large_message() -> str:
    return _("The file is larger than %(size)s, the most an upload may send.") % {
        "size": size_text(max_upload_bytes())}


def validate_upload_size(upload) -> None:
    """Refuse ``upload`` (an uploaded file) above :func:`max_upload_bytes`."""
    if upload.size > max_upload_bytes():
        raise ValidationError(upload_too_large_message(), code="file_too_large")


class UploadLimitMiddleware:
    """A multipart request declaring more than the upload limit (plus the multipart
    overhead) is answered 413 at once, without reading its body.

    It runs before any view (and before the CSRF check reads the form), so a large
    body is never spooled to disk.  JSON and form bodies are capped by Django's own
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type.startswith("multipart/") and self._declared_length(request) > (
                max_upload_bytes() + MULTIPART_OVERHEAD):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _declared_length(request) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    @staticmethod
    def _refuse(request) -> HttpResponse:
        message = upload_too_large_message()
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = "/"
        html = render_to_string("core/upload_too_large.html", {"message": message, "back": back}, request=request)
        return HttpResponse(html, status=413)
