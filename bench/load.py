"""The whole province syncing at once: a bounded Locust run (bench/load_users.py), then a check
that the server holds every acknowledged record exactly once and every photo byte-identical, and
a plain bulk insert of as many inspections in the same database as the baseline.

    PYTHONPATH=. python bench/load.py --base-url https://127.0.0.1:8443 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1/xj_prod [--users 50] [--seconds 60]
    PYTHONPATH=. python bench/load.py --local [--users 20] [--seconds 30]
    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/xj_load \
        PYTHONPATH=. python bench/load.py --prod [--users 50] [--seconds 60]

--base-url: a running deployment (e.g. the production shape of docs/deploy.md); its admin signs in
with --admin/--admin-password and creates the run's engineers. --local: gunicorn (2 workers) on
a fresh demo-province database (TEST_DATABASE_URL when set, else SQLite), no nginx. --prod: the
production shape of tests/prod_stack.py on this machine (nginx with TLS, two gunicorn servers, the
worker, Redis) on a fresh PostgreSQL database, photos on a SeaweedFS bucket (tests/s3_server.py).
Prints p50/p95/p99 push latency, records/s, photo MB/s, errors, lost, duplicated and the load
average; exits 1 when an error, a loss or a duplicate was found.

Two ingest / bulk ratios, which measure different things:
- mixed run: the Locust run's inspection rate (engineers who also pull, upload photos and wait
  between visits, so it is bounded by the users' pace and the photos' CPU, not by ingest)
  over a plain bulk insert of as many 20-result inspections;
- push-only phase (the issue's measure, as bench/sync.py takes it): after the Locust run,
  --push-clients engineers push batches of 50 inspections of a real checklist (a visit
  record every 33) without photos and without pauses for --push-seconds, through the same
  nginx and servers; their inspection rate over a plain bulk insert of the very same rows
  into the same database, right after.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid as uuidlib
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import PASSWORD, HttpClient  # noqa: E402

TABLES = {"visit": "visit", "inspection": "inspection"}


def insecure() -> ssl.SSLContext:
    return ssl._create_unverified_context()  # the local certificate of this machine's run


def https_client(base_url: str) -> HttpClient:
    """A signed-in-capable client that also takes this machine's local certificate."""
    client = HttpClient(base_url)
    client.opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(client.jar),
        urllib.request.HTTPSHandler(context=insecure()),
    )
    return client


def make_accounts(base_url: str, admin: str, password: str, count: int) -> list[dict]:
    """`count` engineers of this run, created by the admin (their names say which run)."""
    client = https_client(base_url)
    client.login(admin, password)
    run = uuidlib.uuid4().hex[:6]
    accounts = []
    for n in range(count):
        username = f"load-{run}-{n:02d}"
        created = client.post_json(
            "/api/v1/users",
            {
                "username": username,
                "display_name": f"压测工程师 {n:02d}",
                "role": "engineer",
                "password": PASSWORD,
            },
        )
        if created.status != 201:
            raise SystemExit(f"creating {username}: HTTP {created.status} {created.body[:300]!r}")
        accounts.append({"username": username})
    return accounts


def run_locust(base_url: str, plan: Path, users: int, seconds: int, out: Path) -> None:
    """Locust headless, bounded: spawn all users within a fifth of the run, stop after `seconds`."""
    locust = str(Path(sys.executable).with_name("locust"))
    command = [
        locust, "-f", str(ROOT / "bench" / "load_users.py"), "--headless",
        "-u", str(users), "-r", str(max(1, users // max(1, seconds // 5))),
        "-t", f"{seconds}s", "--host", base_url, "--csv", str(out / "locust"),
        "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(os.environ, XJ_LOAD_PLAN=str(plan), PYTHONWARNINGS="ignore")
    subprocess.run(command, env=env, timeout=seconds + 120, check=False, cwd=ROOT)


def read_journal(folder: Path) -> tuple[list[dict], list[dict]]:
    rows = [
        json.loads(line)
        for path in folder.glob("journal-*.jsonl")
        for line in path.read_text().splitlines()
    ]
    return [r for r in rows if r["kind"] == "record"], [r for r in rows if r["kind"] == "photo"]


def stored_counts(database_url: str, records: list[dict]) -> dict[str, int]:
    """How many rows each acknowledged uuid has in its table (exactly one expected)."""
    engine = sa.create_engine(database_url)
    found: dict[str, int] = {}
    with engine.connect() as conn:
        for rtype, table in TABLES.items():
            uuids = sorted({r["uuid"] for r in records if r["type"] == rtype})
            for start in range(0, len(uuids), 1000):
                chunk = uuids[start : start + 1000]
                rows = conn.execute(
                    sa.text(f"select uuid, count(*) from {table} where uuid in :u group by uuid")
                    .bindparams(sa.bindparam("u", expanding=True)),
                    {"u": chunk},
                ).all()  # fmt: skip
                found.update({str(u): n for u, n in rows})
    engine.dispose()
    return found


def photo_mismatches(base_url: str, account: str, photos: list[dict]) -> list[str]:
    """Photos whose bytes read back through the server do not hash to their name."""
    client = https_client(base_url)
    client.login(account)
    bad = []
    for sha in sorted({p["sha256"] for p in photos}):
        answer = client.get(f"/api/v1/photos/{sha}")
        if answer.status != 200 or hashlib.sha256(answer.body).hexdigest() != sha:
            bad.append(sha)
    return bad


def locust_stats(out: Path) -> dict[str, dict]:
    with (out / "locust_stats.csv").open() as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def bulk_baseline(database_url: str, count: int) -> float:
    """Inspections/s of a plain bulk insert of `count` 20-result inspections, same database."""
    from bench.sync import build_records, bulk_insert

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        template_id = conn.execute(sa.text("select min(id) from checklist_template")).scalar()
        user_id = conn.execute(sa.text('select min(id) from "user"')).scalar()
        codes = [c for (c,) in conn.execute(sa.text("select code from site limit 50"))]
    engine.dispose()
    items = [{"key": f"item.{n:02d}", "type": "pass_fail"} for n in range(20)]
    template = {"id": template_id, "version": 1, "inspection_kind": "quarterly", "items": items}
    records = build_records(template, count, codes)
    return count / bulk_insert(database_url, template, records, user_id)


def push_only(base_url: str, accounts: list[dict], clients: int, seconds: int) -> dict:
    """Batches of 50 pushed back to back by `clients` engineers for `seconds`: what was sent
    (records, all answered `created`), inspections, elapsed seconds and request latencies."""
    from bench.sync import BATCH, build_records

    probe = https_client(base_url)
    probe.login(accounts[0]["username"])
    pack = probe.get("/api/v1/sync/pull").json()
    template = max(  # the longest quarterly checklist (bench/sync.py's have 20 items)
        (t for t in pack["templates"] if t["inspection_kind"] == "quarterly"),
        key=lambda t: len(t["items"]),
    )
    codes = [site["code"] for site in pack["sites"] if site["tier"] != "store"]
    plans = [build_records(template, 4000, codes) for _ in range(clients)]
    done: list[list[dict]] = [[] for _ in range(clients)]
    latencies: list[float] = []
    failures: list[str] = []
    stop_at = time.monotonic() + seconds

    def pusher(n: int) -> None:
        client = https_client(base_url)
        client.login(accounts[n % len(accounts)]["username"])
        for start in range(0, len(plans[n]), BATCH):
            if time.monotonic() >= stop_at:
                return
            batch = plans[n][start : start + BATCH]
            began = time.perf_counter()
            answer = client.post_json("/api/v1/sync/push", {"records": batch}, timeout=120)
            latencies.append(time.perf_counter() - began)
            statuses = (
                {r["status"] for r in answer.json()["results"]} if answer.status == 200 else {}
            )
            if statuses != {"created"}:
                failures.append(f"HTTP {answer.status} {statuses or answer.body[:200]!r}")
                return
            done[n].extend(batch)

    threads = [threading.Thread(target=pusher, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = [r for part in done for r in part]
    return {
        "template": template,
        "records": records,
        "inspections": sum(1 for r in records if r["type"] == "inspection"),
        "elapsed": time.perf_counter() - started,
        "latencies": sorted(latencies),
        "failures": failures,
    }


def push_only_report(database_url: str, phase: dict, clients: int) -> bool:
    """Print the push-only phase against a bulk insert of the same rows; True when it held."""
    from bench.sync import bulk_insert

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        user_id = conn.execute(sa.text('select min(id) from "user"')).scalar()
    engine.dispose()
    rate = phase["inspections"] / phase["elapsed"]
    bulk = phase["inspections"] / min(  # the best of three: the machine's noise only slows it
        bulk_insert(database_url, phase["template"], phase["records"], user_id) for _ in range(3)
    )
    lat = phase["latencies"] or [0.0]
    p50, p95 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.95))]
    items = len(phase["template"]["items"])
    print(
        f"push-only phase: {clients} clients, batches of 50 ({items}-item checklists, no photos): "
        f"{phase['inspections']} inspections in {phase['elapsed']:.1f} s = {rate:.1f}/s, "
        f"push p50/p95 {p50 * 1000:.0f}/{p95 * 1000:.0f} ms over {len(lat)} pushes"
    )
    print(
        f"push-only ingest / bulk insert of the same rows ({bulk:.0f} inspections/s, best of 3) = "
        f"{rate / bulk:.3f} (the issue's measure, as bench/sync.py; target >= 0.5)"
    )
    for failure in phase["failures"]:
        print(f"push-only phase failure: {failure}")
    return not phase["failures"]


def report(out: Path, records, photos, counts, bad_photos, seconds, bulk_rate) -> bool:
    stats = locust_stats(out)
    push = stats.get("push", {})
    inspections = sum(1 for r in records if r["type"] == "inspection" and r["status"] == "created")
    created = sum(1 for r in records if r["status"] == "created")
    lost = sum(1 for r in records if counts.get(r["uuid"], 0) == 0)
    duplicated = sum(1 for n in counts.values() if n > 1)
    errors = int(stats.get("Aggregated", {}).get("Failure Count", 0))
    megabytes = sum(p["size"] for p in photos) / 1e6
    rate = inspections / seconds
    print(f"load average before/after: {LOAD[0]} / {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"push latency p50/p95/p99: {push.get('50%')}/{push.get('95%')}/{push.get('99%')} ms "
        f"over {push.get('Request Count')} pushes (target p95 < 1000 ms)"
    )
    print(f"records: {created} created ({inspections} inspections) in {seconds} s = "
          f"{created / seconds:.1f} records/s, {rate:.1f} inspections/s")  # fmt: skip
    print(f"photos: {len(photos)} uploads, {megabytes:.1f} MB = {megabytes / seconds:.2f} MB/s")
    print(f"mixed run (photos, pulls, pauses): {rate:.1f} inspections/s over a bulk insert of "
          f"as many ({bulk_rate:.0f}/s) = {rate / bulk_rate:.3f} (bounded by the users' pace; "
          "not the issue's measure, see the push-only phase)")  # fmt: skip
    print(f"errors {errors}, lost {lost}, duplicated {duplicated}, photos not identical "
          f"{len(bad_photos)} (targets: all 0)")  # fmt: skip
    return not (errors or lost or duplicated or bad_photos)


@contextmanager
def local_server(tmp: Path):
    """gunicorn on a fresh demo-province database: (base URL, database URL, admin name)."""
    from bench.sync_aged import GunicornServer
    from tests.live_server import database_url, prepare_database

    url, drop = database_url(tmp)
    server = None
    try:
        prepare_database(url, demo=True)
        server = GunicornServer(tmp, url, {"XUNJIAN_DEMO": "1"}).start()
        yield server.base_url, url, "admin"
    finally:
        if server is not None:
            server.stop()
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url")
    parser.add_argument("--database-url")
    parser.add_argument("--admin", default="admin")
    parser.add_argument("--admin-password", default=PASSWORD)
    parser.add_argument("--local", action="store_true")
    parser.add_argument("--prod", action="store_true")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--push-clients", type=int, default=4, help="push-only phase; 0: none")
    parser.add_argument("--push-seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="--prod: gunicorn workers a server")
    parser.add_argument("--threads", type=int, default=8, help="--prod: threads a worker")
    args = parser.parse_args()
    if not (args.local or args.prod) and not (args.base_url and args.database_url):
        parser.error("give --base-url and --database-url, or --local, or --prod")
    if args.local or args.prod:  # the demo province's admin (server/services/demo.py)
        args.admin_password = "guanli-demo-2026"
    with tempfile.TemporaryDirectory(prefix="xj-load-") as tmp:
        tmp_path = Path(tmp)
        if args.prod:
            context = production_shape(tmp_path, args.workers, args.threads)
        else:
            context = local_server(tmp_path) if args.local else nullserver(args)
        with context as (base_url, database_url, admin):
            ok = measure(args, tmp_path, base_url, database_url, admin)
    raise SystemExit(0 if ok else 1)


@contextmanager
def production_shape(tmp: Path, workers: int, threads: int):
    """nginx -> two gunicorn servers -> PostgreSQL + SeaweedFS + Redis, the demo province."""
    from tests.live_server import database_url, prepare_database
    from tests.prod_stack import ProdStack
    from tests.s3_server import SeaweedS3

    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        raise SystemExit("--prod runs on PostgreSQL: set TEST_DATABASE_URL")
    (tmp / "weed").mkdir()
    weed = SeaweedS3(tmp / "weed").start()
    try:
        url, drop = database_url(tmp)
        prepare_database(url, demo=True)
        env = {
            "XUNJIAN_DEMO": "1",
            "PHOTO_STORE": f"s3://{weed.new_bucket()}/photos",
            **weed.env(tmp / "spool"),
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
        }
        with ProdStack(tmp / "stack") as stack, stack.serving(url, drop, env=env) as server:
            CPU_PIDS["app servers"] = [s.proc.pid for s in server.servers]
            CPU_PIDS["SeaweedFS"] = [weed.proc.pid]
            yield server.base_url, url, "admin"
    finally:
        weed.stop()


@contextmanager
def nullserver(args):
    yield args.base_url, args.database_url, args.admin


def measure(args, tmp: Path, base_url: str, database_url: str, admin: str) -> bool:
    accounts = make_accounts(base_url, admin, args.admin_password, args.users)
    plan = tmp / "plan.json"
    plan.write_text(json.dumps({"accounts": accounts, "password": PASSWORD, "journal": str(tmp)}))
    LOAD.append(" ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"{args.users} engineers for {args.seconds} s against {base_url}"
          + (f" (2 servers x {args.workers} worker(s) x {args.threads} threads)" if args.prod else ""))  # fmt: skip
    cpu_start = cpu_ms()
    run_locust(base_url, plan, args.users, args.seconds, tmp)
    records, photos = read_journal(tmp)
    created = [r for r in records if r["status"] == "created"]
    cpu_report("the Locust run", cpu_start, {"record": len(created), "photo": len(photos)})
    counts = stored_counts(database_url, records)
    bad = photo_mismatches(base_url, accounts[0]["username"], photos)
    inspections = sum(1 for r in records if r["type"] == "inspection")
    bulk_rate = bulk_baseline(database_url, max(inspections // 2, 500))
    ok = report(tmp, records, photos, counts, bad, args.seconds, bulk_rate)
    if args.push_clients:
        cpu_start = cpu_ms()
        phase = push_only(base_url, accounts, args.push_clients, args.push_seconds)
        cpu_report("the push-only phase", cpu_start, {"inspection": phase["inspections"]})
        ok = push_only_report(database_url, phase, args.push_clients) and ok
        stored = stored_counts(database_url, [dict(r, status="created") for r in phase["records"]])
        lost = sum(1 for r in phase["records"] if stored.get(r["uuid"], 0) != 1)
        print(f"push-only phase: {lost} records not stored exactly once (target 0)")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        ok = ok and not lost
    return ok


LOAD: list[str] = []
CPU_PIDS: dict[str, list[int]] = {}  # --prod: whose CPU time is read (process trees)


def cpu_ms() -> dict[str, float]:
    """utime + stime so far of each watched process tree (the gunicorn servers and their
    workers, SeaweedFS), in ms: what the run cost them, whatever else the machine runs."""
    from bench.sync_aged import _server_cpu_ms

    return {name: sum(_server_cpu_ms(pid) for pid in pids) for name, pids in CPU_PIDS.items()}


def cpu_report(what: str, before: dict, per: dict[str, int]) -> None:
    after = cpu_ms()
    for name, total in after.items():
        spent = total - before.get(name, 0.0)
        shares = "; ".join(
            f"by the {n} {unit}s: {spent / n:.1f} ms" for unit, n in per.items() if n
        )
        print(f"CPU of the {name} during {what}: {spent / 1000:.1f} s (divided {shares})")


if __name__ == "__main__":
    main()
