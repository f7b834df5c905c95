"""Assessment events: what only people know (a complaint, a praise letter...), append-only."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, utcnow
from server.models.users import User

ASSESSMENT_FORMS = ("av", "software")


class AssessmentEvent(Base):
    """One deduction or bonus a supervisor entered, with its evidence; never updated.

    A correction is a new row naming the one it replaces in `supersedes_id` (unique: one
    correction per event, so two supervisors correcting at once cannot both win); `withdrawn`
    corrects an event away. The current events are those no other row supersedes.
    """

    __tablename__ = "assessment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(sa.String(16), index=True)
    item: Mapped[str] = mapped_column(sa.String(32))
    rule: Mapped[str] = mapped_column(sa.String(48))
    points: Mapped[int]
    occurred_on: Mapped[date] = mapped_column(index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    # [{"sha256", "content_type", "name", "size"}]: files in the photo / attachment stores
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    fault_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fault.id"), index=True)
    withdrawn: Mapped[bool] = mapped_column(default=False)
    supersedes_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("assessment_event.id"), unique=True
    )
    entered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[User] = relationship()
