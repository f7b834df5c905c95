"""Faults, their steps (each with who and both clocks), and on-site swaps."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped, utcnow
from server.models.devices import Device
from server.models.field import FieldRecord
from server.models.users import User

FAULT_SEVERITIES = ("minor", "major", "critical")
FAULT_SOURCES = ("field", "phone")
# Steps in order; a fault's state is the furthest step it has reached.
FAULT_STEPS = ("reported", "responded", "diagnosing", "spare_installed", "resolved", "closed")
# Steps that record who works on a fault, not how far it got (they move no clock or state);
# stored as these codes (the screens word them), the assignee in FaultStep.assignee_id.
ASSIGNMENT_STEPS = ("assigned", "unassigned")
# An escalation: the fault's level raised or the fault handed to the next tier, with a reason
# (the step's note); like assignment it moves no clock and no state.
ESCALATION_STEPS = ("escalated",)
# Fault levels of the software assessment form (level 1 is the most urgent); null: not graded.
FAULT_LEVELS = (1, 2)
# Who handles it, in the order a fault is handed on.
FAULT_TIERS = ("first_line", "second_line", "vendor")
SWAP_STATES = ("applied", "flagged", "dismissed")


class Fault(FieldRecord, Timestamped, Base):
    """A fault on one device; `user_id` is who raised it, `reported_at` when the site reported it."""

    __tablename__ = "fault"

    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    source: Mapped[str] = mapped_column(sa.String(8), default="field")
    # How the phone got the unit's tag (models/field.py TAG_SOURCES); null: unknown, not a phone.
    tag_source: Mapped[str | None] = mapped_column(sa.String(8))
    severity: Mapped[str] = mapped_column(sa.String(8), default="major")
    urgent_meeting: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(sa.Text)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)
    state: Mapped[str] = mapped_column(sa.String(16), default="reported", index=True)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    reported_at: Mapped[datetime] = mapped_column(index=True)
    responded_at: Mapped[datetime | None]
    diagnosing_at: Mapped[datetime | None]
    spare_installed_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The engineer the desk gave it to (null: nobody yet); each change is an `assigned` step.
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # Raised by an `escalated` step: the level (1 most urgent, null not graded) and the tier.
    level: Mapped[int | None] = mapped_column(sa.SmallInteger)
    tier: Mapped[str] = mapped_column(
        sa.String(16), default="first_line", server_default="first_line"
    )

    device: Mapped[Device] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    steps: Mapped[list[FaultStep]] = relationship(
        back_populates="fault", order_by="[FaultStep.at, FaultStep.id]"
    )

    def step_time(self, step: str) -> datetime | None:
        return getattr(self, f"{step}_at")


class FaultStep(Base):
    """One step of a fault: what, the phone's time, the server's time, who, a note.

    A step synced before its fault waits with `fault_id` null and `fault_uuid` set;
    it is applied when the fault arrives.
    """

    __tablename__ = "fault_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    fault_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fault.id"), index=True)
    fault_uuid: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    step: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime]
    server_time: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    resolution: Mapped[str | None] = mapped_column(sa.Text)
    # Only on an `assigned` step: to whom.
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    # Only on an `escalated` step: the level and tier it set (null: that one unchanged).
    level: Mapped[int | None] = mapped_column(sa.SmallInteger)
    tier: Mapped[str | None] = mapped_column(sa.String(16))

    fault: Mapped[Fault | None] = relationship(back_populates="steps")


class FaultComment(Base):
    """A comment on a fault, its own record (not a step): who, the server's time, text, files.

    `attachments` lists `{"sha256", "name", "content_type", "size"}` of files in the evidence
    store (server/services/core/attachments.py): photos or PDFs.
    """

    __tablename__ = "fault_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    fault_id: Mapped[int] = mapped_column(sa.ForeignKey("fault.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    server_time: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str | None] = mapped_column(sa.Text)
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)

    author: Mapped[User] = relationship()


class Swap(FieldRecord, Timestamped, Base):
    """A spare put in the faulty unit's room; `flagged` ones changed nothing and wait for a supervisor."""

    __tablename__ = "swap"

    fault_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fault.id"), index=True)
    fault_uuid: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    faulty_device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    spare_device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    spare_from_room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    better_grade: Mapped[bool] = mapped_column(default=False)
    # How the phone got each unit's tag (models/field.py TAG_SOURCES); null: unknown.
    faulty_tag_source: Mapped[str | None] = mapped_column(sa.String(8))
    spare_tag_source: Mapped[str | None] = mapped_column(sa.String(8))
    swapped_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(sa.String(12), default="applied", index=True)
    # Why a supervisor must decide: [{code, params}] (services/reason_codes.py FLAG_CODES).
    flags: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(sa.Text)

    faulty_device: Mapped[Device] = relationship(foreign_keys=[faulty_device_id])
    spare_device: Mapped[Device] = relationship(foreign_keys=[spare_device_id])
