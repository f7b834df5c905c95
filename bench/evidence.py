"""Evidence benchmarks: --case package (the default) times the handover package and its peak
memory growth with many photos, which must not grow with the photo count (target < 150 MB);
--case national and --case demo time the 2025 assessment and the report PDFs
(bench/evidence_scale.py: targets p95 < 500 ms, the monthly report < 3 s).

A fresh SQLite database (or PostgreSQL with --db postgresql) gets one inspection per photo;
the photos are random bytes behind a JPEG header written straight into a photo store in
/tmp. Peak RSS is read from /proc/self/status (VmHWM), reset before each build through
/proc/self/clear_refs, so setup memory does not count.

    python bench/evidence.py [--photos 2000:300000,20000:5000] [--db sqlite|postgresql]
    python bench/evidence.py --case national|demo [--scale 1.0] [--db postgresql|sqlite|both]
        [--calls 20] [--runs 2] [--faults 1000] [--events 12] [--reuse]

--scale scales the national dataset (0.05 for a quick try) and the demo year (Options.scaled);
--reuse keeps the database a previous run built (xj_evidence_national / xj_evidence_demo).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import shutil
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

WORK = Path("/tmp/xj_evidence_bench")
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "xj_evidence_bench"
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


def database(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{WORK / 'bench.db'}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def make_app(url: str):
    from server import create_app
    from server.config import TestConfig

    class BenchConfig(TestConfig):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url
            self.PHOTO_STORE = str(WORK / "photos")
            self.JOB_FILES = str(WORK / "jobs")
            self.TESTING = False

    return create_app(BenchConfig)


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def load(count: int, size: int) -> None:
    """`count` photos of `size` bytes in the store, one inspection naming each."""
    from server.extensions import db
    from server.models import Inspection, User

    db.drop_all()
    db.create_all()
    user = User(username="bench", display_name="Bench", role="engineer", password_hash="x")
    db.session.add(user)
    db.session.commit()
    root = WORK / "photos"
    shutil.rmtree(root, ignore_errors=True)
    start = datetime(2025, 3, 1, tzinfo=UTC)
    rows = []
    for number in range(count):
        data = JPEG_HEAD + os.urandom(size - len(JPEG_HEAD))
        sha = hashlib.sha256(data).hexdigest()
        path = root / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        when = start + timedelta(minutes=number)
        rows.append(
            {
                "uuid": str(uuid.uuid4()),
                "user_id": user.id,
                "client_time": when,
                "server_time": when,
                "clock_skew_seconds": 0,
                "content_hash": "0" * 64,
                "tag": f"T{number:07d}",
                "inspection_kind": "quarterly",
                "outcome": "pass",
                "photos": [sha],
            }
        )
        if len(rows) == 2000:
            db.session.execute(sa.insert(Inspection), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Inspection), rows)
    db.session.commit()


def measure(count: int, size: int) -> None:
    from server import periods
    from server.services.handover import build
    from server.services.handover.verify import verify

    load(count, size)
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    before = status_kb("VmRSS")
    out = WORK / "jobs" / "bench.zip"
    started = time.perf_counter()
    build.build(periods.parse_period("term"), out)
    seconds = time.perf_counter() - started
    peak = status_kb("VmHWM")
    started = time.perf_counter()
    checked, findings = verify(out)
    verify_seconds = time.perf_counter() - started
    assert not findings, findings[0]
    print(
        f"  {count:>6} photos x {size // 1000:>3} KB: package {out.stat().st_size / 1e6:8.1f} MB "
        f"in {seconds:6.1f} s ({count / seconds:6.0f} photos/s); peak RSS growth "
        f"{(peak - before) / 1024:6.1f} MB (RSS before {before / 1024:.0f} MB); "
        f"verify {checked} files in {verify_seconds:.1f} s; load {os.getloadavg()[0]:.2f}"
    )
    out.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="package", choices=("package", "national", "demo"))
    parser.add_argument("--photos", default="2000:300000,20000:5000", help="COUNT:BYTES,...")
    parser.add_argument(
        "--db",
        choices=("sqlite", "postgresql", "both"),
        help=("default: sqlite for the package, postgresql for national and demo"),
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--calls", type=int, default=20, help="assessment calls timed")
    parser.add_argument(
        "--runs", type=int, default=2, help="builds of each report PDF timed (0: none)"
    )
    parser.add_argument("--faults", type=int, default=1000, help="national faults in 2025 (scaled)")
    parser.add_argument("--events", type=int, default=12, help="national assessment events")
    parser.add_argument("--reuse", action="store_true", help="keep the built database")
    args = parser.parse_args()
    db = args.db or ("sqlite" if args.case == "package" else "postgresql")
    kinds = ("postgresql", "sqlite") if db == "both" else (db,)
    if args.case != "package":
        from bench import evidence_scale

        os.environ.setdefault("XUNJIAN_INSTANCE", str(evidence_scale.WORK))
        for kind in kinds:
            evidence_scale.run(args.case, kind, args)
        return
    for kind in kinds:
        package(kind, args.photos)


def package(kind: str, photos: str) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    app = make_app(database(kind))
    print(f"handover package ({kind}), load average {os.getloadavg()[0]:.2f}")
    with app.app_context():
        for spec in photos.split(","):
            count, size = (int(x) for x in spec.split(":"))
            measure(count, size)
    print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
