"""Meeting test helpers: the frozen now, tomorrow's start, a create body."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # tomorrow 09:00 China time


def body(scene, **over):
    sites = ["520100", "520200", "520300", "520400", "520500", "520600"]
    values = {
        "title": "全省视频会议",
        "kind": "provincial_video",
        "host_site_code": scene["host"].code,
        "host_room_id": scene["room"].id,
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=2)).isoformat(),
        "site_scope": "list",
        "site_codes": sites,
        "speaking_codes": sites[:2],
        "engineer_ids": [u.id for u in scene["engineers"]],
    }
    return {**values, **over}
