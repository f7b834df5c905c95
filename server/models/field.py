"""Field records synced from phones: visits and append-only inspections."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, utcnow

# How the phone got a record's tag (docs/evidence.md, Presence): the scanner decoded it (also
# from a photo of the label), typed by hand, or chosen from a list; null: an older app (unknown).
TAG_SOURCES = ("camera", "typed", "list")

# The rows of the two partial indexes of inspection (migration 0034 spells the same
# predicates): corrections, and inspections that name a visit not yet arrived.
A_CORRECTION = "supersedes_uuid IS NOT NULL"
WAITING_FOR_VISIT = "visit_id IS NULL AND visit_uuid IS NOT NULL"


class FieldRecord:
    """What every synced record carries: identity, both clocks, where, which app."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    client_time: Mapped[datetime]
    server_time: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    clock_skew_seconds: Mapped[int] = mapped_column(default=0)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    app_version: Mapped[str | None] = mapped_column(sa.String(32))
    content_hash: Mapped[str] = mapped_column(sa.String(64))


class Visit(FieldRecord, Base):
    """An engineer's visit to a site for one kind of inspection."""

    __tablename__ = "visit"

    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    plan_entry_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_entry.id"), index=True)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    # A pre-meeting visit belongs to its meeting (null for every other visit).
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id"), index=True)

    inspections: Mapped[list[Inspection]] = relationship(back_populates="visit")


class VisitFinish(FieldRecord, Base):
    """A visit sent when it started, finished later (the `visit_finish` record type).

    Applied to its visit as soon as both are here (services/field/visit_finish.py): `waiting` for
    the visit, `applied`, or `refused` (the visit turned out to be someone else's, or to start
    after this finish).
    """

    __tablename__ = "visit_finish"

    visit_uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit.id"), index=True)
    finished_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(8), default="waiting")


class Inspection(FieldRecord, Base):
    """One checklist filled in for one device (or a tag not yet known)."""

    __tablename__ = "inspection"
    __table_args__ = (
        # Partial: only corrections are in it, so finding them (the current-inspection test of
        # every coverage recompute, a push's waiting corrections) reads a small index however
        # many inspections there are, and PostgreSQL picks it even before its statistics know
        # the table's size (docs/coverage.md, "Seventh round").
        sa.Index(
            "ix_inspection_supersedes_uuid",
            "supersedes_uuid",
            postgresql_where=sa.text(A_CORRECTION),
            sqlite_where=sa.text(A_CORRECTION),
        ),
        # Partial too: only inspections still waiting for their visit (the visit's arrival
        # links them, services/field/visits.link_visits); a linked one is found by visit_id.
        sa.Index(
            "ix_inspection_visit_uuid",
            "visit_uuid",
            postgresql_where=sa.text(WAITING_FOR_VISIT),
            sqlite_where=sa.text(WAITING_FOR_VISIT),
        ),
    )

    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit.id"), index=True)
    # The phone names its visit by UUID; the visit may arrive later (visit_id filled then).
    # Once the visit is here visit_id always names it (services/field/queries.in_visits).
    visit_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    # Read by device through ix_inspection_device_id_client_time (models/plans.py): a second
    # index on device_id alone would only cost every insert one more random B-tree leaf.
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))
    tag: Mapped[str] = mapped_column(sa.String(16), index=True)
    tag_source: Mapped[str | None] = mapped_column(sa.String(8))
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("checklist_template.id"))
    template_version: Mapped[int | None]
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    outcome: Mapped[str] = mapped_column(sa.String(8))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Indexed only where set (ix_inspection_supersedes_uuid below): corrections are few.
    supersedes_uuid: Mapped[str | None] = mapped_column(sa.String(36))
    # Only a `valid` correction takes its original out of coverage (services/field/corrections.py):
    # `pending` until the original arrives, `review` if it then breaks the rule; null if none.
    supersede_state: Mapped[str | None] = mapped_column(sa.String(8))

    visit: Mapped[Visit | None] = relationship(back_populates="inspections")
    results: Mapped[list[InspectionResult]] = relationship(
        back_populates="inspection",
        order_by="InspectionResult.id",
        cascade="all, delete-orphan",
    )


def valid_correction_of(correction, original_uuid) -> sa.ColumnElement:
    """`correction` (Inspection or an alias of it) validly corrects the inspection whose UUID
    is `original_uuid` (services/field/corrections.py). The IS NOT NULL, implied by the
    equality, is spelled out so a plan that scans all corrections (a hash anti-join) may read
    the partial ix_inspection_supersedes_uuid instead of the whole table."""
    return sa.and_(
        correction.supersedes_uuid.is_not(None),
        correction.supersedes_uuid == original_uuid,
        correction.supersede_state == "valid",
    )


class InspectionResult(Base):
    """The answer to one checklist item."""

    __tablename__ = "inspection_result"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(sa.ForeignKey("inspection.id"), index=True)
    item_key: Mapped[str] = mapped_column(sa.String(64))
    outcome: Mapped[str] = mapped_column(sa.String(8))
    reason: Mapped[str | None] = mapped_column(sa.String(32))
    value_text: Mapped[str | None] = mapped_column(sa.Text)
    value_number: Mapped[float | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    photos: Mapped[list] = mapped_column(sa.JSON, default=list)

    inspection: Mapped[Inspection] = relationship(back_populates="results")


class VisitTarget(Base):
    """One device (or unknown tag) that a visit's current inspections covered.

    Kept exact by services/coverage/targets.py so coverage counts these narrow rows through one
    covering index instead of joining every inspection to its device. `own`: the device now
    stands at the visit's site in a live status. `previous_at`: when an earlier visit of the
    same kind at the same site last covered the same target, so "covered in a period" is
    counted without a DISTINCT: a target counts once, on its first row inside the period.
    The visit's site, kind and start are copied here because visits never change.
    """

    __tablename__ = "visit_target"
    __table_args__ = (
        sa.Index(
            "ix_visit_target_coverage",
            "inspection_kind",
            "started_at",
            "site_id",
            "own",
            "type_id",
            "previous_at",
            "failed_items",
        ),
        # "Was this device inspected at its site in the period?" (missing devices), by probe.
        sa.Index("ix_visit_target_device", "device_id", "site_id", "inspection_kind", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int]
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime]
    device_id: Mapped[int | None]  # no foreign key: derived rows never hold up a device's removal
    tag: Mapped[str | None] = mapped_column(sa.String(16))  # only for a tag no device has
    type_id: Mapped[int | None]
    own: Mapped[bool]
    failed_items: Mapped[int] = mapped_column(default=0)
    previous_at: Mapped[datetime | None]


class VisitTally(Base):
    """A visit's targets counted by (own, previous_at): what coverage needs without a device
    type filter, in a few rows per visit (previous_at is always an earlier visit's start).

    Derived from visit_target by services/coverage/targets.py, in the same recompute.
    """

    __tablename__ = "visit_tally"
    __table_args__ = (
        sa.Index(
            "ix_visit_tally_coverage",
            "inspection_kind",
            "started_at",
            "site_id",
            "own",
            "previous_at",
            "targets",
            "failed_items",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int]
    inspection_kind: Mapped[str] = mapped_column(sa.String(16))
    started_at: Mapped[datetime]
    own: Mapped[bool]
    previous_at: Mapped[datetime | None]
    targets: Mapped[int]
    failed_items: Mapped[int] = mapped_column(default=0)
