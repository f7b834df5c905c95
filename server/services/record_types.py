"""Imports every module that registers sync record types or field-pack sections."""
# One import per feature; each module registers its types when imported.
from server.services import field_pack, field_records  # noqa: F401
from server.services import visit_finish  # noqa: F401  (after visits and inspections)
from server.services import retag  # noqa: F401  (the tag_aliases pack section)
from server.services import fault_records  # noqa: F401  faults, steps, swaps, RMA returns
from server.services import plans_sync  # noqa: F401  (pack section "plans")
