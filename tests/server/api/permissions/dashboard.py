"""Who may open the office dashboard: the office roles; engineers work on the phone's Today."""

MATRIX = {
    ("GET", "/api/v1/dashboard"): ("viewer", "supervisor", "admin"),
}
