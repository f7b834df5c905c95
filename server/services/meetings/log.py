"""The in-meeting log and the usage register: their sync record types and what they plug into."""

from __future__ import annotations

from server.services.meetings import incidents, register, timeline
from server.services.sync.registry import RecordType

TYPES = [
    RecordType("meeting_incident", incidents.IncidentData, incidents.store_incident),
    RecordType("usage_register", register.RegisterData, register.store_register),
]


def install() -> None:
    """The timeline's sources (revisions, schedule, due checks, incidents, registers);
    idempotent (tests build many apps). The register PDF's rows (register.pdf_source) are
    plugged in by server/hooks.py: reports already import meetings."""
    for source in (*timeline.BUILT_IN, incidents.timeline_events, register.timeline_events):
        timeline.register_source(source)
