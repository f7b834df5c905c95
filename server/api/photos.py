"""Photos, content-addressed by SHA-256: ask, upload (streamed, verified), download."""

import marshmallow as ma
from flask import Response, current_app, request, stream_with_context
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.out import BINARY
from server.errors import NotFound
from server.observability import metrics
from server.security import ANY_ROLE, FIELD_ROLES
from server.services.core import photo_store

blp = Blueprint("photos", __name__, url_prefix="/photos", description="Photos")
IMAGE_TYPES = tuple(photo_store.ALLOWED_FORMATS.values())
SHA256 = [
    {
        "in": "path",
        "name": "sha256",
        "required": True,
        "description": "lowercase hex SHA-256 of the photo's bytes",
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    }
]
IMAGE_BODY = {
    "required": True,
    "description": "the photo's bytes (at most PHOTO_MAX_BYTES)",
    "content": {ctype: {"schema": BINARY} for ctype in IMAGE_TYPES},
}


UNAVAILABLE = "the photo store is unreachable: nothing was stored; send again after Retry-After"


class PhotoStored(ma.Schema):
    sha256 = ma.fields.String(required=True)
    size = ma.fields.Integer(required=True, metadata={"description": "bytes"})
    content_type = ma.fields.String(required=True, validate=ma.validate.OneOf(IMAGE_TYPES))
    created = ma.fields.Boolean(
        required=True, metadata={"description": "false: it was already there"}
    )


def _stored_or_404(sha256: str) -> tuple[str, int]:
    """The photo's content type and size; 404 if it has not been uploaded, 503 (Retry-After)
    if the object store cannot be reached."""
    photo_store.check_sha(sha256)
    found = photo_store.get_store().head(sha256)
    if found is None:
        raise NotFound(f"Photo {sha256} has not been uploaded.")
    return found


# Registered before GET: Flask also routes HEAD to a GET view, and the first rule wins.
@blp.route("/<sha256>", methods=["HEAD"], parameters=SHA256)
@roles_required(*ANY_ROLE)
@blp.response(200, description="stored (no body; Content-Type is the photo's type)")
@blp.alt_response(404, description="not uploaded yet (no body)")
@blp.alt_response(503, description=UNAVAILABLE)
def photo_exists(sha256):
    """Whether the server has the photo: 200 if stored, 404 if not; never a body. The phone asks
    before uploading."""
    return Response(status=200, content_type=_stored_or_404(sha256)[0])


@blp.route("/<sha256>", methods=["GET"], parameters=SHA256)
@roles_required(*ANY_ROLE)
@blp.response(200, BINARY, content_type="image/*", description="the photo's bytes")
@blp.alt_response(503, description=UNAVAILABLE)
def get_photo(sha256):
    """The photo's bytes (Content-Type: image/jpeg, image/png or image/webp), streamed from
    the store through the app (same origin, same roles, whichever store: docs/photos.md)."""
    content_type, size = _stored_or_404(sha256)
    handle = photo_store.get_store().open(sha256)  # opened here: a failing store is a 503

    def chunks():
        with handle:
            while chunk := handle.read(photo_store.CHUNK):
                yield chunk

    response = Response(stream_with_context(chunks()), content_type=content_type)
    response.content_length = size
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@blp.route("/<sha256>", methods=["PUT"], parameters=SHA256)
@roles_required(*FIELD_ROLES)
@blp.doc(requestBody=IMAGE_BODY)
@blp.response(201, PhotoStored, description="stored")
@blp.alt_response(200, schema=PhotoStored, success=True, description="already there")
@blp.alt_response(503, description=UNAVAILABLE)
def put_photo(sha256):
    """Upload a photo's raw bytes; 201 stored, 200 already there."""
    photo_store.check_sha(sha256)
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    length = request.content_length
    if length is not None and length > max_bytes:
        raise photo_store.TooLarge(
            f"The photo has {length} bytes; the limit is {max_bytes}. "
            "Send a smaller (re-compressed) image."
        )
    stored = photo_store.get_store().put_stream(sha256, request.stream, max_bytes, length)
    metrics.photo_stored(stored.size, stored.created)
    return {
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "created": stored.created,
    }, (201 if stored.created else 200)
