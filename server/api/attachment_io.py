"""The body of an evidence upload (by SHA-256) and the streamed answer of a download, shared
by every blueprint that keeps attachments (assessment events, fault comments); each keeps its
own route and roles."""

from flask import Response, request, stream_with_context

from server.api.out import BINARY
from server.services.core import attachments, photo_store

# The OpenAPI request body of an upload: one of the accepted file types.
UPLOAD_BODY = {
    "required": True,
    "content": {t: {"schema": BINARY} for t in attachments.ALLOWED_TYPES},
}


def store_upload(sha256: str) -> tuple[dict, int]:
    """Store the request's body under its SHA-256: 201 when new, 200 when already there."""
    photo_store.check_sha(sha256)
    stored = attachments.put(sha256, request.content_type, request.stream, request.content_length)
    body = {
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "created": stored.created,
    }
    return body, (201 if stored.created else 200)


def file_response(sha256: str) -> Response:
    """The stored file, streamed with its type; cached for good (its name is its content)."""
    content_type, handle = attachments.open_file(sha256)

    def chunks():
        with handle:
            while chunk := handle.read(photo_store.CHUNK):
                yield chunk

    response = Response(stream_with_context(chunks()), content_type=content_type)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
