"""Who may change a selection of devices at once."""

MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("POST", "/api/v1/devices/bulk/check"): MANAGERS,
    ("POST", "/api/v1/devices/bulk"): MANAGERS,
}
