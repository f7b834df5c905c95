"""Create, change and cancel meetings; every change is a revision with old and new values."""

from __future__ import annotations

from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import Meeting, MeetingEngineer, MeetingRevision, MeetingSite, utcnow
from server.periods import iso
from server.services.meetings import inputs

SCALARS = ("title", "kind", "platform", "starts_at", "ends_at", "major_event", "notes")


def current_time():
    """The clock of this package (tests replace it)."""
    return utcnow()


def snapshot(meeting: Meeting) -> dict:
    """The tracked fields as JSON values: what a revision compares."""
    out = {name: getattr(meeting, name) for name in SCALARS}
    out["starts_at"], out["ends_at"] = iso(meeting.starts_at), iso(meeting.ends_at)
    out["host_site"] = meeting.host_site.code
    out["host_room_id"] = meeting.host_room_id
    out["state"] = meeting.state
    out["sites"] = sorted(ms.site.code for ms in meeting.sites)
    out["speaking"] = sorted(ms.site.code for ms in meeting.sites if ms.speaking)
    out["engineer_ids"] = sorted(me.user_id for me in meeting.engineers)
    return out


def _diff(old: dict, new: dict) -> dict:
    return {k: {"old": old.get(k), "new": v} for k, v in new.items() if old.get(k) != v}


def _record(meeting: Meeting, user, action: str, changes: dict) -> None:
    meeting.revisions.append(
        MeetingRevision(
            version=meeting.version,
            user_id=user.id if user else None,
            changed_at=current_time(),
            action=action,
            changes=changes,
        )
    )


def _apply(meeting: Meeting, values: dict) -> None:
    """Check the whole merged state, then set it (nothing is set if a check fails)."""
    host = inputs.site_by_code(values["host_site_code"], "host_site_code")
    room = inputs.room(values.get("host_room_id"), host)
    inputs.times_and_platform(values)
    sites = inputs.participants(
        values["site_scope"], values.get("prefecture_code"), values.get("site_codes")
    )
    talking = inputs.speaking(sites, values.get("speaking_codes") or [])
    people = inputs.engineers(values.get("engineer_ids") or [])
    for name in SCALARS:
        setattr(meeting, name, values.get(name))
    meeting.major_event = bool(values.get("major_event"))
    meeting.host_site, meeting.host_room = host, room
    old_sites = {ms.site_id: ms for ms in meeting.sites}
    meeting.sites = [_site_row(old_sites.get(s.id), s, s.id in talking) for s in sites]
    old_people = {me.user_id: me for me in meeting.engineers}
    meeting.engineers = [old_people.get(u.id) or MeetingEngineer(user=u) for u in people]


def _site_row(row: MeetingSite | None, site, talking: bool) -> MeetingSite:
    row = row or MeetingSite(site=site)
    row.speaking = talking
    return row


def create(values: dict, user) -> Meeting:
    """A new scheduled meeting, version 1, with its 'created' revision."""
    meeting = Meeting(state="scheduled", version=1, created_by_id=user.id if user else None)
    _apply(meeting, values)
    db.session.add(meeting)
    db.session.flush()
    _record(meeting, user, "created", _diff({}, snapshot(meeting)))
    db.session.flush()
    return meeting


def get(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"No meeting {meeting_id}.")
    return meeting


def values_of(meeting: Meeting) -> dict:
    """The meeting as create() input: the base a partial change is merged into."""
    return {
        **{name: getattr(meeting, name) for name in SCALARS},
        "host_site_code": meeting.host_site.code,
        "host_room_id": meeting.host_room_id,
        "site_scope": "list",
        "site_codes": [ms.site.code for ms in meeting.sites],
        "speaking_codes": [ms.site.code for ms in meeting.sites if ms.speaking],
        "engineer_ids": [me.user_id for me in meeting.engineers],
    }


def _check_open(meeting: Meeting, version: int | None) -> None:
    if meeting.state == "cancelled":
        raise Conflict(f"Meeting {meeting.id} is cancelled; it cannot change.")
    if version is not None and version != meeting.version:
        raise Conflict(
            f"Meeting {meeting.id} is at version {meeting.version}, not {version}; "
            "reload it and apply your change again.",
            errors={"json": {"version": [f"current version is {meeting.version}"]}},
        )


def update(meeting: Meeting, changes: dict, user) -> Meeting:
    """Merge a partial change; a real change bumps the version and keeps a revision."""
    version = changes.pop("version", None)
    _check_open(meeting, version)
    merged = {**values_of(meeting), **changes}
    if "site_scope" in changes and changes["site_scope"] != "list":
        merged.pop("site_codes", None)
    if "host_site_code" in changes and "host_room_id" not in changes:
        merged["host_room_id"] = None  # the old room belongs to the old host
    before = snapshot(meeting)
    _apply(meeting, merged)
    db.session.flush()
    diff = _diff(before, snapshot(meeting))
    if diff:
        meeting.version += 1
        _record(meeting, user, "updated", diff)
        db.session.flush()
    return meeting


def cancel(meeting: Meeting, user, reason: str | None, version: int | None = None) -> Meeting:
    _check_open(meeting, version)
    meeting.state = "cancelled"
    meeting.version += 1
    changes = {"state": {"old": "scheduled", "new": "cancelled"}}
    if reason:
        changes["reason"] = {"old": None, "new": reason}
    _record(meeting, user, "cancelled", changes)
    db.session.flush()
    return meeting
