"""Device types, devices and the history of every room/status change."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped, utcnow
from server.models.places import Room

DEVICE_KINDS = (
    "display",
    "camera",
    "audio",
    "network",
    "video_conference",
    "power",
    "recording",
    "platform",
    "generic",
)
DEVICE_STATUSES = ("in_service", "faulty", "in_repair", "spare", "retired")


class DeviceType(Timestamped, Base):
    """A kind of equipment, usually one line of the contract."""

    __tablename__ = "device_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(24), index=True)
    name_zh: Mapped[str] = mapped_column(sa.String(128))
    name_en: Mapped[str] = mapped_column(sa.String(128))
    model: Mapped[str | None] = mapped_column(sa.String(128))
    manufacturer: Mapped[str | None] = mapped_column(sa.String(64))
    contract_line: Mapped[int | None]
    # A type in use is never deleted: it is retired (hidden from new-device forms, kept for history).
    retired_at: Mapped[datetime | None]


class Device(Timestamped, Base):
    """One physical unit, identified by its location-independent asset tag."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag: Mapped[str] = mapped_column(sa.String(16), unique=True)
    serial: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("device_type.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="in_service", index=True)
    install_date: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(sa.Text)

    type: Mapped[DeviceType] = relationship()
    # Read-only: moves set room_id, so the custody hook sees every change exactly.
    room: Mapped[Room | None] = relationship(viewonly=True)
    events: Mapped[list[DeviceEvent]] = relationship(
        back_populates="device", order_by="DeviceEvent.id", cascade="all, delete-orphan"
    )

    @property
    def site(self):
        return self.room.site if self.room else None


class DeviceEvent(Base):
    """One change of a device's room or status: the chain of custody."""

    __tablename__ = "device_event"
    __mapper_args__ = {"eager_defaults": False}  # no RETURNING of the code columns' NULL default

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    from_room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"))
    to_room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(sa.String(16))
    to_status: Mapped[str] = mapped_column(sa.String(16))
    reason: Mapped[str | None] = mapped_column(sa.String(256))  # typed by a person, as given
    # Why, as a code with parameters (services/reason_codes.py). The NULL server default lets the
    # ORM leave the columns out of an insert without a code, as data built at older migrations is.
    reason_code: Mapped[str | None] = mapped_column(sa.String(32), server_default=sa.null())
    reason_params: Mapped[dict | None] = mapped_column(
        sa.JSON(none_as_null=True), server_default=sa.null()
    )

    device: Mapped[Device] = relationship(back_populates="events")
