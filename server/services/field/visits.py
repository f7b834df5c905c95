"""Storing pushed visits, and pointing the inspections and finishes that came first at them."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import Inspection, Meeting, PlanEntry, Site, Visit, utcnow
from server.services.field import kinds
from server.services.field.batch import batch_cache, invalid, meta_columns
from server.services.sync.registry import RecordMeta


def store_visit(data: dict, meta: RecordMeta) -> Visit:
    sites = batch_cache("sites")
    if data["site_code"] not in sites:
        with db.session.no_autoflush:
            sites[data["site_code"]] = db.session.execute(
                sa.select(Site.id, Site.tier).where(Site.code == data["site_code"])
            ).first()
    found = sites[data["site_code"]]
    if found is None:
        raise invalid(
            "site_code",
            f"No site has the code '{data['site_code']}'; pull the field "
            "pack again and pick a site from it.",
        )
    site_id, tier = found
    kinds.check_kind(tier, data["inspection_kind"], data["site_code"])
    if data["finished_at"] and data["finished_at"] < data["started_at"]:
        raise invalid("finished_at", "A visit cannot finish before it started.")
    _touch_plan_entry(data["plan_entry_id"])
    _check_meeting(data["meeting_id"])
    visit = Visit(
        site_id=site_id,
        inspection_kind=data["inspection_kind"],
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        plan_entry_id=data["plan_entry_id"],
        summary=data["summary"],
        meeting_id=data["meeting_id"],
        **meta_columns(meta),
    )
    db.session.add(visit)
    batch_cache("visits")[meta.uuid] = visit
    return visit


def _touch_plan_entry(entry_id: int | None) -> None:
    """Check the entry exists and mark it changed, so the next delta pull sends it `visited`."""
    if entry_id is None:
        return
    entry = db.session.get(PlanEntry, entry_id)
    if entry is None:
        raise invalid(
            "plan_entry_id",
            f"No plan entry has the id {entry_id}; pull the field pack "
            "again and start the visit from the Today screen.",
        )
    entry.updated_at = utcnow()


def _check_meeting(meeting_id: int | None) -> None:
    """A visit may name its meeting (a pre-meeting check); an unknown one is refused."""
    if meeting_id is not None and db.session.get(Meeting, meeting_id) is None:
        message = f"No meeting has the id {meeting_id}; pull the field pack again."
        raise Invalid(
            message, errors={"data": {"meeting_id": [message]}}, code_name="meeting_unknown"
        )


def link_visits(visits: list[Visit]) -> None:
    """Point inspections (and finishes) that arrived before their visit (this or an earlier
    batch) at it."""
    from server.services.field import visit_finish  # registers after visit and inspection

    for visit in visits:
        db.session.execute(
            sa.update(Inspection)
            .where(Inspection.visit_uuid == visit.uuid, Inspection.visit_id.is_(None))
            .values(visit_id=visit.id)
        )
    visit_finish.apply_waiting(visits)
