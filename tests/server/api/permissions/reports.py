"""Who may read reports and write their recommendations (checked by the shared matrix test)."""

ANY = ("viewer", "engineer", "supervisor", "admin")
FIELD = ("engineer", "supervisor", "admin")
READERS = ("viewer", "supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/reports"): READERS,
    ("GET", "/api/v1/reports/<kind>"): READERS,
    ("GET", "/api/v1/reports/<kind>.html"): READERS,
    ("GET", "/api/v1/reports/assets/<name>"): ANY,
    ("GET", "/api/v1/reports/<kind>/note"): ANY,
    ("PUT", "/api/v1/reports/<kind>/note"): FIELD,
}
