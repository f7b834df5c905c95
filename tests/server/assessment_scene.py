"""A hand-built March 2025 for the assessment tests: daily and monthly checks, quarterly visits,
faults with known clocks, events with evidence. test_assessment_fixture.py works every line of
both forms out by hand from what is built here."""

from __future__ import annotations

import hashlib
import io
import uuid
from datetime import date, timedelta

from server.extensions import db
from server.models import Inspection, Visit
from server.services.assessment import events as event_service
from server.services.core import attachments
from server.services.faults import lifecycle as fault_service
from server.services.plans import plans
from tests.server.frozen import cst

PDF_BYTES = b"%PDF-1.4\n% a praise letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROVINCE = "520000"


def jpeg_bytes(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


def upload(data: bytes, content_type: str) -> dict:
    sha = hashlib.sha256(data).hexdigest()
    attachments.put(sha, content_type, io.BytesIO(data), len(data))
    return {"sha256": sha, "name": "letter.pdf" if content_type.endswith("pdf") else "photo.jpg"}


def visit(
    user, site, kind, started, finished=True, inspected=True, summary=None, device=None
) -> Visit:
    row = Visit(
        uuid=str(uuid.uuid4()),
        user_id=user.id,
        client_time=started,
        content_hash="0" * 64,
        site_id=site.id,
        inspection_kind=kind,
        started_at=started,
        finished_at=started + timedelta(minutes=30) if finished else None,
        summary=summary,
    )
    db.session.add(row)
    db.session.flush()
    if inspected:
        db.session.add(
            Inspection(
                uuid=str(uuid.uuid4()),
                user_id=user.id,
                client_time=started + timedelta(minutes=5),
                content_hash="0" * 64,
                visit_id=row.id,
                visit_uuid=row.uuid,
                device_id=device.id if device else None,
                tag=device.tag if device else "GZTEST01",
                inspection_kind=kind,
                outcome="pass",
            )
        )
    db.session.flush()
    return row


MISSED_DAYS = (date(2025, 3, 5), date(2025, 3, 12), date(2025, 3, 31))


def daily_and_monthly(sites, engineer, device) -> None:
    """Daily checks of the province bureau's `device` on every weekday of March but three (one
    at a county bureau instead, one that checked nothing); a monthly visit without a summary."""
    province = sites[PROVINCE]
    plans.create_daily_plan("2025-03")
    day = date(2025, 3, 1)
    while day <= date(2025, 3, 31):
        at = cst(day.year, day.month, day.day, 9, 0)
        if day == date(2025, 3, 12):
            visit(engineer, sites["520102"], "daily", at, device=device)  # not the province
        elif day == date(2025, 3, 31):
            visit(engineer, province, "daily", at, inspected=False)  # nothing checked
        elif day.weekday() < 5 and day not in MISSED_DAYS:
            visit(engineer, province, "daily", at, device=device)
        day += timedelta(days=1)
    visit(engineer, province, "daily", cst(2025, 3, 8, 9, 0), device=device)  # a Saturday
    visit(engineer, province, "monthly", cst(2025, 3, 25, 14, 0), summary="  ")
    # February's monthly inspection is outside the period and must not count.
    visit(engineer, province, "monthly", cst(2025, 2, 25, 14, 0), summary="ok")


def quarterly(sites, engineer) -> None:
    """28 distinct bureaus visited in 2025Q1 (one twice), so the quarter is 2 short of 30."""
    bureaus = [s for s in sites.values() if s.tier in ("prefecture", "county")][:28]
    for n, site in enumerate(bureaus):
        visit(engineer, site, "quarterly", cst(2025, 1 + n % 3, 10, 10, 0))
    visit(engineer, bureaus[0], "quarterly", cst(2025, 3, 11, 10, 0))
    visit(engineer, bureaus[28 - 1], "quarterly", cst(2025, 4, 2, 10, 0))  # Q2: not counted


def fault(device, user, reported, respond_min=None, resolve_min=None):
    row = fault_service.create_fault(
        tag=device.tag, description="no picture", user=user, reported_at=reported
    )
    if respond_min is not None:
        fault_service.add_step(row, "responded", reported + timedelta(minutes=respond_min), user)
    if resolve_min is not None:
        at = reported + timedelta(minutes=resolve_min)
        fault_service.add_step(row, "resolved", at, user, resolution="reseated cable")
    return row


def faults(device, user) -> list:
    """F1 clean; F2 20/180 min; F3 45/90; F4 180/300; F5 8 min and open (31 March 23:00)."""
    return [
        fault(device, user, cst(2025, 3, 4, 10, 0), 5, 60),
        fault(device, user, cst(2025, 3, 6, 10, 0), 20, 180),
        fault(device, user, cst(2025, 3, 10, 10, 0), 45, 90),
        fault(device, user, cst(2025, 3, 20, 10, 0), 180, 300),
        fault(device, user, cst(2025, 3, 31, 23, 0), 8, None),
        fault(device, user, cst(2025, 2, 28, 23, 30), 300, None),  # February: not counted
    ]


def events(supervisor, outage_fault) -> dict:
    pdf, photo = upload(PDF_BYTES, "application/pdf"), upload(jpeg_bytes(), "image/jpeg")
    new = event_service.create_event

    def ev(form, item, rule, day, points=None, files=(), **kw):
        return new(
            form=form,
            item=item,
            rule=rule,
            occurred_on=day,
            description=f"{rule} on {day}",
            user=supervisor,
            points=points,
            attachments=list(files),
            **kw,
        )

    made = {
        "praise": ev("av", "service", "written_praise", date(2025, 3, 14), files=[pdf]),
        "complaint": ev("av", "service", "complaint", date(2025, 3, 18), files=[photo]),
        "outage": ev(
            "av", "emergency", "contractor_outage", date(2025, 3, 20), fault_id=outage_fault.id
        ),
        "help": ev("av", "emergency", "help_outside_scope", date(2025, 3, 21), files=[pdf]),
        "leak": ev("software", "backup", "data_leak", date(2025, 3, 22), files=[photo]),
        "sw_praise": ev("software", "sla", "written_praise", date(2025, 3, 24), files=[pdf]),
        "slow": ev("av", "attitude", "no_response_30min", date(2025, 3, 26)),
        "april": ev("av", "communication", "communication_incident", date(2025, 4, 2), points=-5),
    }
    made["reclassified"] = event_service.supersede(
        made["complaint"].id,
        supervisor,
        description="not a formal complaint: a minor service failure",
        rule="service_failure",
        points=-2,
    )
    made["withdrawn"] = event_service.supersede(
        made["slow"].id, supervisor, description="entered by mistake", withdrawn=True
    )
    db.session.flush()
    return made
