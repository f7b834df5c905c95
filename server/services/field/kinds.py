"""Which visit kinds a site can have, and the field rules the phone needs for them offline.

The contract owes the daily health check and the monthly inspection of the province bureau's
equipment only (docs/plans.md); quarterly sampling and pre-meeting checks go anywhere.
"""

from __future__ import annotations

from server.errors import Invalid
from server.models import INSPECTION_KINDS, SITE_CHECK_KIND, SITE_TIERS, UNKNOWN_DEVICE_KIND

PROVINCE_ONLY = ("daily", "monthly")


def kinds_for_tier(tier: str) -> list[str]:
    """The inspection kinds a site of this tier can be visited for, in INSPECTION_KINDS order
    (none for the contractor's spare store: it holds spares, it is not a visit site)."""
    if tier == "store":
        return []
    return [k for k in INSPECTION_KINDS if tier == "province" or k not in PROVINCE_ONLY]


def check_kind(tier: str, kind: str, site_code: str, field: str = "inspection_kind") -> None:
    """Refuse a kind the site cannot have (code `kind_not_for_site`; a store at all:
    `store_not_visit_site`), naming the field."""
    if tier == "store":
        message = (
            f"Site {site_code} is the contractor's spare store, not a visit site; "
            "start the visit at the bureau where the devices are."
        )
        raise Invalid(
            message, errors={"data": {field: [message]}}, code_name="store_not_visit_site"
        )
    if kind in kinds_for_tier(tier):
        return
    message = (
        f"Site {site_code} cannot have a '{kind}' check: daily and monthly checks are the "
        "province bureau's; start a quarterly or pre-meeting visit here instead."
    )
    raise Invalid(message, errors={"data": {field: [message]}}, code_name="kind_not_for_site")


def pack_constants() -> dict:
    """Sent whole in every pull as `constants.field`: the site check's template key and the
    kinds each site tier can have (the phone's kind selector), and the device kind whose
    templates check a unit the pack does not know."""
    return {
        "site_check_kind": SITE_CHECK_KIND,
        "unknown_device_kind": UNKNOWN_DEVICE_KIND,
        "visit_kinds": {tier: kinds_for_tier(tier) for tier in SITE_TIERS},
    }
