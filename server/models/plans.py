"""Inspection plans (quarterly sampling, daily and monthly checks) and their entries."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped
from server.models.field import Inspection, InspectionResult
from server.models.places import Site
from server.models.users import User

PLAN_KINDS = ("quarterly", "daily", "monthly")
PLAN_STATUSES = ("active", "replaced")
ENTRY_STATES = ("planned", "replaced", "cancelled")


class Plan(Timestamped, Base):
    """One period's plan; the seed makes the random choice reproducible."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    period: Mapped[str] = mapped_column(sa.String(16), index=True)
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    size: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(16), default="active", index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    notes: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    created_by: Mapped[User | None] = relationship()
    entries: Mapped[list[PlanEntry]] = relationship(
        back_populates="plan", order_by="PlanEntry.position", cascade="all, delete-orphan"
    )


class PlanEntry(Timestamped, Base):
    """One site to visit by a due date, assigned to an engineer; replaced, never deleted."""

    __tablename__ = "plan_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id"), index=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    engineer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    due_date: Mapped[date]
    position: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(16), default="planned")
    # Why the planner chose it: rotation (must, to keep the 4-quarter guarantee), never,
    # fault, failed, sampled, daily, monthly, replacement.
    reason_code: Mapped[str] = mapped_column(sa.String(16), default="sampled")
    required: Mapped[bool] = mapped_column(default=False)
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_entry.id"))
    replace_reason: Mapped[str | None] = mapped_column(sa.Text)
    replaced_by_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    replaced_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="entries")
    site: Mapped[Site] = relationship()
    engineer: Mapped[User | None] = relationship(foreign_keys=[engineer_id])
    replaces: Mapped[PlanEntry | None] = relationship(remote_side=[id])


# Coverage reads inspections by device and time ("never inspected before the period's end").
# Declared here, with the feature that needs it, so server/models/field.py stays untouched.
ix_inspection_device_time = sa.Index(
    "ix_inspection_device_id_client_time", Inspection.device_id, Inspection.client_time
)
# Failed items: the few 'fail' answers are one short index range, read without the table.
ix_inspection_result_outcome = sa.Index(
    "ix_inspection_result_outcome_inspection_id",
    InspectionResult.outcome,
    InspectionResult.inspection_id,
)
