"""Hand-over file size: an engineer offline for a week (5 visits a day for 5 days, 12
inspections each, 4 photos of ~300 KB per visit) exports one file (tests/handfile_maker.py,
as the phone makes it); it is imported through the service (handfile_import.import_file) on
SQLite and PostgreSQL. Prints the file's size, the import's time, its peak memory (the
process's peak RSS over its RSS before, and tracemalloc's peak of the verification alone) and the load average.

    PYTHONPATH=. python bench/handfile.py [--days 5] [--visits 5] [--only sqlite|postgresql]

PostgreSQL: BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres) names
a server where a scratch database is created and dropped. The import runs in a child process
of its own, so its RSS figures are its own.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import sync_records as rec  # noqa: E402
from tests.live_server import PASSWORD, create_pg_database, prepare_database  # noqa: E402

INSPECTIONS, PHOTOS, PHOTO_KB = 12, 4, 300
PHONE = "p-0123456789abcdef0123beef"


def photo(n: int) -> bytes:
    """A JPEG of ~PHOTO_KB (noise does not compress), different for each n."""
    from PIL import Image

    side = 400
    while True:
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=70)
        if out.tell() >= PHOTO_KB * 1000:
            return out.getvalue()
        side += 40


def build_file(app, days: int, visits: int) -> bytes:
    """The week's file, signed with a key the server issued at a sign-in from the phone."""
    import sqlalchemy as sa

    from server import tags
    from server.extensions import db
    from server.models import User
    from tests import handfile_maker

    client = app.test_client()
    answer = client.post(
        "/api/v1/auth/login",
        json={"username": "engineer", "password": PASSWORD, "phone_id": PHONE},
    ).get_json()
    pack = client.get("/api/v1/sync/pull").get_json()
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    sites = [s["code"] for s in pack["sites"]]
    records, photos = [], []
    for n in range(days * visits):
        visit = rec.visit(sites[n % len(sites)])
        shots = [photo(n * PHOTOS + k) for k in range(PHOTOS)]
        photos += shots
        records.append(visit)
        for i in range(INSPECTIONS):
            tag = tags.make_tag(200_000 + n * INSPECTIONS + i)
            inspection = rec.inspection(template, tag, visit["uuid"], tag_source="camera")
            if i < PHOTOS:
                inspection["data"]["photos"] = [hashlib.sha256(shots[i]).hexdigest()]
            records.append(inspection)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "engineer"))
        return handfile_maker.make(answer["phone_key"], user, records, photos)


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def reset_peak() -> None:
    """Start the peak RSS (VmHWM) again from now: ru_maxrss would keep the forking parent's."""
    Path("/proc/self/clear_refs").write_text("5")


def child(url: str, path: str, photos: str) -> None:
    """Import the file once (timed, RSS), then verify it again under tracemalloc; print JSON."""
    from bench.common import make_app
    from server.extensions import db
    from server.services.sync import handfile, handfile_import

    app = make_app(url)
    app.config["PHOTO_STORE"] = photos
    with app.app_context():
        # A one-visit file first: the modules and caches an import loads on first use are
        # loaded before the figures (the growth is then the file's, not the process's).
        with open(f"{path}.warm", "rb") as stream:
            streams = hasattr(handfile.Verified, "close")
            handfile_import.import_file(stream if streams else stream.read(), None)
        db.session.commit()
        reset_peak()
        before = status_kb("VmRSS")
        started = time.perf_counter()
        streams = hasattr(handfile.Verified, "close")  # else the bytes-in-memory import
        with open(path, "rb") as stream:
            source = stream if streams else stream.read()
            run = handfile_import.import_file(source, None, Path(path).name)
        db.session.commit()
        seconds = time.perf_counter() - started
        peak = status_kb("VmHWM")
        created, total = run.created, run.records
        if created != total:
            raise SystemExit(f"not all created: {handfile_import.results_of(run)[-1]}")
        tracemalloc.start()
        with open(path, "rb") as stream:
            found = handfile.read_export(stream if streams else stream.read())
            getattr(found, "close", lambda: None)()
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rss_before_kb": before,
                "peak_rss_kb": peak,
                "verify_traced_kb": traced // 1024,
                "created": created,
                "records": total,
            }
        )
    )


def run(kind: str, days: int, visits: int) -> None:
    from bench.common import make_app

    with tempfile.TemporaryDirectory(prefix="xj-handfile-") as tmp:
        drop = lambda: None  # noqa: E731
        if kind == "postgresql":
            import sqlalchemy as sa

            base = os.environ.get(
                "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
            )
            url, drop = create_pg_database(sa.engine.make_url(base))
        else:
            url = f"sqlite:///{tmp}/bench.db"
        try:
            prepare_database(url)
            made = time.perf_counter()
            data = build_file(make_app(url), days, visits)
            made = time.perf_counter() - made
            path = Path(tmp) / "week.xjsync"
            path.write_bytes(data)
            del data
            Path(f"{path}.warm").write_bytes(build_file(make_app(url), 1, 1))
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, str(path), f"{tmp}/photos"],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            report(kind, path.stat().st_size, made, figures)
        finally:
            drop()


def report(kind: str, size: int, made: float, f: dict) -> None:
    mb = size / 1e6
    growth = (f["peak_rss_kb"] - f["rss_before_kb"]) / 1024
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"[{kind}] file {mb:.1f} MB ({f['records']} records), made in {made:.1f} s")
    print(
        f"[{kind}] import {f['seconds']:.1f} s ({f['created']} created), peak RSS "
        f"{f['peak_rss_kb'] / 1024:.0f} MB, growth {growth:.0f} MB = {growth / (size / 2**20):.2f}"
        f" x the file; verification alone traced peak {f['verify_traced_kb'] / 1024:.1f} MB"
    )
    print(f"[{kind}] load average {load}")


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        return child(*sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--visits", type=int, default=5, help="visits a day")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            run(kind, args.days, args.visits)


if __name__ == "__main__":
    main()
