"""Who may call the core endpoints."""

ALL = ("viewer", "engineer", "supervisor", "admin")
MANAGERS = ("supervisor", "admin")

PUBLIC = {("GET", "/api/v1/health"), ("POST", "/api/v1/auth/login")}

MATRIX = {
    ("POST", "/api/v1/auth/logout"): ALL,
    ("POST", "/api/v1/auth/logout-all"): ALL,
    ("GET", "/api/v1/auth/me"): ALL,
    ("GET", "/api/v1/auth/sessions"): ALL,
    ("DELETE", "/api/v1/auth/sessions/<int:session_id>"): ALL,
    ("POST", "/api/v1/auth/password"): ALL,
    ("GET", "/api/v1/regions"): ALL,
    ("GET", "/api/v1/sites"): ALL,
    ("GET", "/api/v1/sites/<code>"): ALL,
    ("GET", "/api/v1/sites/<code>/proposed-point"): MANAGERS,
    ("POST", "/api/v1/sites/<code>/rooms"): MANAGERS,
    ("POST", "/api/v1/sites"): MANAGERS,
    ("PATCH", "/api/v1/sites/<code>"): MANAGERS,
    ("PATCH", "/api/v1/sites/<code>/rooms/<int:room_id>"): MANAGERS,
    ("POST", "/api/v1/sites/<code>/close"): MANAGERS,
    ("POST", "/api/v1/sites/<code>/reopen"): MANAGERS,
    ("POST", "/api/v1/sites/<code>/rooms/<int:room_id>/close"): MANAGERS,
    ("POST", "/api/v1/device-types"): MANAGERS,
    ("PATCH", "/api/v1/device-types/<code>"): MANAGERS,
    ("DELETE", "/api/v1/device-types/<code>"): MANAGERS,
    ("GET", "/api/v1/device-types"): ALL,
    ("GET", "/api/v1/devices"): ALL,
    ("POST", "/api/v1/devices"): MANAGERS,
    ("GET", "/api/v1/devices/<tag>"): ALL,
    ("PATCH", "/api/v1/devices/<tag>"): MANAGERS,
    ("POST", "/api/v1/devices/<tag>/move"): MANAGERS,
    ("POST", "/api/v1/devices/<tag>/retire"): MANAGERS,
    ("GET", "/api/v1/devices/<tag>/history"): ALL,
    ("GET", "/api/v1/checklists"): ALL,
    ("GET", "/api/v1/checklists/<int:template_id>"): ALL,
    ("GET", "/api/v1/users"): ("admin",),
    ("POST", "/api/v1/users"): ("admin",),
    ("PATCH", "/api/v1/users/<int:user_id>"): ("admin",),
    ("POST", "/api/v1/users/<int:user_id>/reset-code"): ("admin",),
    ("GET", "/api/v1/users/engineers"): MANAGERS,
    ("GET", "/api/v1/audit"): ("viewer", "supervisor", "admin"),
}
