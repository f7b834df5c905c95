"""Photos, content-addressed by SHA-256: ask, upload (streamed, verified), download."""
from flask import Response, current_app, request, stream_with_context
from flask_smorest import Blueprint

from server.api.base import ANY_ROLE, FIELD_ROLES, roles_required
from server.errors import NotFound
from server.services import photo_store

blp = Blueprint("photos", __name__, url_prefix="/photos", description="Photos")


@blp.route("/<sha256>", methods=["GET"])
@roles_required(*ANY_ROLE)
def get_photo(sha256):
    """The photo's bytes (HEAD: 200 if stored, 404 if not)."""
    store = photo_store.get_store()
    photo_store.check_sha(sha256)
    if not store.exists(sha256):
        raise NotFound(f"Photo {sha256} has not been uploaded.")
    content_type = store.content_type(sha256)
    if request.method == "HEAD":
        return Response(status=200, content_type=content_type)

    def chunks():
        with store.open(sha256) as fh:
            while chunk := fh.read(photo_store.CHUNK):
                yield chunk

    response = Response(stream_with_context(chunks()), content_type=content_type)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@blp.route("/<sha256>", methods=["PUT"])
@roles_required(*FIELD_ROLES)
def put_photo(sha256):
    """Upload a photo's raw bytes; 201 stored, 200 already there."""
    photo_store.check_sha(sha256)
    max_bytes = current_app.config["PHOTO_MAX_BYTES"]
    length = request.content_length
    if length is not None and length > max_bytes:
        raise photo_store.TooLarge(f"The photo has {length} bytes; the limit is {max_bytes}. "
                                   "Send a smaller (re-compressed) image.")
    stored = photo_store.get_store().put_stream(sha256, request.stream, max_bytes, length)
    return {"sha256": stored.sha256, "size": stored.size, "content_type": stored.content_type,
            "created": stored.created}, (201 if stored.created else 200)
