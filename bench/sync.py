"""Sync throughput: 10,000 inspections (20 results each, 33 to a visit) pushed over HTTP in
batches of 50 records, against a plain SQLAlchemy bulk insert of the same visits and
inspections into the same database; and a 10 MB
photo upload (MB/s, server peak memory growth). On SQLite and PostgreSQL.

    PYTHONPATH=. python bench/sync.py [--records 10000] [--only sqlite|postgresql]
    PYTHONPATH=. python bench/sync.py --aged [--only ...] [--scale 1.0] [--reuse] [--as-configured]
                                     [--server werkzeug|gunicorn] [--rounds 2]
                                     [--cases 1x1,4x1,1x50,4x50]

--aged: pushes on an empty and on an aged database instead (bench/sync_aged.py).

PostgreSQL: BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/xj_sync) names
a server where a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import os
import sys
import tempfile
import time
import uuid as uuidlib
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import sync_records as rec  # noqa: E402
from tests.live_server import LiveServer, serve  # noqa: E402

BATCH = 50
ITEMS = 20
VISIT_SIZE = 33  # inspections per visit: a bureau's units
BENCH_KEY = "bench.twenty"


def add_bench_template() -> None:
    """A 20-item checklist (15 pass/fail, 5 numbers) so each inspection has ~20 results."""
    from server.extensions import db
    from server.models import ChecklistItem, ChecklistTemplate

    template = ChecklistTemplate(
        key=BENCH_KEY,
        version=1,
        device_kind="generic",
        inspection_kind="quarterly",
        name_zh="基准",
        name_en="bench",
    )
    template.items = [
        ChecklistItem(
            position=n,
            key=f"item.{n:02d}",
            section="bench",
            label_zh=f"检查项 {n}",
            label_en=f"check {n}",
            type="number" if n % 4 == 0 else "pass_fail",
            min_value=0 if n % 4 == 0 else None,
            max_value=100 if n % 4 == 0 else None,
        )
        for n in range(ITEMS)
    ]
    db.session.add(template)


def build_records(template: dict, count: int, site_codes: list[str]) -> list[dict]:
    """`count` inspections in visits of VISIT_SIZE, each visit record just before its own."""
    from server import tags

    records = []
    for n in range(count):
        if n % VISIT_SIZE == 0:
            visit = rec.visit(site_codes[(n // VISIT_SIZE) % len(site_codes)])
            records.append(visit)
        records.append(
            rec.inspection(template, tags.make_tag(100_000 + n), visit["uuid"], notes=f"bench {n}")
        )
    return records


def push_all(server: LiveServer, records: list[dict]) -> float:
    client = server.client("engineer")
    started = time.perf_counter()
    for start in range(0, len(records), BATCH):
        response = client.post_json(
            "/api/v1/sync/push", {"records": records[start : start + BATCH]}
        )
        statuses = {r["status"] for r in response.json()["results"]}
        if response.status != 200 or statuses != {"created"}:
            raise SystemExit(f"push failed: {response.status} {response.body[:300]!r}")
    return time.perf_counter() - started


def bulk_insert(url: str, template: dict, records: list[dict], user_id: int) -> float:
    """The same rows with a plain SQLAlchemy bulk insert (executemany, RETURNING ids)."""
    from server.models import Inspection, InspectionResult, Site, Visit, utcnow

    engine = sa.create_engine(url)
    now = utcnow()
    meta = {
        "user_id": user_id,
        "client_time": now,
        "server_time": now,
        "clock_skew_seconds": 0,
        "lat": 26.6,
        "lon": 106.7,
        "accuracy_m": 12.0,
        "app_version": "0.1.0",
        "content_hash": "0" * 64,
    }
    started = time.perf_counter()
    with engine.begin() as conn:
        sites = dict(conn.execute(sa.select(Site.code, Site.id)).all())
        visits = [r for r in records if r["type"] == "visit"]
        visit_ids = (
            conn.execute(
                sa.insert(Visit).returning(Visit.id, sort_by_parameter_order=True),
                [
                    {
                        **meta,
                        "uuid": str(uuidlib.uuid4()),
                        "site_id": sites[v["data"]["site_code"]],
                        "inspection_kind": "quarterly",
                        "started_at": now,
                    }
                    for v in visits
                ],
            )
            .scalars()
            .all()
        )
        visit_of = {v["uuid"]: (i, str(uuidlib.uuid4())) for v, i in zip(visits, visit_ids)}
        inspections = [r for r in records if r["type"] == "inspection"]
        for start in range(0, len(inspections), 1000):
            chunk = inspections[start : start + 1000]
            rows = [
                {
                    **meta,
                    "uuid": str(uuidlib.uuid4()),
                    "visit_id": visit_of[r["data"]["visit_uuid"]][0],
                    "visit_uuid": visit_of[r["data"]["visit_uuid"]][1],
                    "device_id": None,
                    "tag": r["data"]["tag"],
                    "template_id": template["id"],
                    "template_version": 1,
                    "inspection_kind": "quarterly",
                    "outcome": "pass",
                    "notes": r["data"]["notes"],
                    "photos": [],
                    "supersedes_uuid": None,
                }
                for r in chunk
            ]
            ids = (
                conn.execute(
                    sa.insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True),
                    rows,
                )
                .scalars()
                .all()
            )
            results = [
                {
                    "inspection_id": i,
                    "item_key": a["key"],
                    "outcome": "pass",
                    "reason": None,
                    "value_text": None,
                    "value_number": a["value"] if isinstance(a["value"], float) else None,
                    "note": None,
                    "photos": [],
                }
                for i, r in zip(ids, chunk)
                for a in r["data"]["results"]
            ]
            conn.execute(sa.insert(InspectionResult), results)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def ten_mb_png() -> bytes:
    from PIL import Image

    width, height = 1900, 1840  # random RGB does not compress: ~10 MB
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def upload(server: LiveServer, data: bytes) -> tuple[float, int, int]:
    """PUT the photo streamed in 64 KB pieces; (seconds, peak RSS growth KB, HTTP status)."""
    client = server.client("engineer")
    sha = hashlib.sha256(data).hexdigest()
    rss_before = server.rss_kb()
    server.reset_peak_rss()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    started = time.perf_counter()
    conn.putrequest("PUT", f"/api/v1/photos/{sha}")
    for name, value in (
        ("Content-Type", "image/png"),
        ("Content-Length", str(len(data))),
        ("Cookie", client.cookie_header()),
        ("X-CSRF-Token", client.csrf),
    ):
        conn.putheader(name, value)
    conn.endheaders()
    view = memoryview(data)
    for start in range(0, len(data), 65536):
        conn.send(view[start : start + 65536])
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, server.peak_rss_kb() - rss_before, response.status


def run(kind: str, count: int) -> None:
    if kind == "postgresql":
        os.environ["TEST_DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/xj_sync"
        )
    else:
        os.environ.pop("TEST_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="xj-bench-") as tmp:
        with serve(Path(tmp), seed=add_bench_template) as server:
            url = server.db_url
            client = server.client("engineer")
            pack = client.get("/api/v1/sync/pull").json()
            template = next(t for t in pack["templates"] if t["key"] == BENCH_KEY)
            site_codes = [site["code"] for site in pack["sites"]]
            records = build_records(template, count, site_codes)
            pushed = push_all(server, records)
            replayed = push_all_duplicates(server, records[:1000])
            user_id = client.get("/api/v1/auth/me").json()["user"]["id"]
            bulk = bulk_insert(url, template, records, user_id)
            push_rate, bulk_rate = count / pushed, count / bulk
            print(
                f"[{kind}] push over HTTP: {count} inspections x {ITEMS} results in "
                f"{len(records) - count} visits, {pushed:.1f} s = {push_rate:,.0f} inspections/s "
                f"(batches of {BATCH} records)"
            )
            print(f"[{kind}] replay of 1,000 already stored: {1000 / replayed:,.0f} records/s")
            print(
                f"[{kind}] plain SQLAlchemy bulk insert of the same rows: {bulk:.1f} s "
                f"= {bulk_rate:,.0f} inspections/s"
            )
            print(f"[{kind}] ratio push / bulk insert: {push_rate / bulk_rate:.2f} (target >= 0.3)")
            data = ten_mb_png()
            seconds, growth_kb, status = upload(server, data)
            mb = len(data) / 1e6
            print(
                f"[{kind}] photo upload: {mb:.1f} MB in {seconds:.2f} s = {mb / seconds:.1f} MB/s, "
                f"HTTP {status}, server peak memory growth {growth_kb / 1024:.1f} MB"
            )


def push_all_duplicates(server: LiveServer, records: list[dict]) -> float:
    client = server.client("engineer")
    started = time.perf_counter()
    for start in range(0, len(records), BATCH):
        response = client.post_json(
            "/api/v1/sync/push", {"records": records[start : start + BATCH]}
        )
        if {r["status"] for r in response.json()["results"]} != {"duplicate"}:
            raise SystemExit("replay did not answer duplicate")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument(
        "--aged", action="store_true", help="empty vs aged database, 1/4 clients x 1/50 per request"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="--aged: national history scale")
    parser.add_argument("--reuse", action="store_true", help="--aged: databases of a last run")
    parser.add_argument(
        "--server",
        choices=("werkzeug", "gunicorn"),
        default="werkzeug",
        help="--aged: the server process measured (gunicorn: PostgreSQL only)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="--aged: alternating rounds")
    parser.add_argument(
        "--cases", default="1x1,4x1,1x50,4x50", help="--aged: clients x records per request"
    )
    parser.add_argument(
        "--as-configured",
        action="store_true",
        help="--aged, PostgreSQL without autovacuum: do not analyse as autovacuum would have",
    )
    args = parser.parse_args()
    cases = tuple(tuple(int(n) for n in case.split("x")) for case in args.cases.split(","))
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            if args.aged:
                from bench import sync_aged

                sync_aged.run(
                    kind,
                    args.scale,
                    args.reuse,
                    args.server,
                    args.rounds,
                    cases,
                    stand_in=not args.as_configured,
                )
            else:
                run(kind, args.records)


if __name__ == "__main__":
    main()
