"""The demo year: a deterministic simulated 2025 on top of the demo province (docs/demo.md).

Everything goes through the services real records use: plans from the planner, the phones'
visits, inspections, faults, fault steps and swaps through the sync push (with the phone's
clock, a server clock, GPS), the office's steps through the fault and RMA services, photos
through the photo store. The same seed gives the same year.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from server.services.assessment.demo import add_demo_events
from server.services.demo_year.meetings import add_demo_meetings
from server.services.demo_year.year import Options, Year, run

# Hooks run after the year, in order, with the Year (its rng, users, counts): other features
# add their demo records here, through their own services (the meetings before the events).
DEMO_YEAR_EXTRAS: list[Callable[[Year], None]] = [add_demo_meetings, add_demo_events]


def seed_demo_year(options: Options | None = None) -> dict:
    """Simulate the year into the demo province; returns the counts and the seconds it took."""
    started, cpu = time.perf_counter(), time.process_time()
    year = run(options or Options())
    for extra in DEMO_YEAR_EXTRAS:
        extra(year)
    counts = dict(sorted(year.counts.items()))
    counts["records_pushed"] = sum(phone.pushed for phone in year.phones.values())
    counts["photos_new"] = year.photos.fresh + len(year.photos.pool)
    return {
        "year": year.options.year,
        "counts": counts,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,  # steadier than wall time on a busy machine
    }


__all__ = ["DEMO_YEAR_EXTRAS", "Options", "seed_demo_year"]
