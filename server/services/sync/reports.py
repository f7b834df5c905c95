"""Phones report their outbox at every sync; records that vanished unsent are kept in view.

A browser may wipe a site's storage (the user clears it, or eviction under pressure): the
records on the phone are then gone without a word. The phone cannot prevent it, so the server
remembers what each phone last held unsent (docs/sync.md, "Outbox reports"): when the same phone
or the same user comes back without records it held, and the server never received them,
they are "never arrived" for the engineer and the supervisor's review queue.
"""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import PhoneReport, SyncReceipt, utcnow

MAX_UUIDS = 500  # uuids a report carries: the unsent ones, oldest first (waiting counts them all)


def _received(uuids: set[str]) -> set[str]:
    if not uuids:
        return set()
    query = sa.select(SyncReceipt.uuid).where(SyncReceipt.uuid.in_(sorted(uuids)))
    return set(db.session.scalars(query))


def _vanished(row: PhoneReport, held: set[str]) -> set[str]:
    """What `row` held or had lost, minus what a phone holds now and what the server received."""
    gone = (set(row.uuids or ()) | set(row.lost_uuids or ())) - held
    return gone - _received(gone)


def record_report(user, phone_id: str, waiting: int, oldest_at, uuids: list[str]) -> PhoneReport:
    """Store this phone's report for `user`; move what vanished unsent into `lost_uuids`.

    The same phone: what it held last time and no longer holds. A phone new to the server (its
    id was made after the storage was wiped): what the user's other phones last held and this
    one does not; if another phone of the user still holds them, its next report takes them
    back out of `lost_uuids` (a report is a snapshot, so replaying one is harmless)."""
    held = {u.lower() for u in uuids}
    rows = db.session.scalars(sa.select(PhoneReport).where(PhoneReport.user_id == user.id)).all()
    mine = next((r for r in rows if r.phone_id == phone_id), None)
    for row in rows:
        if row is mine or mine is None:
            row.lost_uuids = sorted(_vanished(row, held))
        elif row.lost_uuids:
            row.lost_uuids = sorted(set(row.lost_uuids) - held)
    if mine is None:
        mine = PhoneReport(phone_id=phone_id, user_id=user.id, lost_uuids=[])
        db.session.add(mine)
    mine.waiting = waiting
    mine.oldest_at = oldest_at
    mine.uuids = sorted(held)
    mine.reported_at = utcnow()
    db.session.flush()
    return mine


def never_arrived(row: PhoneReport) -> list[str]:
    """The row's lost records the server still has not received (another phone may send one)."""
    lost = set(row.lost_uuids or ())
    return sorted(lost - _received(lost))


def lost_for_user(user_id: int) -> int:
    """How many of this user's records never arrived, over all their phones."""
    rows = db.session.scalars(sa.select(PhoneReport).where(PhoneReport.user_id == user_id))
    return sum(len(never_arrived(r)) for r in rows)


def reports_with_losses() -> list[PhoneReport]:
    """Phone reports with records that never arrived, the latest report first."""
    query = (
        sa.select(PhoneReport)
        .where(sa.func.length(sa.cast(PhoneReport.lost_uuids, sa.Text)) > 2)
        .order_by(PhoneReport.reported_at.desc(), PhoneReport.id.desc())
    )
    return [r for r in db.session.scalars(query) if never_arrived(r)]
