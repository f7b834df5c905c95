"""Pre-meeting check records pushed from the phone: arrival, site confirmation, joint test."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base
from server.models.field import FieldRecord
from server.models.meetings import Meeting

# One table for the three record types (`kind`): they share the meeting, the instant and the
# evidence columns, and the due checks read them in one query; the few type-only columns
# (confirmed_by, the three test results) are null for the other kinds.
MEETING_CHECK_KINDS = ("arrival", "site_confirmation", "joint_test")
TEST_RESULTS = ("pass", "fail")


class MeetingCheck(FieldRecord, Base):
    """One pushed pre-meeting check record; append-only (a retest is a new record)."""

    __tablename__ = "meeting_check"

    kind: Mapped[str] = mapped_column(sa.String(20))
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meeting.id"), index=True)
    # null for an arrival (the engineer is user_id); a participating site otherwise
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"), index=True)
    # arrived_at / confirmed_at / tested_at: the instant the phone recorded
    at: Mapped[datetime]
    confirmed_by: Mapped[str | None] = mapped_column(sa.String(200))
    sound: Mapped[str | None] = mapped_column(sa.String(4))
    picture: Mapped[str | None] = mapped_column(sa.String(4))
    pc_content: Mapped[str | None] = mapped_column(sa.String(4))
    note: Mapped[str | None] = mapped_column(sa.Text)
    # warnings, e.g. [{code: "not_assigned", params: {...}}] (services/core/reason_codes.py)
    flags: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))

    meeting: Mapped[Meeting] = relationship()
