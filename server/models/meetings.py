"""Meetings the resident engineers support: the meeting, its sites, its engineers, its history."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped
from server.models.places import Room, Site
from server.models.users import User

MEETING_KINDS = (
    "provincial_video",
    "major",
    "software",
    "other_av",
    "prefecture_assist",
    "relocation",
)
MEETING_PLATFORMS = ("tencent_meeting", "dingtalk", "wecom", "other")
MEETING_STATES = ("scheduled", "cancelled")


class Meeting(Timestamped, Base):
    """One meeting: what, where it is hosted, when, and whether it is a major-event guarantee."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(24))
    # Only software meetings run on a platform (Tencent Meeting, DingTalk, ...).
    platform: Mapped[str | None] = mapped_column(sa.String(24))
    host_site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    host_room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    major_event: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(sa.String(12), default="scheduled")
    notes: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    host_site: Mapped[Site] = relationship()
    host_room: Mapped[Room | None] = relationship()
    sites: Mapped[list[MeetingSite]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingSite.id"
    )
    engineers: Mapped[list[MeetingEngineer]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingEngineer.id"
    )
    revisions: Mapped[list[MeetingRevision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingRevision.version"
    )


class MeetingSite(Base):
    """A site taking part; a speaking site gets a joint test before the meeting."""

    __tablename__ = "meeting_site"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "site_id", name="uq_meeting_site_meeting_id_site_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    speaking: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="sites")
    site: Mapped[Site] = relationship()


class MeetingEngineer(Base):
    """An engineer assigned to a meeting."""

    __tablename__ = "meeting_engineer"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_engineer_meeting_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="engineers")
    user: Mapped[User] = relationship()


class MeetingRevision(Base):
    """One change of a meeting: the version it made, who, when, and each field's old/new value."""

    __tablename__ = "meeting_revision"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "version", name="uq_meeting_revision_meeting_id_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    version: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    changed_at: Mapped[datetime]
    # "created", "updated", "cancelled"
    action: Mapped[str] = mapped_column(sa.String(12))
    # {field: {"old": ..., "new": ...}}, values as JSON (ids, codes, ISO instants)
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    meeting: Mapped[Meeting] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()
