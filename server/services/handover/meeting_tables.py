"""The meeting tables of the package (the meetings part, services/reports/meetings_handover.py):
meetings of the period (by start) with their sites, engineers and revisions, and the check
records, incidents, usage registers and recording entries of those meetings. One query each,
streamed (yield_per), cells as in tables.py."""

from __future__ import annotations

import json
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.models import (
    Meeting,
    MeetingCheck,
    MeetingEngineer,
    MeetingIncident,
    MeetingRevision,
    MeetingSite,
    Room,
    Site,
    UsageRegister,
    User,
)
from server.periods import Span
from server.services.handover.cells import cell
from server.services.handover.tables import BATCH

SHUTDOWN_STEPS = ("audio", "displays", "matrix", "power", "windows_lights")  # contract order


def _of_meetings(span: Span):
    """The ids of the period's meetings: those starting in it."""
    return sa.select(Meeting.id).where(
        Meeting.starts_at >= span.start, Meeting.starts_at < span.end
    )


def _rows(statement):
    """The statement's result, streamed BATCH rows at a time."""
    from server.extensions import db

    return db.session.execute(statement.execution_options(yield_per=BATCH))


def _table(statement) -> tuple[list[str], Iterator[list]]:
    """The statement's column names and its rows as cells."""
    result = _rows(statement)
    return list(result.keys()), _cells(result)


def _cells(rows) -> Iterator[list]:
    for row in rows:
        yield [json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else cell(v) for v in row]


def meetings(span: Span):
    """One row per meeting: its state and version (a cancelled one says so, with the reason in
    meeting_revisions), the number of sites and engineers."""
    sites = sa.select(sa.func.count()).where(MeetingSite.meeting_id == Meeting.id)
    speaking = sites.where(MeetingSite.speaking.is_(True))
    engineers = sa.select(sa.func.count()).where(MeetingEngineer.meeting_id == Meeting.id)
    statement = (
        sa.select(
            Meeting.id,
            Meeting.title,
            Meeting.kind,
            Meeting.platform,
            Site.code.label("host_site_code"),
            Site.name.label("host_site_name"),
            Room.name.label("host_room"),
            Meeting.starts_at,
            Meeting.ends_at,
            Meeting.major_event,
            Meeting.state,
            Meeting.version,
            sites.scalar_subquery().label("site_count"),
            speaking.scalar_subquery().label("speaking_count"),
            engineers.scalar_subquery().label("engineer_count"),
            Meeting.notes,
            Meeting.created_at,
        )
        .join(Site, Site.id == Meeting.host_site_id)
        .outerjoin(Room, Room.id == Meeting.host_room_id)
        .where(Meeting.id.in_(_of_meetings(span)))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return _table(statement)


def meeting_sites(span: Span):
    statement = (
        sa.select(
            MeetingSite.meeting_id, Site.code.label("site_code"), Site.name, MeetingSite.speaking
        )
        .join(Site, Site.id == MeetingSite.site_id)
        .where(MeetingSite.meeting_id.in_(_of_meetings(span)))
        .order_by(MeetingSite.meeting_id, MeetingSite.id)
    )
    return _table(statement)


def meeting_engineers(span: Span):
    statement = (
        sa.select(MeetingEngineer.meeting_id, User.username, User.display_name)
        .join(User, User.id == MeetingEngineer.user_id)
        .where(MeetingEngineer.meeting_id.in_(_of_meetings(span)))
        .order_by(MeetingEngineer.meeting_id, MeetingEngineer.id)
    )
    return _table(statement)


def meeting_revisions(span: Span):
    """Every change of every meeting; `changes` as JSON {field: {old, new}}."""
    statement = (
        sa.select(
            MeetingRevision.meeting_id,
            MeetingRevision.version,
            MeetingRevision.action,
            User.username.label("by"),
            MeetingRevision.changed_at,
            MeetingRevision.changes,
        )
        .outerjoin(User, User.id == MeetingRevision.user_id)
        .where(MeetingRevision.meeting_id.in_(_of_meetings(span)))
        .order_by(MeetingRevision.meeting_id, MeetingRevision.version)
    )
    return _table(statement)


def meeting_checks(span: Span):
    """The check records pushed from the phones (arrival, site confirmation, joint test)."""
    statement = (
        sa.select(
            MeetingCheck.id,
            MeetingCheck.uuid,
            MeetingCheck.meeting_id,
            MeetingCheck.kind,
            Site.code.label("site_code"),
            MeetingCheck.at,
            User.username.label("by"),
            MeetingCheck.confirmed_by,
            MeetingCheck.sound,
            MeetingCheck.picture,
            MeetingCheck.pc_content,
            MeetingCheck.note,
            MeetingCheck.flags,
            MeetingCheck.client_time,
            MeetingCheck.server_time,
        )
        .join(User, User.id == MeetingCheck.user_id)
        .outerjoin(Site, Site.id == MeetingCheck.site_id)
        .where(MeetingCheck.meeting_id.in_(_of_meetings(span)))
        .order_by(MeetingCheck.meeting_id, MeetingCheck.at, MeetingCheck.id)
    )
    return _table(statement)


def meeting_incidents(span: Span):
    statement = (
        sa.select(
            MeetingIncident.id,
            MeetingIncident.uuid,
            MeetingIncident.meeting_id,
            Site.code.label("site_code"),
            Site.name.label("site_name"),
            MeetingIncident.kind,
            MeetingIncident.started_at,
            MeetingIncident.duration_min,
            MeetingIncident.action,
            MeetingIncident.to_fault,
            MeetingIncident.tag,
            MeetingIncident.fault_id,
            User.username.label("by"),
            MeetingIncident.flags,
            MeetingIncident.client_time,
            MeetingIncident.server_time,
        )
        .join(Site, Site.id == MeetingIncident.site_id)
        .join(User, User.id == MeetingIncident.user_id)
        .where(MeetingIncident.meeting_id.in_(_of_meetings(span)))
        .order_by(MeetingIncident.meeting_id, MeetingIncident.started_at, MeetingIncident.id)
    )
    return _table(statement)


def _registers(span: Span):
    maker = aliased(User)
    return (
        sa.select(UsageRegister, maker.username)
        .join(maker, maker.id == UsageRegister.user_id)
        .where(UsageRegister.meeting_id.in_(_of_meetings(span)))
        .order_by(UsageRegister.meeting_id, UsageRegister.client_time, UsageRegister.id)
    )


def _with_current(span: Span) -> Iterator[tuple]:
    """(register, maker, current?) in meeting order; the last of each meeting is its current
    register (services/meetings/register.py), seen with a one-row lookahead."""
    rows = _rows(_registers(span))
    previous = None
    for register, username in rows:
        if previous is not None:
            yield (*previous, previous[0].meeting_id != register.meeting_id)
        previous = (register, username)
    if previous is not None:
        yield (*previous, True)


REGISTER_COLUMNS = [
    "id", "uuid", "meeting_id", "current", "started_at", "ended_at", "operators",
    "state_before", "state_after", "shutdown_done", "recordings", "remarks",
    "signature_photo_id", "by", "flags", "client_time", "server_time",
]  # fmt: skip


def usage_registers(span: Span):
    """Every register pushed; `current` marks the one each meeting prints (latest wins)."""

    def rows():
        for r, username, current in _with_current(span):
            shutdown = [s for s in SHUTDOWN_STEPS if (r.shutdown or {}).get(s)]
            values = [
                r.id, r.uuid, r.meeting_id, current, r.started_at, r.ended_at, r.operators,
                r.state_before, r.state_after, shutdown, len(r.recordings or []), r.remarks,
                r.signature_photo_id, username, r.flags, r.client_time, r.server_time,
            ]  # fmt: skip
            yield [cell(v) for v in values]

    return REGISTER_COLUMNS, rows()


RECORDING_COLUMNS = [
    "register_id", "meeting_id", "current", "server", "file", "duration_min", "retention_days",
]  # fmt: skip


def meeting_recordings(span: Span):
    """One row per recording entry of every register."""

    def rows():
        for r, _, current in _with_current(span):
            for rec in r.recordings or []:
                yield [
                    cell(v)
                    for v in (
                        r.id, r.meeting_id, current, rec.get("server"), rec.get("file"),
                        rec.get("duration_min"), rec.get("retention_days"),
                    )
                ]  # fmt: skip

    return RECORDING_COLUMNS, rows()


TABLES = (  # (file stem, README title, rows)
    ("meetings", "会议（含状态与版本；取消原因见修改记录）", meetings),
    ("meeting_sites", "会议参会会场", meeting_sites),
    ("meeting_engineers", "会议保障工程师", meeting_engineers),
    ("meeting_revisions", "会议修改记录（每次修改的字段新旧值）", meeting_revisions),
    ("meeting_checks", "会前检查记录（到场、开机确认、联调）", meeting_checks),
    ("meeting_incidents", "会中异常记录（含转为故障的编号）", meeting_incidents),
    ("usage_registers", "使用情况登记表（current=是 为会议当前登记表）", usage_registers),
    ("meeting_recordings", "录像保存记录（登记表中的每条录像）", meeting_recordings),
)
