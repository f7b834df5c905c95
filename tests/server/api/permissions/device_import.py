"""Who may import devices from the web."""

MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("POST", "/api/v1/device-import/check"): MANAGERS,
    ("POST", "/api/v1/device-import"): MANAGERS,
    ("GET", "/api/v1/device-import/template"): MANAGERS,
}
