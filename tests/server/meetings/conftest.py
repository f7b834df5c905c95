"""Meeting test scene: two engineers, a supervisor, the province bureau's main room, a frozen clock."""

from __future__ import annotations

import pytest

from server.services.meetings import meetings
from tests.server.meetings.helpers import NOW


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(meetings, "current_time", lambda: NOW)


@pytest.fixture
def scene(reference_data, factory, auth, clock):
    engineers = [factory.user("engineer"), factory.user("engineer")]
    boss = auth("supervisor")
    host = reference_data["sites"]["520000"]
    room = reference_data["rooms"][("520000", "main_conference")]
    return {"engineers": engineers, "boss": boss, "host": host, "room": room}


from tests.server.meetings.log_helpers import log_scene  # noqa: E402, F401  (meeting log tests)
