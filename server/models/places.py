"""Regions (GB/T 2260 divisions), sites (the bureaus) and their rooms."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped

REGION_LEVELS = ("province", "prefecture", "new-area", "county")
SITE_TIERS = ("province", "prefecture", "county", "store")
# The 99 medical-insurance bureaus are these tiers; "store" is the contractor's spare store.
BUREAU_TIERS = ("province", "prefecture", "county")
ROOM_KINDS = (
    "main_conference",
    "small_conference",
    "petition",
    "monitoring",
    "equipment",
    "store",
    "other",
)


class Region(Base):
    """An administrative division (or Gui'an New Area, code GUIAN)."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    level: Mapped[str] = mapped_column(sa.String(16))
    kind: Mapped[str] = mapped_column(sa.String(16))
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("region.code"), index=True)
    lon: Mapped[float | None]
    lat: Mapped[float | None]

    parent: Mapped[Region | None] = relationship(remote_side=[code])


class Site(Timestamped, Base):
    """A place devices stand in: a bureau, or the contractor's store or a depot."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(128))
    tier: Mapped[str] = mapped_column(sa.String(16))
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(256))
    # Where the bureau stands (WGS-84), typed or picked on the map; the region's point until set.
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    # A bureau that moved or merged is closed, never deleted: its rooms, devices' history,
    # visits and plans keep pointing at it; it is no longer planned or offered for meetings.
    closed_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(sa.String(256))

    region: Mapped[Region] = relationship()
    rooms: Mapped[list[Room]] = relationship(back_populates="site", order_by="Room.id")

    @property
    def prefecture_code(self) -> str:
        """The prefecture-level unit this site belongs to (the province bureau: itself)."""
        region = self.region
        return region.parent_code if region.level == "county" else region.code


class Room(Timestamped, Base):
    """A room of a site: main conference room, petition office, monitoring room, ..."""

    __tablename__ = "room"
    __table_args__ = (sa.UniqueConstraint("site_id", "name", name="uq_room_site_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(24), default="other")
    closed_at: Mapped[datetime | None]  # no device may move in; its history stays

    site: Mapped[Site] = relationship(back_populates="rooms")
