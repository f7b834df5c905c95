"""Text people add to a report: the engineer's recommendations of one report and period."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, Timestamped


class ReportNote(Timestamped, Base):
    """The recommendations (建议) printed in one report kind for one period; one per pair,
    each save overwrites it (the audit log keeps every earlier text)."""

    __tablename__ = "report_note"
    __table_args__ = (sa.UniqueConstraint("kind", "period", name="uq_report_note_kind_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    period: Mapped[str] = mapped_column(sa.String(32))
    text: Mapped[str] = mapped_column(sa.Text)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
