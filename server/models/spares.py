"""Repairs at the vendor (RMA) and the low-stock thresholds of the spare pool."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped
from server.models.devices import Device, DeviceType

RMA_OUTCOMES = ("repaired", "replaced", "scrapped")
RMA_DISPOSITIONS = ("swap_back", "keep")


class RmaRecord(Timestamped, Base):
    """One trip of a faulty unit to the vendor and back."""

    __tablename__ = "rma_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("device.id"), index=True)
    swap_id: Mapped[int | None] = mapped_column(sa.ForeignKey("swap.id"), index=True)
    fault_id: Mapped[int | None] = mapped_column(sa.ForeignKey("fault.id"), index=True)
    vendor: Mapped[str | None] = mapped_column(sa.String(128))
    sent_at: Mapped[datetime | None]
    expected_back: Mapped[date | None]
    returned_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(sa.String(12))
    old_serial: Mapped[str | None] = mapped_column(sa.String(64))
    new_serial: Mapped[str | None] = mapped_column(sa.String(64))
    disposition: Mapped[str | None] = mapped_column(sa.String(12))
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    returned_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    return_uuid: Mapped[str | None] = mapped_column(sa.String(36), unique=True)

    device: Mapped[Device] = relationship()

    @property
    def open(self) -> bool:
        return self.returned_at is None


class SpareThreshold(Base):
    """Warn when fewer than `min_count` spares of this type are in the pool."""

    __tablename__ = "spare_threshold"

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("device_type.id"), unique=True)
    min_count: Mapped[int] = mapped_column(default=1)

    type: Mapped[DeviceType] = relationship()
