"""Roles of the sync, photo, visit, inspection and review endpoints."""

ANY = ("viewer", "engineer", "supervisor", "admin")
FIELD = ("engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/sync/pull"): FIELD,
    ("POST", "/api/v1/sync/push"): FIELD,
    ("POST", "/api/v1/sync/report"): FIELD,
    ("GET", "/api/v1/sync/conflicts"): MANAGERS,
    ("GET", "/api/v1/sync/conflicts/<int:conflict_id>"): MANAGERS,
    ("POST", "/api/v1/sync/conflicts/<int:conflict_id>/resolve"): MANAGERS,
    ("GET", "/api/v1/photos/<sha256>"): ANY,
    ("HEAD", "/api/v1/photos/<sha256>"): ANY,
    ("PUT", "/api/v1/photos/<sha256>"): FIELD,
    ("GET", "/api/v1/visits"): ANY,
    ("GET", "/api/v1/visits/<uuid>"): ANY,
    ("GET", "/api/v1/inspections"): ANY,
    ("GET", "/api/v1/inspections/<uuid>"): ANY,
    ("GET", "/api/v1/review/records"): MANAGERS,
    ("POST", "/api/v1/sync/set-aside"): FIELD,
    ("GET", "/api/v1/review/set-asides"): MANAGERS,
    ("GET", "/api/v1/review/phones"): MANAGERS,
    ("POST", "/api/v1/sync/imports"): MANAGERS,
    ("GET", "/api/v1/sync/imports"): MANAGERS,
    ("GET", "/api/v1/sync/imports/<int:import_id>/receipt"): MANAGERS,
}
