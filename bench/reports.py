"""Time each report PDF on the demo province with a busy month; prints figures with the load
average. Target (issue 14): the monthly report PDF in under 3 s. Rendering is one thread, so
the process CPU time printed beside the wall time is what an idle core would take: on a shared,
busy machine the wall time mostly measures the queue for the cores.

Usage: python bench/reports.py [runs=5] [database URL, default in-memory SQLite]
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# The project first: bench/labels.py must not stand in for the labels package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MONTH, QUARTER = "2025-12", "2025Q4"
START = datetime(2025, 12, 1, 1, 0, tzinfo=UTC)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if len(sys.argv) > 2:
        os.environ["TEST_DATABASE_URL"] = sys.argv[2]
    from server import create_app
    from server.config import TestConfig
    from server.extensions import db

    app = create_app(TestConfig)
    with tempfile.TemporaryDirectory() as photos, app.app_context():
        app.config["PHOTO_STORE"] = photos
        db.drop_all()
        db.create_all()
        facts = _seed()
        db.session.commit()
        print(f"bench/reports.py on {db.engine.dialect.name}: {facts}")
        _measure(runs)
        db.session.remove()
        db.drop_all()


def _photo(rng: random.Random) -> str:
    """A ~300 KB JPEG of noise (the size of a phone photo after the app's downscale)."""
    import hashlib

    from PIL import Image

    from server.services.core.photo_store import get_store

    image = Image.frombytes("RGB", (640, 480), rng.randbytes(640 * 480 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    get_store().put_stream(sha, io.BytesIO(data), len(data) + 1)
    return sha


def _seed() -> str:
    """The demo province; a monthly inspection of every province-bureau unit (one in eight
    failing an item, with two photos), a daily check every working day, 40 faults, Q4 visits."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Device, InspectionResult, Room, Site, User
    from server.services.demo import seed_demo
    from server.services.faults import lifecycle as faults
    from server.services.plans import plans
    from tests.server.plans_helpers import FieldFactory

    seed_demo()
    rng = random.Random(14)
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    province = plans.province_bureau()
    units = db.session.scalars(
        sa.select(Device).join(Room).where(Room.site_id == province.id)
    ).all()
    field = FieldFactory()
    visit = field.visit(province, engineer, START + timedelta(days=9), kind="monthly")
    failed = 0
    for unit in units:
        bad = rng.random() < 1 / 8
        inspection = field.inspection(visit, unit, outcome="fail" if bad else "pass")
        if bad:
            failed += 1
            shas = [_photo(rng), _photo(rng)]
            db.session.add(
                InspectionResult(
                    inspection=inspection, item_key="image", outcome="fail", photos=shas
                )
            )
    for day in range(31):
        if (START + timedelta(days=day)).weekday() < 5:
            field.visit(province, engineer, START + timedelta(days=day), kind="daily")
    tags = db.session.scalars(sa.select(Device.tag).where(Device.status == "in_service")).all()
    for _ in range(40):
        reported = START + timedelta(minutes=rng.randrange(30 * 24 * 60))
        fault = faults.create_fault(
            tag=rng.choice(tags), description="画面卡顿", user=engineer, reported_at=reported
        )
        faults.add_step(
            fault, "responded", reported + timedelta(minutes=rng.randrange(40)), engineer
        )
        if rng.random() < 0.9:
            faults.add_step(
                fault,
                "resolved",
                reported + timedelta(minutes=rng.randrange(60, 300)),
                engineer,
                resolution="更换线缆",
            )
    sites = db.session.scalars(sa.select(Site).where(Site.tier == "county")).all()
    for site in rng.sample(sites, 30):
        field.visit(site, engineer, START - timedelta(days=rng.randrange(60)))
    return f"{len(units)} province-bureau units inspected, {failed} failing with photos, 40 faults"


def _measure(runs: int) -> None:
    from server.services.reports import photos, registry, render

    for kind, period in (
        ("inspection_monthly", MONTH),
        ("faults_monthly", MONTH),
        ("sampling_quarterly", QUARTER),
    ):
        registry.render_report(kind, period)  # warm: fonts and templates load once per process
        times, parts, cpu, size = [], [], [], 0
        for _ in range(runs):
            photos._jpeg.cache_clear()  # every run downscales its photos again
            started, cpu_started = time.perf_counter(), time.process_time()
            html = registry.report_html(kind, period, for_pdf=True)
            built = time.perf_counter()
            size = len(render.render_pdf(html))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            parts.append(built - started)
        print(
            f"{kind:<20} {period}: median {statistics.median(times):.2f} s "
            f"(records, photos and HTML {statistics.median(parts):.2f} s), "
            f"max {max(times):.2f} s over {runs} runs; CPU {statistics.median(cpu):.2f} s "
            f"(single-threaded: the wall time of an idle core); {size / 1024:,.0f} KiB"
        )
    with open("/proc/loadavg") as fh:
        print(f"load average: {fh.read().strip()}")


if __name__ == "__main__":
    main()
