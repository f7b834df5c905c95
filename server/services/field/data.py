"""The data of pushed `visit` and `inspection` records: their schemas, and the inspection's fast
path (the schema's rules for the well-formed case; tests/server/services/sync/test_fast_paths.py)."""

from __future__ import annotations

import marshmallow as ma

from server.models import INSPECTION_KINDS, TAG_SOURCES
from server.services.core.photo_store import SHA256_RE
from server.services.field.results import ResultsField
from server.services.sync.limits import INT32, int32

_TAG_SOURCES = (None, *TAG_SOURCES)
Sha = ma.fields.String(validate=ma.validate.Regexp(SHA256_RE, error="not a lowercase hex SHA-256"))


class VisitData(ma.Schema):
    site_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    inspection_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INSPECTION_KINDS))
    started_at = ma.fields.AwareDateTime(required=True)
    finished_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)
    plan_entry_id = ma.fields.Integer(load_default=None, allow_none=True, validate=INT32)
    # a pre-meeting visit started from its meeting (marks the meeting's checklist done)
    meeting_id = ma.fields.Integer(load_default=None, allow_none=True, validate=INT32)
    summary = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )


class InspectionData(ma.Schema):
    visit_uuid = ma.fields.UUID(load_default=None, allow_none=True)
    tag = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    # How the tag was obtained (docs/evidence.md, Presence); absent from older apps: unknown.
    # Inside `data`, so inside the content hash, and older records keep the hash they had.
    tag_source = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf(TAG_SOURCES)
    )
    template_id = ma.fields.Integer(required=True, validate=INT32)
    template_version = ma.fields.Integer(required=True, validate=INT32)
    inspection_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INSPECTION_KINDS))
    results = ResultsField(load_default=list)
    notes = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )
    photos = ma.fields.List(Sha, load_default=list, validate=ma.validate.Length(max=50))
    supersedes = ma.fields.UUID(load_default=None, allow_none=True)

    KEYS = {
        "visit_uuid",
        "tag",
        "tag_source",
        "template_id",
        "template_version",
        "inspection_kind",
        "results",
        "notes",
        "photos",
        "supersedes",
    }

    def fast_load(self, raw: dict) -> dict | None:
        """load() for the well-formed case without marshmallow's per-field cost; None when
        anything is unusual (load() then says precisely what is wrong)."""
        get = raw.get
        notes, photos = get("notes"), get("photos", [])
        if not (
            raw.keys() <= self.KEYS
            and get("tag_source") in _TAG_SOURCES
            and type(get("tag")) is str
            and 0 < len(raw["tag"]) <= 64
            and int32(get("template_id"))
            and int32(get("template_version"))
            and get("inspection_kind") in INSPECTION_KINDS
            and (notes is None or (type(notes) is str and len(notes) <= 4000))
            and type(photos) is list
            and len(photos) <= 50
            and all(type(p) is str and SHA256_RE.match(p) for p in photos)
        ):
            return None
        try:
            visit_uuid, supersedes = (
                _uuid_or_none(get("visit_uuid")),
                _uuid_or_none(get("supersedes")),
            )
            results = ResultsField()._deserialize(get("results", []), "results", raw)
        except (ValueError, TypeError, ma.ValidationError):
            return None
        return {
            "visit_uuid": visit_uuid,
            "tag": raw["tag"],
            "tag_source": get("tag_source"),
            "template_id": raw["template_id"],
            "template_version": raw["template_version"],
            "inspection_kind": raw["inspection_kind"],
            "results": results,
            "notes": notes,
            "photos": photos,
            "supersedes": supersedes,
        }


def _uuid_or_none(value):
    import uuid

    if value is None:
        return None
    if type(value) is not str:
        raise TypeError("not a string")
    return uuid.UUID(value)
