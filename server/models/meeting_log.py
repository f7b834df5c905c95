"""What happens during and after a meeting, as pushed from the phone: incidents and usage registers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base
from server.models.faults import Fault
from server.models.field import FieldRecord
from server.models.meetings import Meeting
from server.models.places import Site

INCIDENT_KINDS = ("lost_sound", "frozen_picture", "mosaic", "dropped_out", "other")


class MeetingIncident(FieldRecord, Base):
    """An in-meeting incident at one site; `fault_id` is the fault it was turned into, if any."""

    __tablename__ = "meeting_incident"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime]
    duration_min: Mapped[int | None]
    action: Mapped[str | None] = mapped_column(sa.Text)
    to_fault: Mapped[bool] = mapped_column(default=False)
    tag: Mapped[str | None] = mapped_column(sa.String(32))
    fault_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fault.id"))
    # Warnings for the office ([{code, params}], services/core/reason_codes.py FLAG_CODES).
    flags: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))

    meeting: Mapped[Meeting] = relationship()
    site: Mapped[Site] = relationship()
    fault: Mapped[Fault | None] = relationship()


class UsageRegister(FieldRecord, Base):
    """A meeting's usage register (使用情况登记表). Every one pushed is kept; the one made last
    on the phone (client_time, then id) is the meeting's register, the others its history."""

    __tablename__ = "usage_register"

    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    operators: Mapped[str | None] = mapped_column(sa.Text)
    state_before: Mapped[str | None] = mapped_column(sa.Text)
    state_after: Mapped[str | None] = mapped_column(sa.Text)
    # {audio, displays, matrix, power, windows_lights: bool}
    shutdown: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # [{server, file, duration_min, retention_days}]
    recordings: Mapped[list] = mapped_column(sa.JSON, default=list)
    remarks: Mapped[str | None] = mapped_column(sa.Text)
    signature_photo_id: Mapped[str | None] = mapped_column(sa.String(64))
    flags: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))

    meeting: Mapped[Meeting] = relationship()
