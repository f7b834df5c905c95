"""Who may call the assessment endpoints: supervisors write, the client's auditors read."""

READERS = ("viewer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/assessment"): READERS,
    ("GET", "/api/v1/assessment/events"): READERS,
    ("POST", "/api/v1/assessment/events"): MANAGERS,
    ("GET", "/api/v1/assessment/events/<int:event_id>"): READERS,
    ("POST", "/api/v1/assessment/events/<int:event_id>/supersede"): MANAGERS,
    ("PUT", "/api/v1/assessment/attachments/<sha256>"): MANAGERS,
    ("GET", "/api/v1/assessment/attachments/<sha256>"): READERS,
}
