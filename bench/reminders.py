"""The reminder scheduler's minute: 1,200 open faults and a province's quarterly plan evaluated
by one tick (target < 1 s on PostgreSQL), and the delay from a clock crossing its threshold to
the message at a local WeCom receiver (target < 90 s with the one-minute schedule).

Seeds the province's reference data, 1,200 units each with an open fault reported at spread
times (so every tick finds clocks near their thresholds), the quarter's sampling plan and one
WeCom channel pointing at a local robot receiver, then runs ticks at simulated minutes:

- **tick**: wall and CPU time to evaluate every rule and queue what is new (the first tick
  apart: it queues the backlog), and the time per message sent;
- **delay**: a fault reported at a random second; its 5-minute mark falls between two ticks;
  the message arrives at the next tick: delay = time to that tick + its duration.

    python bench/reminders.py [--db-url URL] [--ticks 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import make_app  # noqa: E402

FAULTS = 1200
START = datetime(2025, 3, 12, 2, 0, tzinfo=UTC)  # a working Wednesday, 10:00 China time


def seed(robots) -> None:
    from server.extensions import db
    from server.services.core import reference, users
    from server.services.faults.lifecycle import create_fault
    from server.services.plans import plans
    from server.services.reminders import admin
    from tests.conftest import Factories

    db.drop_all()
    db.create_all()
    sites = reference.seed_regions_and_sites()
    reference.seed_rooms(sites)
    reference.seed_device_types()
    reference.seed_checklists()
    boss = users.create_user("bench-admin", "Bench", "admin", "correct-horse-9")
    engineer = users.create_user("bench-eng", "Bench", "engineer", "correct-horse-9")
    factory = Factories()
    rooms = [room for site in sites for room in site.rooms]
    rng = random.Random(7)
    for n in range(FAULTS):
        device = factory.device("L09", room=rooms[n % len(rooms)])
        reported = START - timedelta(seconds=rng.randrange(0, 6 * 3600))
        create_fault(tag=device.tag, description=f"bench {n}", user=engineer, reported_at=reported)
    plans.create_plan("quarterly", "2025Q1", seed=7, size=30, user=boss)
    admin.save_channel(None, boss, name="bench", kind="wecom", url=robots.wecom_url())
    db.session.commit()


def ticks(count: int) -> list[tuple[float, float, float, dict]]:
    """Each tick as run.tick() does it, timed in two parts: (evaluate and queue wall, its CPU,
    send wall, the figures)."""
    from server.extensions import db
    from server.services.reminders import outbox, rules

    out = []
    for minute in range(count):
        now = START + timedelta(minutes=minute)
        wall, cpu = time.perf_counter(), time.process_time()
        events = rules.evaluate(now, outbox.known)
        offered = outbox.queue(events, now)
        db.session.commit()
        evaluated, evaluated_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall = time.perf_counter()
        sent = outbox.send_due(now)
        out.append(
            (
                evaluated,
                evaluated_cpu,
                time.perf_counter() - wall,
                {"events": len(events), "offered": offered, **sent},
            )
        )
    return out


def delay(robots, minute: int) -> float:
    """A new fault crossing its 5-minute mark mid-minute; seconds until its message arrives."""
    from server.extensions import db
    from server.models import Device
    from server.services.core import users
    from server.services.faults.lifecycle import create_fault
    from server.services.reminders import run

    device = db.session.query(Device).first()
    engineer = users.create_user(f"late-{minute}", "Late", "engineer", "correct-horse-9")
    tick_at = START + timedelta(minutes=minute)
    crossing = tick_at - timedelta(seconds=random.Random(minute).uniform(1, 59))
    fault = create_fault(
        tag=device.tag,
        description="delay probe",
        user=engineer,
        reported_at=crossing - timedelta(minutes=5),
    )
    db.session.commit()
    before = len(robots.messages)
    began = time.perf_counter()
    run.tick(tick_at)
    took = time.perf_counter() - began
    arrived = any(f"#{fault.id}" in b["markdown"]["content"] for _, b in robots.messages[before:])
    assert arrived, "the probe's message did not arrive"
    return (tick_at - crossing).total_seconds() + took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--ticks", type=int, default=20)
    args = parser.parse_args()
    from tests.server.reminders.receivers import Robots

    url = args.db_url or f"sqlite:///{tempfile.mkdtemp()}/reminders.db"
    app = make_app(url)
    with Robots() as robots, app.app_context():
        seed(robots)
        runs = ticks(args.ticks)
        first, rest = runs[0], runs[1:]
        walls = sorted(r[0] for r in rest)
        p95 = walls[int(0.95 * (len(walls) - 1))]
        sends = [(r[2], r[3]["sent"]) for r in runs if r[3]["sent"]]
        delays = [delay(robots, args.ticks + n) for n in range(5)]
    print(f"database: {url.split('://')[0]}; {FAULTS} open faults; load average {os.getloadavg()}")
    print(f"first tick: evaluate+queue {first[0]:.2f} s wall ({first[1]:.2f} s CPU), {first[3]}")
    print(
        f"later ticks, evaluate+queue: median {statistics.median(walls):.3f} s, p95 {p95:.3f} s "
        f"wall; CPU median {statistics.median(r[1] for r in rest):.3f} s (target < 1 s)"
    )
    per_message = sum(w for w, _ in sends) / max(1, sum(n for _, n in sends))
    print(
        f"sending: {sum(n for _, n in sends)} messages to the local robot, "
        f"{per_message * 1000:.1f} ms each (claim, HTTP, record, commit)"
    )
    print(
        f"threshold to message: max {max(delays):.1f} s, median {statistics.median(delays):.1f} s "
        f"(target < 90 s)"
    )


if __name__ == "__main__":
    main()
