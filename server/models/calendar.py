"""Admin overrides of the working-day calendar (days the holiday library does not know yet)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped
from server.models.users import User


class CalendarOverride(Timestamped, Base):
    """One day declared working or not by an admin; wins over the library (audit-logged)."""

    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_working: Mapped[bool]
    note: Mapped[str] = mapped_column(sa.Text)
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    set_by: Mapped[User | None] = relationship()
