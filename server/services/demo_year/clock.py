"""The simulated year's clocks: China-time moments, phones that push through the sync service,
and the office's clock while it records steps (faults.current_time, the services' one clock)."""

from __future__ import annotations

import contextlib
import random
import uuid as uuidlib
from datetime import date, datetime, timedelta

from server import periods
from server.errors import AppError
from server.models import Region, User
from server.services.faults import lifecycle as fault_service
from server.services.sync import engine as sync


def china(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC instant at hour:minute China time on a day."""
    return periods.day_start(day) + timedelta(hours=hour, minutes=minute)


def iso(at: datetime) -> str:
    return at.isoformat()


@contextlib.contextmanager
def office_clock(now: datetime):
    """The office records a step at `now`: the services stamp it as their server time."""
    saved = fault_service.current_time
    fault_service.current_time = lambda: now
    try:
        yield
    finally:
        fault_service.current_time = saved


class DemoError(RuntimeError):
    """A simulated record the services refused: the demo year is wrong, not the data."""


class Phone:
    """One engineer's phone: records with the phone's clock and GPS, pushed in batches."""

    def __init__(self, user: User, rng: random.Random, skew_seconds: int = 0):
        self.user, self.rng, self.skew = user, rng, timedelta(seconds=skew_seconds)
        self.outbox: list[dict] = []
        self.pushed = 0

    def new_uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def record(self, rtype: str, at: datetime, data: dict, region: Region | None) -> str:
        """Queue a record made at `at` (real time; the phone's clock may be off by its skew)."""
        uuid = self.new_uuid()
        position = None
        if region is not None and region.lat is not None:
            position = {
                "lat": round(region.lat + self.rng.uniform(-0.004, 0.004), 6),
                "lon": round(region.lon + self.rng.uniform(-0.004, 0.004), 6),
                "accuracy": round(self.rng.uniform(5, 35), 1),
            }
        self.outbox.append(
            {
                "uuid": uuid,
                "type": rtype,
                "client_time": iso(at + self.skew),
                "app_version": "0.9.0-demo",
                "position": position,
                "data": data,
            }
        )
        return uuid

    def send(self, at: datetime) -> None:
        """Push the outbox as the server receives it at `at` (the phone's clock says at + skew),
        never before the newest record in it was made."""
        if not self.outbox:
            return
        records, self.outbox = self.outbox, []
        newest = max(datetime.fromisoformat(r["client_time"]) for r in records) - self.skew
        at = max(at, newest + timedelta(minutes=1))
        try:
            with office_clock(at):  # the fault services stamp their server time from it too
                answer = sync.push(self.user, records, sent_at=at + self.skew, now=at)
        except AppError as exc:
            raise DemoError(f"demo push refused: {exc.message} {exc.errors}") from exc
        refused = [r for r in answer["results"] if r["status"] == "rejected"]
        if refused:
            raise DemoError(f"demo records rejected: {refused[:3]}")
        self.pushed += len(records)
