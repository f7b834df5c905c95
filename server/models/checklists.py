"""Versioned checklist templates per device kind and inspection kind."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped

INSPECTION_KINDS = ("quarterly", "daily", "monthly", "pre_meeting")
ITEM_TYPES = ("pass_fail", "number", "text", "photo")
# The site-level check (docs/meetings.md): one checklist for a room instead of one per unit.
# Its template's key, and the pseudo device kind no unit has, so no unit's checklist is it.
SITE_CHECK_KIND = "room.daily"
SITE_CHECK_DEVICE_KIND = "room"
# The device kinds whose daily items make the room's checklist, in this order.
SITE_CHECK_SECTIONS = ("display", "camera", "audio", "network", "video_conference")
# The checklist kind of a unit the phone's pack does not know (docs/sync.md, inspection data):
# its tag is inspected with the `generic` templates and linked when the device is registered.
UNKNOWN_DEVICE_KIND = "generic"


class ChecklistTemplate(Timestamped, Base):
    """A checklist; a change makes a new version, old inspections keep theirs."""

    __tablename__ = "checklist_template"
    __table_args__ = (
        sa.UniqueConstraint("key", "version", name="uq_checklist_template_key_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    device_kind: Mapped[str] = mapped_column(sa.String(24))
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    name_zh: Mapped[str] = mapped_column(sa.String(128))
    name_en: Mapped[str] = mapped_column(sa.String(128))
    active: Mapped[bool] = mapped_column(default=True)

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="template",
        order_by="ChecklistItem.position",
        cascade="all, delete-orphan",
    )


class ChecklistItem(Base):
    """One check: pass/fail/n.a., a number in a range, text, or a photo."""

    __tablename__ = "checklist_item"
    __table_args__ = (
        sa.UniqueConstraint("template_id", "key", name="uq_checklist_item_template_id_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("checklist_template.id"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(sa.String(64))
    section: Mapped[str] = mapped_column(sa.String(32), default="general")
    label_zh: Mapped[str] = mapped_column(sa.String(256))
    label_en: Mapped[str] = mapped_column(sa.String(256))
    type: Mapped[str] = mapped_column(sa.String(16))
    unit: Mapped[str | None] = mapped_column(sa.String(16))
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    photo_required: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=True)

    template: Mapped[ChecklistTemplate] = relationship(back_populates="items")
