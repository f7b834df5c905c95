"""Who may call the meetings endpoints (engineers read only their own: tested in the API tests)."""

ALL = ("viewer", "engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/meetings"): ALL,
    ("POST", "/api/v1/meetings"): MANAGERS,
    ("GET", "/api/v1/meetings/engineers"): MANAGERS,
    ("GET", "/api/v1/meetings/<int:meeting_id>"): ALL,
    ("PATCH", "/api/v1/meetings/<int:meeting_id>"): MANAGERS,
    ("POST", "/api/v1/meetings/<int:meeting_id>/cancel"): MANAGERS,
    ("GET", "/api/v1/meetings/<int:meeting_id>/history"): ALL,
    ("POST", "/api/v1/meetings/<int:meeting_id>/import"): MANAGERS,
    ("GET", "/api/v1/meetings/<int:meeting_id>/register.pdf"): ALL,
    ("GET", "/api/v1/meetings/<int:meeting_id>/timeline"): ALL,
}
