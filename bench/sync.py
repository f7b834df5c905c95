"""Sync throughput: 10,000 inspections (20 results each) pushed over HTTP in batches of 50,
against a plain SQLAlchemy bulk insert of the same rows into the same database; and a 10 MB
photo upload (MB/s, server peak memory growth). On SQLite and PostgreSQL.

    PYTHONPATH=. python bench/sync.py [--records 10000] [--only sqlite|postgresql]

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
BENCH_KEY = "bench.twenty"


def add_bench_template() -> None:
    """A 20-item checklist (15 pass/fail, 5 numbers) so each inspection has ~20 results."""
    from server.extensions import db
    from server.models import ChecklistItem, ChecklistTemplate

    template = ChecklistTemplate(key=BENCH_KEY, version=1, device_kind="generic",
                                 inspection_kind="quarterly", name_zh="基准", name_en="bench")
    template.items = [ChecklistItem(
        position=n, key=f"item.{n:02d}", section="bench", label_zh=f"检查项 {n}",
        label_en=f"check {n}", type="number" if n % 4 == 0 else "pass_fail",
        min_value=0 if n % 4 == 0 else None, max_value=100 if n % 4 == 0 else None)
        for n in range(ITEMS)]
    db.session.add(template)


def build_records(template: dict, count: int) -> list[dict]:
    from server import tags

    return [rec.inspection(template, tags.make_tag(100_000 + n), notes=f"bench {n}")
            for n in range(count)]


def push_all(server: LiveServer, records: list[dict]) -> float:
    client = server.client("engineer")
    started = time.perf_counter()
    for start in range(0, len(records), BATCH):
        response = client.post_json("/api/v1/sync/push", {"records": records[start:start + BATCH]})
        statuses = {r["status"] for r in response.json()["results"]}
        if response.status != 200 or statuses != {"created"}:
            raise SystemExit(f"push failed: {response.status} {response.body[:300]!r}")
    return time.perf_counter() - started


def bulk_insert(url: str, template: dict, records: list[dict], user_id: int) -> float:
    """The same rows with a plain SQLAlchemy bulk insert (executemany, RETURNING ids)."""
    from server.models import Inspection, InspectionResult, utcnow

    engine = sa.create_engine(url)
    now = utcnow()
    started = time.perf_counter()
    with engine.begin() as conn:
        for start in range(0, len(records), 1000):
            chunk = records[start:start + 1000]
            rows = [{"uuid": str(uuidlib.uuid4()), "user_id": user_id, "client_time": now,
                     "server_time": now, "clock_skew_seconds": 0, "lat": 26.6, "lon": 106.7,
                     "accuracy_m": 12.0, "app_version": "0.1.0", "content_hash": "0" * 64,
                     "visit_uuid": None, "device_id": None, "tag": r["data"]["tag"],
                     "template_id": template["id"], "template_version": 1,
                     "inspection_kind": "quarterly", "outcome": "pass",
                     "notes": r["data"]["notes"], "photos": [], "supersedes_uuid": None}
                    for r in chunk]
            ids = conn.execute(sa.insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True),
                               rows).scalars().all()
            results = [{"inspection_id": i, "item_key": a["key"], "outcome": "pass",
                        "reason": None, "value_text": None,
                        "value_number": a["value"] if isinstance(a["value"], float) else None,
                        "note": None, "photos": []}
                       for i, r in zip(ids, chunk) for a in r["data"]["results"]]
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
    for name, value in (("Content-Type", "image/png"), ("Content-Length", str(len(data))),
                        ("Cookie", client.cookie_header()), ("X-CSRF-Token", client.csrf)):
        conn.putheader(name, value)
    conn.endheaders()
    view = memoryview(data)
    for start in range(0, len(data), 65536):
        conn.send(view[start:start + 65536])
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, server.peak_rss_kb() - rss_before, response.status


def run(kind: str, count: int) -> None:
    if kind == "postgresql":
        os.environ["TEST_DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/xj_sync")
    else:
        os.environ.pop("TEST_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="xj-bench-") as tmp:
        with serve(Path(tmp), seed=add_bench_template) as server:
            url = server.db_url
            client = server.client("engineer")
            pack = client.get("/api/v1/sync/pull").json()
            template = next(t for t in pack["templates"] if t["key"] == BENCH_KEY)
            records = build_records(template, count)
            pushed = push_all(server, records)
            replayed = push_all_duplicates(server, records[:1000])
            user_id = client.get("/api/v1/auth/me").json()["user"]["id"]
            bulk = bulk_insert(url, template, records, user_id)
            push_rate, bulk_rate = count / pushed, count / bulk
            print(f"[{kind}] push over HTTP: {count} inspections x {ITEMS} results in {pushed:.1f} s "
                  f"= {push_rate:,.0f} records/s (batches of {BATCH})")
            print(f"[{kind}] replay of 1,000 already stored: {1000 / replayed:,.0f} records/s")
            print(f"[{kind}] plain SQLAlchemy bulk insert of the same rows: {bulk:.1f} s "
                  f"= {bulk_rate:,.0f} records/s")
            print(f"[{kind}] ratio push / bulk insert: {push_rate / bulk_rate:.2f} (target >= 0.3)")
            data = ten_mb_png()
            seconds, growth_kb, status = upload(server, data)
            mb = len(data) / 1e6
            print(f"[{kind}] photo upload: {mb:.1f} MB in {seconds:.2f} s = {mb / seconds:.1f} MB/s, "
                  f"HTTP {status}, server peak memory growth {growth_kb / 1024:.1f} MB")


def push_all_duplicates(server: LiveServer, records: list[dict]) -> float:
    client = server.client("engineer")
    started = time.perf_counter()
    for start in range(0, len(records), BATCH):
        response = client.post_json("/api/v1/sync/push", {"records": records[start:start + BATCH]})
        if {r["status"] for r in response.json()["results"]} != {"duplicate"}:
            raise SystemExit("replay did not answer duplicate")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql"):
        if args.only in (None, kind):
            run(kind, args.records)


if __name__ == "__main__":
    main()
