"""Who may set up reminders and read their delivery log: admins."""

ADMINS = ("admin",)

MATRIX = {
    ("GET", "/api/v1/reminders/rules"): ADMINS,
    ("PATCH", "/api/v1/reminders/rules/<name>"): ADMINS,
    ("GET", "/api/v1/reminders/channels"): ADMINS,
    ("POST", "/api/v1/reminders/channels"): ADMINS,
    ("PATCH", "/api/v1/reminders/channels/<int:channel_id>"): ADMINS,
    ("DELETE", "/api/v1/reminders/channels/<int:channel_id>"): ADMINS,
    ("POST", "/api/v1/reminders/channels/<int:channel_id>/test"): ADMINS,
    ("GET", "/api/v1/reminders/channels/<int:channel_id>/subscriptions"): ADMINS,
    ("POST", "/api/v1/reminders/channels/<int:channel_id>/subscriptions"): ADMINS,
    (
        "DELETE",
        "/api/v1/reminders/channels/<int:channel_id>/subscriptions/<int:subscription_id>",
    ): ADMINS,
    ("GET", "/api/v1/reminders/deliveries"): ADMINS,
}
