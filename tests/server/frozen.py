"""Frozen time for fault tests: every fault service reads the clock through faults.current_time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))


def cst(*args: int) -> datetime:
    """A China Standard Time wall-clock moment as an aware UTC datetime."""
    return datetime(*args, tzinfo=CST).astimezone(UTC)


class FrozenClock:
    """Replaces server.services.faults.lifecycle.current_time; move it with advance() or set()."""

    def __init__(self, monkeypatch, at: datetime):
        from server.services.faults import lifecycle as faults

        self.now = at
        monkeypatch.setattr(faults, "current_time", lambda: self.now)

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, at: datetime) -> datetime:
        self.now = at
        return at
