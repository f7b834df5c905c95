"""Who may call the fault, swap, RMA, spare and custody endpoints (checked by the shared matrix test)."""

ANY = ("viewer", "engineer", "supervisor", "admin")
FIELD = ("engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/faults"): ANY,
    ("POST", "/api/v1/faults"): FIELD,
    ("GET", "/api/v1/faults/<int:fault_id>"): ANY,
    ("POST", "/api/v1/faults/<int:fault_id>/steps"): FIELD,
    ("POST", "/api/v1/faults/<int:fault_id>/close"): MANAGERS,
    ("POST", "/api/v1/faults/<int:fault_id>/assign"): MANAGERS,
    ("POST", "/api/v1/faults/<int:fault_id>/comments"): FIELD,
    ("POST", "/api/v1/faults/<int:fault_id>/escalate"): MANAGERS,
    ("PUT", "/api/v1/faults/attachments/<sha256>"): FIELD,
    ("GET", "/api/v1/faults/attachments/<sha256>"): ANY,
    ("GET", "/api/v1/faults/breaches"): ANY,
    ("GET", "/api/v1/faults/stats"): ANY,
    ("GET", "/api/v1/swaps"): ANY,
    ("POST", "/api/v1/swaps"): FIELD,
    ("GET", "/api/v1/swaps/<int:swap_id>"): ANY,
    ("POST", "/api/v1/swaps/<int:swap_id>/resolve"): MANAGERS,
    ("GET", "/api/v1/rma"): ANY,
    ("POST", "/api/v1/rma"): MANAGERS,
    ("GET", "/api/v1/rma/<int:rma_id>"): ANY,
    ("PATCH", "/api/v1/rma/<int:rma_id>"): MANAGERS,
    ("POST", "/api/v1/rma/<int:rma_id>/return"): FIELD,
    ("GET", "/api/v1/spares"): ANY,
    ("PUT", "/api/v1/spares/thresholds/<type_code>"): MANAGERS,
    ("GET", "/api/v1/devices/<tag>/custody"): ANY,
    ("GET", "/api/v1/rooms/<int:room_id>/custody"): ANY,
}
