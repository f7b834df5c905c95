"""Re-tagging a device whose label was lost or compromised; the old tag stays as a retired alias."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import Device, TagAlias
from server.periods import iso
from server.services.core.audit import current_actor
from server.services.core.devices import next_tag
from server.services.sync.registry import PackSection


def retag(device: Device, reason: str) -> TagAlias:
    """Give the device a new tag; its old tag becomes an alias that still finds it, with a warning.

    Print the new label afterwards: that job is recorded with kind "retag".
    """
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "Say why the device is re-tagged (e.g. label lost, label copied).",
            errors={"json": {"reason": ["required"]}},
        )
    if getattr(device, "tag_warning", None):
        raise Invalid(
            f"{device.tag_warning['retired_alias']} is already retired; re-tag the device by its "
            f"current tag {device.tag}.",
            errors={"json": {"tag": ["a retired tag"]}},
        )
    alias = TagAlias(
        tag=device.tag, device_id=device.id, reason=reason[:256], retired_by_id=current_actor()[0]
    )
    db.session.add(alias)
    db.session.flush()  # the alias first, so next_tag() never hands the old tag out again
    device.tag = next_tag()
    db.session.flush()
    return alias


def aliases_of(device: Device) -> list[TagAlias]:
    return list(
        db.session.scalars(
            sa.select(TagAlias).where(TagAlias.device_id == device.id).order_by(TagAlias.id)
        )
    )


def _aliases_changed_since(user, since: datetime | None):
    query = sa.select(TagAlias).order_by(TagAlias.id)
    if since is not None:
        query = query.where(TagAlias.updated_at > since)
    return db.session.scalars(query)


def dump_alias(alias: TagAlias) -> dict:
    return {
        "id": alias.id,
        "tag": alias.tag,
        "device_id": alias.device_id,
        "retired_at": iso(alias.retired_at),
        "reason": alias.reason,
    }


SECTIONS = [PackSection(name="tag_aliases", changed_since=_aliases_changed_since, dump=dump_alias)]
