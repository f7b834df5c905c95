"""Every sync record type, field-pack section and batch finisher, listed; registered at app set-up (server/hooks.py)."""

from __future__ import annotations

from server.services.coverage import targets as coverage_targets
from server.services.faults import records as fault_records
from server.services.faults import sla
from server.services.field import kinds as field_kinds
from server.services.field import pack as field_pack
from server.services.field import records as field_records
from server.services.field import site_checks, visit_finish
from server.services.labelling import retag
from server.services.meetings import checks as meeting_checks
from server.services.meetings import log as meeting_log
from server.services.meetings import pack as meetings_pack
from server.services.plans import pack as plans_sync
from server.services.sync.registry import (
    register_batch_finisher,
    register_pack_constants,
    register_pack_section,
    register_record_type,
)

# Pushed records of one batch are stored type by type in this order: visits before their
# inspections, both before visit_finish (faults, swaps and RMA returns need no visit).
RECORD_TYPES = [*fault_records.TYPES, *field_records.TYPES, *visit_finish.TYPES]
RECORD_TYPES += site_checks.TYPES  # a room's daily checklist, no unit scanned
RECORD_TYPES += meeting_checks.TYPES  # arrival, site confirmation, joint test
RECORD_TYPES += meeting_log.TYPES  # in-meeting incidents (maybe a fault), usage registers
# The field pack's lists, in this order.
PACK_SECTIONS = [
    *plans_sync.SECTIONS,
    *fault_records.SECTIONS,
    *retag.SECTIONS,
    *field_pack.SECTIONS,
    *meetings_pack.SECTIONS,
]

# Rules the phone computes with offline (the contract's fault clocks; the visit kinds a site
# can have and the site check's template key).
PACK_CONSTANTS = {"sla": sla.pack_constants, "field": field_kinds.pack_constants}
# What a batch's records need built before the push appends them to the evidence chain.
BATCH_FINISHERS = [coverage_targets.refresh_pending]


def register_all() -> None:
    """Register every record type and pack section (again: idempotent, by name)."""
    for record_type in RECORD_TYPES:
        register_record_type(record_type)
    for section in PACK_SECTIONS:
        register_pack_section(section)
    for name, constants in PACK_CONSTANTS.items():
        register_pack_constants(name, constants)
    for finish in BATCH_FINISHERS:
        register_batch_finisher(finish)
