"""Who may read the backup runs (the evidence of the assessment's backup item)."""

READERS = ("viewer", "supervisor", "admin")

MATRIX = {
    ("GET", "/api/v1/backups"): READERS,
    ("GET", "/api/v1/backups/<int:run_id>"): READERS,
}
