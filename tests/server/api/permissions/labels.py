"""Who may print labels, change offsets, re-tag, and read the label register."""

ALL = ("viewer", "engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")
REGISTER_READERS = ("viewer", "supervisor", "admin")

# On the label itself, so anyone may read them (the sign-in form a label opens shows them).
PUBLIC = {("GET", "/api/v1/labels/contact")}

MATRIX = {
    ("GET", "/api/v1/labels/templates"): ALL,
    ("PUT", "/api/v1/labels/templates/<name>/offsets"): MANAGERS,
    ("POST", "/api/v1/labels/preview"): MANAGERS,
    ("POST", "/api/v1/labels/print"): MANAGERS,
    ("GET", "/api/v1/labels/calibration/<name>"): MANAGERS,
    ("GET", "/api/v1/labels/jobs"): REGISTER_READERS,
    ("GET", "/api/v1/labels/jobs/<int:job_id>"): REGISTER_READERS,
    ("POST", "/api/v1/devices/<tag>/retag"): MANAGERS,
    ("GET", "/api/v1/labels/printers"): MANAGERS,
    ("POST", "/api/v1/labels/jobs/<int:job_id>/retry"): MANAGERS,
    ("POST", "/api/v1/labels/calibration/<name>/print"): MANAGERS,
}
