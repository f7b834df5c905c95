"""The in-meeting log and the usage register: their sync record types and what they plug into."""

from __future__ import annotations

from server.services.meetings import check_timeline, incidents, register, timeline
from server.services.sync.registry import RecordType

TYPES = [
    RecordType("meeting_incident", incidents.IncidentData, incidents.store_incident),
    RecordType("usage_register", register.RegisterData, register.store_register),
]


def install() -> None:
    """The timeline's sources (revisions, schedule, due checks, check records, pre-meeting
    visits, incidents, registers);
    idempotent (tests build many apps). The register PDF's rows (register.pdf_source) are
    plugged in by server/hooks.py: reports already import meetings."""
    sources = (
        *timeline.BUILT_IN,
        check_timeline.check_events,
        check_timeline.visit_events,
        incidents.timeline_events,
        register.timeline_events,
    )
    for source in sources:
        timeline.register_source(source)
