"""Records a supervisor should look at: a phone clock far off, a required photo not taken, a
phone chain with a gap (the phone's previous record never arrived, docs/evidence.md), or a
presence flag (far from the site, no position, clock off, tag typed: presence/flags.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from server.extensions import db
from server.models import ChecklistItem, EvidenceLink, Inspection, InspectionResult, Site, Visit
from server.models.field import valid_correction_of
from server.services.presence import inspections as presence
from server.services.sync import chain
from server.services.sync.prepare import skew_limit

KINDS = ("clock", "photos", "chain", "presence")


def records_query(kind: str):
    """Current inspections (no valid correction replaced them) of one kind, newest first:
    `clock`: pushed from a phone whose clock was off by more than the limit (5 minutes);
    `photos`: a photo_required item answered without its photo (stored as fail / no_photo);
    `chain`: its phone named a previous record the server never received (a gap);
    `presence`: a review flag of presence/flags.py (its own position, else its visit's)."""
    correction = aliased(Inspection)
    replaced = sa.exists().where(valid_correction_of(correction, Inspection.uuid))
    query = (
        sa.select(Inspection)
        .options(selectinload(Inspection.results))
        .where(~replaced)
        .order_by(Inspection.server_time.desc(), Inspection.id.desc())
    )
    if kind == "clock":
        limit = skew_limit()
        return query.where(
            sa.or_(Inspection.clock_skew_seconds > limit, Inspection.clock_skew_seconds < -limit)
        )
    if kind == "chain":
        gap = sa.exists().where(EvidenceLink.record_uuid == Inspection.uuid, chain.gap_filter())
        return query.where(gap)
    if kind == "presence":
        return presence.flagged(query)
    no_photo = sa.exists().where(
        InspectionResult.inspection_id == Inspection.id, InspectionResult.reason == "no_photo"
    )
    return query.where(no_photo)


def no_photo_items(inspection: Inspection) -> list[dict]:
    """The items whose required photo is missing, with their labels from the template."""
    keys = [r.item_key for r in inspection.results if r.reason == "no_photo"]
    if not keys:
        return []
    labels = {}
    if inspection.template_id:
        query = sa.select(ChecklistItem).where(
            ChecklistItem.template_id == inspection.template_id, ChecklistItem.key.in_(keys)
        )
        labels = {i.key: i for i in db.session.scalars(query)}
    return [
        {
            "key": key,
            "label_zh": getattr(labels.get(key), "label_zh", None),
            "label_en": getattr(labels.get(key), "label_en", None),
        }
        for key in keys
    ]


def site_of(inspection: Inspection) -> dict | None:
    """The visit's site (the phone names it), if the visit has arrived."""
    if inspection.visit_id is None:
        return None
    row = db.session.execute(
        sa.select(Site.code, Site.name)
        .join(Visit, Visit.site_id == Site.id)
        .where(Visit.id == inspection.visit_id)
    ).first()
    return row and {"code": row.code, "name": row.name}
