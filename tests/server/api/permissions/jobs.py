"""Who may follow background jobs, download their files, and build the handover package."""

READERS = ("viewer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/jobs/<int:job_id>"): READERS,
    ("GET", "/api/v1/jobs/<int:job_id>/download"): READERS,
}
MATRIX |= {
    ("POST", "/api/v1/handover"): MANAGERS,
    ("GET", "/api/v1/handover"): READERS,
}
