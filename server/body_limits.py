"""Request body limits: one default, per-route exceptions, refused before the body is read.

A body announcing more than its route's limit is refused from its Content-Length with 413
before a byte is read; a chunked body (no Content-Length) is read at most one byte past the
limit and then refused with 413. docs/api.md says what a proxy in front must allow.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from server.errors import TooLarge

KiB, MiB = 1024, 1024 * 1024
DEFAULT_LIMIT = 64 * KiB  # login and every small JSON write
STREAMED = "streamed"
# Measured: a full push of 200 inspections of 20 items, each item with a 45-character note
# and a photo, is 1.2 MiB; with 90-character notes and two photos per item, 2.0 MiB. The
# phone pushes at most 50 records, and 50 records filled to every field's maximum are 7.7 MiB.
LIMITS: dict[str, int | str] = {
    "sync.push": 8 * MiB,
    "labels.preview": 256 * KiB,  # up to 5,000 tags
    "labels.print_batch": 256 * KiB,
    "photos.put_photo": STREAMED,  # the view streams the body, up to PHOTO_MAX_BYTES
    # Evidence files (api/attachment_io.py) stream too, up to ATTACHMENT_MAX_BYTES for a PDF.
    "fault_desk.put_attachment": STREAMED,
    "assessment.put_attachment": STREAMED,
    # A notice of 99 sites is a few KiB; XLSX adds its zip and styles.
    "meetings.import_notice": 2 * MiB,
    # 1,200 devices are about 80 KiB of CSV; room for a whole province's inventory in XLSX.
    "device_import.check_import": 8 * MiB,
    "device_import.run_import": 8 * MiB,
    # A phone's hand-over file: a week of records and their photos (base64); read whole to
    # verify it before anything is written (docs/handover-file.md). HANDFILE_MAX_BYTES too.
    "sync_import.import_file": 256 * MiB,
}


def limit_for(endpoint: str | None) -> int | str:
    return LIMITS.get(endpoint or "", DEFAULT_LIMIT)


def _describe(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit // KiB} KiB"


def _too_large(limit: int, sent: int | None = None) -> TooLarge:
    what = f"has {sent} bytes" if sent is not None else "is larger than allowed"
    return TooLarge(
        f"The request body {what}; {request.method} {request.path} accepts at most "
        f"{limit} bytes ({_describe(limit)}). Send less in one request.",
        errors={"body": [f"at most {limit} bytes"]},
    )


def _apply_limit():
    """Set this route's limit on the request before anything reads the body."""
    limit = limit_for(request.endpoint)
    if limit == STREAMED:
        return None
    length = request.content_length
    if length is not None and length > limit:
        raise _too_large(limit, length)
    request.max_content_length = limit
    if length is not None or "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return None  # a Content-Length within the limit, or no body at all
    # Chunked: werkzeug would silently cut the body at the limit, so read it here, one byte
    # past the limit at most, and refuse it if it went past.
    request.max_content_length = limit + 1
    if len(request.get_data(cache=True)) > limit:
        raise _too_large(limit)
    return None


def _handle_too_large(error: RequestEntityTooLarge):
    """Any other 413 werkzeug raises (e.g. a form past its memory limit), in the error shape."""
    from server.errors import handle_app_error

    limit = limit_for(request.endpoint)
    if isinstance(limit, int):
        return handle_app_error(_too_large(limit))
    return handle_app_error(TooLarge("The request body is larger than allowed."))


def install(app: Flask) -> None:
    # First of all before_request hooks: none of them may read a body before its limit is set.
    app.before_request_funcs.setdefault(None, []).insert(0, _apply_limit)
    app.register_error_handler(RequestEntityTooLarge, _handle_too_large)
