"""Stable codes, with parameters, stored instead of English prose where the server explains itself.

A custody event (DeviceEvent.reason_code / reason_params) says why a unit moved; a flagged swap
(Swap.flags, a list of {code, params}) says why a supervisor must decide. The screens put them in
words from the shared dictionary pwa/static/core/dict/reasons.js (`custody_<code>`,
`flag_<code>`; tests/server/test_reason_codes.py keeps the two in step). DeviceEvent.reason
keeps only what a person typed (a reason given with a device change).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CUSTODY_CODES = (
    "spare_installed",  # params: swap, fault (optional)
    "sent_to_repair",  # swap, fault (optional)
    "spare_stocked",  # a new spare placed in the contractor's store
    "rma_sent",  # an RMA opened without a swap
    "rma_back_as_spare",  # rma
    "rma_scrapped",  # rma
    "swap_undone",  # swap, rma: the spare back to the pool
    "rma_swapped_back",  # rma: the repaired unit back in its room
)
FLAG_CODES = (
    "spare_not_in_pool",  # spare_tag, site, room (where it was installed), swap (which installed it)
    "faulty_moved_out",  # faulty_tag, status
    "faulty_in_other_room",  # faulty_tag, room, expected_room (room ids)
    "other",  # text: a reason stored before codes whose wording was not recognised
    "not_assigned",  # meeting, user: a meeting record by an engineer not assigned to it
    "incident_outside_hours",  # started_at, meeting: an incident outside starts_at-1h..ends_at+1h
)


@dataclass(frozen=True)
class CustodyReason:
    """What services give `core.moves.move` as the reason of a custody event."""

    code: str
    params: dict = field(default_factory=dict)


def custody(code: str, **params) -> CustodyReason:
    """A custody reason; parameters that are None are left out."""
    if code not in CUSTODY_CODES:
        raise ValueError(f"unknown custody reason code {code!r}")
    return CustodyReason(code, {k: v for k, v in params.items() if v is not None})


def flag(code: str, **params) -> dict:
    """One entry of Swap.flags; parameters that are None or empty are left out."""
    if code not in FLAG_CODES:
        raise ValueError(f"unknown swap flag code {code!r}")
    return {"code": code, "params": {k: v for k, v in params.items() if v not in (None, "")}}


def event_columns(reason) -> dict:
    """DeviceEvent columns for a move's reason: a code, or the text a person typed.

    Only the columns that carry something: an event with no code inserts none of the code
    columns (so the tests that build data at an older migration still insert)."""
    if isinstance(reason, CustodyReason):
        return {"reason_code": reason.code, "reason_params": reason.params or None}
    return {"reason": reason} if reason is not None else {}
