"""Coverage API and planner timings on a national-scale synthetic dataset.

3,000 bureaus, 100,000 devices, five years (20 quarters) of quarterly visits, ~1.2 million
inspections (1% of them later corrected by a superseding inspection), one checklist result
each. Loaded with bulk Core inserts (COPY on PostgreSQL) into a separate database, then
the coverage endpoints are called through the Flask test client with varied filters.

    python bench/coverage.py [--scale 1.0] [--db sqlite|postgresql|both] [--calls 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.common import make_app  # noqa: E402

SQLITE_PATH = "/tmp/xj_plans_bench.db"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "xj_plans_bench"
FIRST_QUARTER = (2021, 1)
QUARTERS = 20
PASSWORD = "copper-lantern-river-7"  # must not contain a user name (passwords.py)


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        Path(SQLITE_PATH).unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def naive(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None)


def generate(scale: float, rng: random.Random):
    """Rows for every table, as tuples keyed by table name (ids assigned here)."""
    from server.periods import day_start, quarter_dates

    n_prefectures = max(2, round(299 * scale))
    per_prefecture = 9
    n_devices = round(100_000 * scale)
    regions = [("P00", "Province", "province", "省", None, 106.7, 26.6)]
    sites = [(1, "P00", "Province bureau", "province", "P00")]
    for p in range(n_prefectures):
        lon, lat = 75 + rng.random() * 50, 20 + rng.random() * 25
        code = f"R{p:03d}00"
        regions.append((code, f"Prefecture {p}", "prefecture", "地级市", "P00", lon, lat))
        sites.append((len(sites) + 1, code, f"Prefecture bureau {p}", "prefecture", code))
        for c in range(per_prefecture):
            ccode = f"R{p:03d}{c + 1:02d}"
            regions.append(
                (
                    ccode,
                    f"County {p}-{c}",
                    "county",
                    "县",
                    code,
                    lon + rng.random(),
                    lat + rng.random(),
                )
            )
            sites.append((len(sites) + 1, ccode, f"County bureau {p}-{c}", "county", ccode))
    rooms = [(s[0], s[0], "Main conference room", "main_conference") for s in sites]
    devices = [
        (
            d + 1,
            f"B{d + 1:07d}",
            rng.randint(1, 60),
            rng.randint(1, len(sites)),
            "in_service" if rng.random() > 0.02 else "faulty",
        )
        for d in range(n_devices)
    ]
    by_site: dict[int, list[int]] = {}
    for device_id, _, _, room_id, _ in devices:
        by_site.setdefault(room_id, []).append(device_id)
    visits, inspections, results = [], [], []
    now = naive(datetime.now(UTC))
    for qi in range(QUARTERS):
        year, quarter = FIRST_QUARTER[0] + (qi + FIRST_QUARTER[1] - 1) // 4, (qi % 4) + 1
        start = day_start(quarter_dates(year, quarter)[0])
        for site in rng.sample(sites, round(len(sites) * 0.6)):
            at = naive(start + timedelta(days=rng.randint(0, 85), hours=rng.randint(1, 9)))
            visit_id = len(visits) + 1
            visits.append(
                (
                    visit_id,
                    str(uuid.uuid4()),
                    1,
                    at,
                    now,
                    0,
                    "x",
                    site[0],
                    "quarterly",
                    at,
                    at + timedelta(hours=2),
                    None,
                )
            )
            for device_id in by_site.get(site[0], []):
                if rng.random() < 0.97:
                    _inspect(
                        inspections, results, rng, visit_id, device_id, f"B{device_id:07d}", at
                    )
            if rng.random() < 0.05:
                _inspect(inspections, results, rng, visit_id, None, f"U{visit_id:07d}", at)
    return {
        "region": regions,
        "site": sites,
        "room": rooms,
        "device": devices,
        "visit": visits,
        "inspection": inspections,
        "inspection_result": results,
    }


def _inspect(inspections, results, rng, visit_id, device_id, tag, at):
    outcome = "fail" if rng.random() < 0.03 else "pass"
    row_id = len(inspections) + 1
    own_uuid = str(uuid.uuid4())
    inspections.append(
        (
            row_id,
            own_uuid,
            1,
            at,
            at,
            0,
            "x",
            visit_id,
            device_id,
            tag,
            "quarterly",
            outcome,
            "[]",
            None,
            None,
        )
    )
    results.append((len(results) + 1, row_id, "power", outcome, "[]"))
    if rng.random() < 0.01:  # a correction superseding it
        fixed = "pass" if outcome == "fail" else "fail"
        inspections.append(
            (
                row_id + 1,
                str(uuid.uuid4()),
                1,
                at,
                at,
                0,
                "x",
                visit_id,
                device_id,
                tag,
                "quarterly",
                fixed,
                "[]",
                own_uuid,
                "valid",  # its original arrived first: it takes it out of coverage
            )
        )
        results.append((len(results) + 1, row_id + 1, "power", fixed, "[]"))


COLUMNS = {
    "region": "code name level kind parent_code lon lat",
    "site": "id code name tier region_code",
    "room": "id site_id name kind",
    "device": "id tag type_id room_id status",
    "visit": (
        "id uuid user_id client_time server_time clock_skew_seconds content_hash site_id "
        "inspection_kind started_at finished_at plan_entry_id"
    ),
    "inspection": (
        "id uuid user_id client_time server_time clock_skew_seconds content_hash "
        "visit_id device_id tag inspection_kind outcome photos supersedes_uuid supersede_state"
    ),
    "inspection_result": "id inspection_id item_key outcome photos",
}


def load(db, data: dict) -> None:
    """Bulk-load the rows: COPY on PostgreSQL, executemany on SQLite."""
    from server.models import utcnow

    stamp = naive(utcnow())
    conn = db.session.connection()
    for table, rows in data.items():
        columns = COLUMNS[table].split()
        if table in ("site", "room", "device"):
            columns += ["created_at", "updated_at"]
            rows = [r + (stamp, stamp) for r in rows]
        if conn.dialect.name == "postgresql":
            raw = conn.connection.driver_connection
            with (
                raw.cursor() as cur,
                cur.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            conn.connection.driver_connection.executemany(
                f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows
            )
    if conn.dialect.name == "postgresql":
        for table in ("site", "room", "device", "visit", "inspection", "inspection_result"):
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f'(SELECT max(id) FROM "{table}"))'
                )
            )
    db.session.commit()
    analyze(db)


def analyze(db) -> None:
    """Fresh statistics (and, on PostgreSQL, the visibility map autovacuum would build)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


def timed_calls(client, urls: list[str], cold: bool = True) -> list[float]:
    """Milliseconds per call; cold: the coverage table cache is emptied before each call."""
    from server.services.coverage import summary as coverage

    times = []
    for url in urls:
        if cold:
            coverage.clear_cache()
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.get_data()[:300])
    return times


def report(label: str, times: list[float]) -> None:
    if not times:  # e.g. no whole-year range among a few --calls
        print(f"  {label:<36} n=0")
        return
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"  {label:<36} n={len(times):<3} median {statistics.median(times):7.1f} ms   "
        f"p95 {p95:7.1f} ms   max {ordered[-1]:7.1f} ms"
    )


def recompute_times(db, rng: random.Random, count: int = 20) -> list[float]:
    """Refreshing one whole visit's targets (what a visit arriving after its inspections
    costs; a push of inspections refreshes only their own rows), rolled back each time."""
    from server.services.coverage import targets as visit_targets

    visit_ids = list(db.session.scalars(sa.text("SELECT id FROM visit ORDER BY id")))
    times = []
    for visit_id in rng.sample(visit_ids, count):
        visit_targets.pending(db.session()).visits.add(visit_id)
        t0 = time.perf_counter()
        visit_targets.refresh_pending(db.session())
        times.append((time.perf_counter() - t0) * 1000)
        db.session.rollback()
    return times


def existing_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def build(db, kind: str, scale: float, rng: random.Random) -> None:
    from server.services.core import reference, users

    db.create_all()
    reference.seed_device_types()
    users.create_user("bench", "Bench", "supervisor", PASSWORD)
    for n in range(4):
        users.create_user(f"eng{n}", f"Engineer {n}", "engineer", PASSWORD)
    db.session.commit()
    t0 = time.perf_counter()
    data = generate(scale, rng)
    t1 = time.perf_counter()
    load(db, data)
    t2 = time.perf_counter()
    print(f"{kind}: generated in {t1 - t0:.1f} s, loaded in {t2 - t1:.1f} s")
    build_visit_targets(db, kind)


def build_visit_targets(db, kind: str) -> None:
    """The bulk load bypassed the ORM, so build the visit targets as `xunjian coverage
    rebuild` would (the same work migration 0006 does on an existing database)."""
    from server.services.coverage import targets as visit_targets

    t0 = time.perf_counter()
    count = visit_targets.rebuild_all(db.session())
    db.session.commit()
    analyze(db)
    print(f"{kind}: {count} visit targets built in {time.perf_counter() - t0:.1f} s")


def describe(db, kind: str) -> None:
    counts = {
        t: db.session.scalar(sa.text(f'SELECT count(*) FROM "{t}"'))
        for t in (
            "site",
            "device",
            "visit",
            "inspection",
            "inspection_result",
            "visit_target",
            "visit_tally",
        )
    }
    print(
        f"{kind}: {counts['site']} bureaus, {counts['device']} devices, {counts['visit']} "
        f"visits, {counts['inspection']} inspections, {counts['inspection_result']} results, "
        f"{counts['visit_target']} visit targets, {counts['visit_tally']} visit tallies"
    )


def stale_columns(db) -> list[str]:
    """Model columns missing from the existing database (then --reuse cannot work)."""
    inspector = sa.inspect(db.engine)
    missing = []
    for table in db.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
    return missing


def bench(kind: str, scale: float, calls: int, reuse: bool) -> None:
    rng = random.Random(2026)
    url = existing_url(kind) if reuse else fresh_database(kind)
    app = make_app(url)
    with app.app_context():
        from server.extensions import db

        if not reuse:
            build(db, kind, scale, rng)
        else:
            db.create_all()  # tables the models gained since loading
            stale = stale_columns(db)
            if stale:
                sys.exit(
                    f"{kind}: the bench database lacks {', '.join(stale)}; "
                    "run without --reuse to regenerate it"
                )
            for table in db.metadata.sorted_tables:  # indexes the models gained since loading
                for index in table.indexes:
                    index.create(db.engine, checkfirst=True)
            analyze(db)
            if not all(
                db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))
                for table in ("visit_target", "visit_tally")
            ):
                build_visit_targets(db, kind)
        describe(db, kind)
        prefectures = list(
            db.session.scalars(sa.text("SELECT code FROM region WHERE level = 'prefecture'"))
        )
        counties = list(
            db.session.scalars(sa.text("SELECT code FROM region WHERE level = 'county'"))
        )
        client = app.test_client()
        client.post("/api/v1/auth/login", json={"username": "bench", "password": PASSWORD})
        urls = []
        for i in range(calls):
            year, quarter = 2021 + (i % QUARTERS) // 4, (i % 4) + 1
            params = [f"quarter={year}Q{quarter}"]
            if i % 3 == 1:
                params.append(f"prefecture={rng.choice(prefectures)}")
            if i % 5 == 2:
                params.append(f"county={rng.choice(counties)}")
            if i % 4 == 3:
                params.append(f"device_type=L{rng.randint(1, 60):02d}")
            if i % 7 == 6:
                params = [f"from={year}-01-01", f"to={year}-12-31"]
            urls.append("&".join(params))
        timed_calls(client, ["/api/v1/coverage?quarter=2022Q1"])  # warm-up
        print(f"  load average before timing: {os.getloadavg()[0]:.2f}")
        varied = timed_calls(client, [f"/api/v1/coverage?{u}" for u in urls])
        report("GET /api/v1/coverage", varied)
        report(
            "  of which whole-year ranges",
            [t for t, u in zip(varied, urls) if u.startswith("from=")],
        )
        report(
            "  of which quarters", [t for t, u in zip(varied, urls) if not u.startswith("from=")]
        )
        report(
            "GET /api/v1/coverage (no filter)",
            timed_calls(
                client,
                [f"/api/v1/coverage?quarter=2024Q{1 + i % 4}" for i in range(min(calls, 12))],
            ),
        )
        report(
            "  + include=all four lists",
            timed_calls(
                client,
                [
                    f"/api/v1/coverage?{u}&include=missing,unexpected,failed,never_inspected"
                    for u in urls[: min(calls, 12)]
                ],
            ),
        )
        for name in ("missing", "unexpected", "failed", "never_inspected"):
            report(
                f"  + include={name}",
                timed_calls(
                    client, [f"/api/v1/coverage?{u}&include={name}" for u in urls[: min(calls, 8)]]
                ),
            )
        report(
            "GET /api/v1/coverage/map",
            timed_calls(client, [f"/api/v1/coverage/map?{u}" for u in urls[: min(calls, 12)]]),
        )
        report(
            "  map then table, same scope (cached)",
            timed_calls(
                client, [f"/api/v1/coverage?{u}" for u in urls[: min(calls, 12)]], cold=False
            ),
        )
        report(
            "GET /api/v1/coverage/sites/<code>",
            timed_calls(
                client,
                [
                    f"/api/v1/coverage/sites/{rng.choice(counties)}?quarter=2025Q4"
                    for _ in range(min(calls, 20))
                ],
            ),
        )
        report("refresh one visit's targets", recompute_times(db, rng))
        from server.services.plans import plans

        bureaus = db.session.scalar(sa.text("SELECT count(*) FROM site"))
        for size in (30, 750):
            if size > bureaus:  # a small --scale
                continue
            t0 = time.perf_counter()
            plan = plans.create_quarterly_plan("2026Q1", size=size, seed=1)
            elapsed = (time.perf_counter() - t0) * 1000
            print(
                f"  planner 2026Q1 size {size:<4} {elapsed:8.1f} ms "
                f"({sum(e.required for e in plan.entries)} rotation entries)"
            )
            db.session.rollback()
        print(f"  load average after timing: {os.getloadavg()[0]:.2f}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the database a previous run generated (no regeneration)",
    )
    args = parser.parse_args()
    os.environ.setdefault("XUNJIAN_INSTANCE", "/tmp/xj-plans-bench")
    kinds = ("postgresql", "sqlite") if args.db == "both" else (args.db,)
    for kind in kinds:
        bench(kind, args.scale, args.calls, args.reuse)


if __name__ == "__main__":
    main()
