"""The `meetings` field-pack section: the engineer's meetings of the next 14 days, with checks.

Sent whole in every pack (not by cursor): a due check's state moves with the clock and a
meeting leaves the window by time alone, so the phone replaces its list each pull.
"""

from __future__ import annotations

from datetime import timedelta

from server.security import MANAGER_ROLES
from server.services.meetings import meetings, queries
from server.services.sync.registry import PackSection

PACK_DAYS = 14
# The usage register is filled in after the meeting, often offline: an ended meeting stays on
# the phone this long so its register (and late incidents) can still be recorded there.
REGISTER_HOURS = 12


def upcoming(user, since=None):
    """Scheduled meetings from now (still running ones, and ones ended less than REGISTER_HOURS
    ago) to 14 days ahead: the user's own, every engineer's for managers."""
    # Through the module: the tests freeze meetings.current_time.
    now = meetings.current_time()
    engineer = None if user.role in MANAGER_ROLES else user.id
    # A meeting that started up to a day ago may still run (or owe its register later).
    rows = queries.list_meetings(
        now - timedelta(days=1),
        now + timedelta(days=PACK_DAYS),
        engineer_id=engineer,
        state="scheduled",
    )
    return [m for m in rows if m.ends_at > now - timedelta(hours=REGISTER_HOURS)]


def dump(meeting) -> dict:
    return queries.detail(meeting, meetings.current_time())


SECTIONS = [PackSection(name="meetings", changed_since=upcoming, dump=dump)]
