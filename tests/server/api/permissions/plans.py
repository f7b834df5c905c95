"""Who may call the plans and coverage endpoints."""

ALL = ("viewer", "engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("POST", "/api/v1/plans"): MANAGERS,
    ("GET", "/api/v1/plans"): ALL,
    ("GET", "/api/v1/plans/<int:plan_id>"): ALL,
    ("POST", "/api/v1/plans/<int:plan_id>/entries/<int:entry_id>/replace"): MANAGERS,
    ("GET", "/api/v1/coverage"): ALL,
    ("GET", "/api/v1/coverage/map"): ALL,
    ("GET", "/api/v1/coverage/sites/<code>"): ALL,
    ("GET", "/api/v1/coverage/export.csv"): ALL,
    ("GET", "/api/v1/coverage/export.xlsx"): ALL,
    ("GET", "/api/v1/calendar"): ALL,
    ("PUT", "/api/v1/calendar/overrides/<day>"): ("admin",),
    ("DELETE", "/api/v1/calendar/overrides/<day>"): ("admin",),
    # The page shell is static; its data comes from the endpoints above, which check roles.
}
