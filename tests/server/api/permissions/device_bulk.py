"""Who may change a selection of devices at once."""

MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("POST", "/api/v1/device-bulk/check"): MANAGERS,
    ("POST", "/api/v1/device-bulk"): MANAGERS,
}
