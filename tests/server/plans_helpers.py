"""Test helpers for plans and coverage: make visits and inspections directly with the models."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from server.extensions import db
from server.models import Inspection, InspectionResult, Visit

_n = itertools.count(1)


class FieldFactory:
    """Visits, inspections (optionally superseding another) and their results."""

    def visit(self, site, user, at: datetime, kind: str = "quarterly", plan_entry=None) -> Visit:
        visit = Visit(
            uuid=str(uuid.uuid4()),
            user_id=user.id,
            client_time=at,
            server_time=at,
            content_hash=f"h{next(_n)}",
            site_id=site.id,
            inspection_kind=kind,
            started_at=at,
            finished_at=at,
            plan_entry_id=plan_entry and plan_entry.id,
        )
        db.session.add(visit)
        db.session.flush()
        return visit

    def inspection(
        self,
        visit,
        device=None,
        tag: str | None = None,
        outcome: str = "pass",
        failed_items=(),
        supersedes: Inspection | None = None,
        at: datetime | None = None,
    ) -> Inspection:
        at = at or visit.started_at
        inspection = Inspection(
            uuid=str(uuid.uuid4()),
            user_id=visit.user_id,
            client_time=at,
            server_time=at,
            content_hash=f"h{next(_n)}",
            visit_id=visit.id,
            device_id=device and device.id,
            tag=tag or device.tag,
            inspection_kind=visit.inspection_kind,
            outcome=outcome,
            supersedes_uuid=supersedes and supersedes.uuid,
            supersede_state="valid" if supersedes else None,
        )  # checked by sync, not here
        inspection.results = [InspectionResult(item_key=k, outcome="fail") for k in failed_items]
        inspection.results.append(InspectionResult(item_key="power", outcome="pass"))
        db.session.add(inspection)
        db.session.flush()
        return inspection


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
