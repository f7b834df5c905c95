"""Every sync record type and field-pack section, listed; registered at app set-up (server/hooks.py)."""

from __future__ import annotations

from server.services import (
    fault_records,
    field_pack,
    field_records,
    plans_sync,
    retag,
    visit_finish,
)
from server.services.sync_types import register_pack_section, register_record_type

# Pushed records of one batch are stored type by type in this order: visits before their
# inspections, both before visit_finish (faults, swaps and RMA returns need no visit).
RECORD_TYPES = [*fault_records.TYPES, *field_records.TYPES, *visit_finish.TYPES]
# The field pack's lists, in this order.
PACK_SECTIONS = [
    *plans_sync.SECTIONS,
    *fault_records.SECTIONS,
    *retag.SECTIONS,
    *field_pack.SECTIONS,
]


def register_all() -> None:
    """Register every record type and pack section (again: idempotent, by name)."""
    for record_type in RECORD_TYPES:
        register_record_type(record_type)
    for section in PACK_SECTIONS:
        register_pack_section(section)
