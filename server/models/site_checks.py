"""Site-level checks pushed from the phone: one checklist for a room, no unit scanned."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base
from server.models.field import FieldRecord


class SiteCheck(FieldRecord, Base):
    """The room's checklist (template SITE_CHECK_KIND) filled in once; append-only.

    An inspection of the room, not of a device: it counts as the site's daily check
    (services/calendar/daily_checks.py) and never as a unit covered (coverage reads inspections).
    """

    __tablename__ = "site_check"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), index=True)
    # the daily visit it was made in, by UUID (the visit may arrive later, or not be sent)
    visit_uuid: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_template.id"))
    template_version: Mapped[int]
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    checked_at: Mapped[datetime] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(sa.String(8))
    # the answers as evaluated: [{item_key, outcome, reason, value_text, value_number, note, photos}]
    results: Mapped[list] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)
