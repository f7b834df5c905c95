"""Push throughput as history grows: the same pushes on an empty and on an aged database.

Aged: the national-scale history bench/coverage.py generates (2,991 bureaus, 100,000 devices,
20 quarters of visits, ~1.2 million inspections) plus three years of the province bureau's
daily checks (152 units x 250 working days x 3 = 114,000 inspections in 750 visits, one
result each). Empty: the same bureaus, rooms and devices, no visits. Both are served at once
by real server processes (the werkzeug threaded dev server of tests/live_runner.py, or with
--server gunicorn, 2 workers x 4 threads, PostgreSQL only), and each case is measured on one
then the other, alternating, `--rounds` times: 1 and 4 clients x 1 and 50 records per
request, 20-item checklists. A quarter of the records are the province's daily checks (152
units a visit, the longest chains), the rest quarterly visits of other bureaus; four clients
push four such streams at once, one client pushes all four.

    PYTHONPATH=. python bench/sync.py --aged [--only sqlite|postgresql] [--scale 1.0] [--reuse]
        [--server werkzeug|gunicorn] [--rounds 2]

--reuse times the databases a previous run built (xj_ingest_bench_empty / _aged on the
PostgreSQL server of BENCH_PG_SERVER, or BENCH_DB_PREFIX_empty / _aged so that two benches
on one server keep apart; SQLite files in BENCH_SQLITE_DIR). --cases 1x1,1x50 (clients x
records per request) measures only those cases, for a quick before/after.

Printed per case: inspections/s, p95 per request, the server processes' CPU per inspection
(/proc/<pid>/stat of the server and its workers; it moves far less with the load of
other programs than the rates do), PostgreSQL backend CPU per inspection
(from /proc/<pid>/stat of the server's backends: pg_stat_statements needs
shared_preload_libraries), the load average; then aged / empty ratios and the targets.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import threading
import time
import uuid as uuidlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import coverage as national
from bench import pg_autovacuum
from bench.push_profile import backend_cpu_ms
from tests import sync_records as rec
from tests.live_server import PASSWORD, LiveServer, app_for

CASES = ((1, 1), (4, 1), (1, 50), (4, 50))  # (clients, records per request)
INSPECTIONS = {1: 400, 50: 4000}  # per case, by records per request
ITEMS = 20
DAILY_UNITS, DAILY_DAYS = 152, 250 * 3
CLIENTS = 4
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
GUNICORN = ("--workers", "2", "--threads", "4")


class GunicornServer(LiveServer):
    """The app under gunicorn (bench only: the production setup is another issue's)."""

    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        return [
            gunicorn,
            *GUNICORN,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "tests.live_runner:wsgi_app()",
        ]


def _template(key: str, kind: str):
    from server.models import ChecklistItem, ChecklistTemplate

    template = ChecklistTemplate(
        key=key,
        version=1,
        device_kind="generic",
        inspection_kind=kind,
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
    return template


def _daily_history(data: dict, first_room: int, first_device: int) -> None:
    """152 units in a room of the province bureau, checked every working day for 3 years."""
    data["room"].append((first_room, 1, "Province equipment room", "equipment"))
    units = [first_device + n for n in range(DAILY_UNITS)]
    data["device"] += [(d, None, 1, first_room, "in_service") for d in units]
    now = national.naive(datetime.now(UTC))
    day, days = datetime(2023, 1, 2, 1), 0
    while days < DAILY_DAYS:
        if day.weekday() < 5:
            visit_id = len(data["visit"]) + 1
            data["visit"].append(
                (
                    visit_id,
                    str(uuidlib.uuid4()),
                    1,
                    day,
                    now,
                    0,
                    "x",
                    1,
                    "daily",
                    day,
                    day + timedelta(hours=1),
                    None,
                )
            )
            for device_id in units:
                row_id = len(data["inspection"]) + 1
                data["inspection"].append(
                    (
                        row_id,
                        str(uuidlib.uuid4()),
                        1,
                        day,
                        day,
                        0,
                        "x",
                        visit_id,
                        device_id,
                        f"D{device_id:07d}",
                        "daily",
                        "pass",
                        "[]",
                        None,  # supersedes_uuid
                        None,  # supersede_state
                    )
                )
                data["inspection_result"].append(
                    (len(data["inspection_result"]) + 1, row_id, "power", "pass", "[]")
                )
            days += 1
        day += timedelta(days=1)


def build(url: str, aged: bool, scale: float) -> None:
    """Migrate, users and the two 20-item templates, then the bulk rows (COPY on PostgreSQL)."""
    from flask_migrate import upgrade

    from server import tags
    from server.services.core import reference, users
    from server.services.coverage import targets as visit_targets

    app = app_for(url)
    with app.app_context():
        from server.extensions import db

        upgrade()
        reference.seed_device_types()
        for n in range(CLIENTS):
            users.create_user(f"eng{n}", f"Engineer {n}", "engineer", PASSWORD)
        db.session.add_all([_template("bench.q20", "quarterly"), _template("bench.d20", "daily")])
        db.session.commit()
        t0 = time.perf_counter()
        data = national.generate(scale, random.Random(2026))
        _daily_history(data, len(data["room"]) + 1, len(data["device"]) + 1)
        data["device"] = [(d, tags.make_tag(d), t, r, s) for d, _, t, r, s in data["device"]]
        if not aged:
            data.update(visit=[], inspection=[], inspection_result=[])
        national.load(db, data)
        if aged:
            visit_targets.rebuild_all(db.session())
            db.session.commit()
        # Both databases analyzed at build time, so neither is timed on statistics of other
        # contents (docs/coverage.md, "Third round"); the pushes add rows to both alike.
        national.analyze(db)
        print(
            f"  built {'aged' if aged else 'empty'}: {len(data['visit'])} visits, "
            f"{len(data['inspection'])} inspections in {time.perf_counter() - t0:.0f} s"
        )
        db.session.remove()
        db.engine.dispose()


def database(kind: str, aged: bool, tmp: Path, reuse: bool) -> str:
    prefix = os.environ.get("BENCH_DB_PREFIX", "xj_ingest_bench")
    name = f"{prefix}_{'aged' if aged else 'empty'}"
    if kind == "sqlite":
        path = Path(os.environ.get("BENCH_SQLITE_DIR", tmp)) / f"{name}.db"
        if not reuse:
            path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    server = sa.engine.make_url(os.environ.get("BENCH_PG_SERVER", PG_SERVER))
    if not reuse:
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


class Workload:
    """Fresh records for each case: the province's daily checks and quarterly visits."""

    def __init__(self, url: str):
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT s.code, r.kind, d.tag FROM device d JOIN room r ON r.id = d.room_id "
                    "JOIN site s ON s.id = r.site_id ORDER BY s.id, d.id"
                )
            ).all()
            self.templates = {
                kind: self._template(conn, key)
                for kind, key in (("quarterly", "bench.q20"), ("daily", "bench.d20"))
            }
        engine.dispose()
        self.daily = [tag for code, room, tag in rows if room == "equipment"]
        self.province = rows[0][0]
        by_site: dict[str, list[str]] = {}
        for code, room, tag in rows:
            if room != "equipment" and code != self.province:
                by_site.setdefault(code, []).append(tag)
        self.sites = list(by_site.items())
        self.next_site, self.next_day = 0, datetime(2026, 1, 5, 1, tzinfo=UTC)

    @staticmethod
    def _template(conn, key: str) -> dict:
        template_id = conn.scalar(
            sa.text("SELECT id FROM checklist_template WHERE key = :k"), {"k": key}
        )
        items = conn.execute(
            sa.text(
                "SELECT key, type, min_value, max_value FROM checklist_item "
                "WHERE template_id = :t ORDER BY position"
            ),
            {"t": template_id},
        )
        kind = "daily" if key.endswith("d20") else "quarterly"
        return {
            "id": template_id,
            "version": 1,
            "inspection_kind": kind,
            "items": [{"key": k, "type": t, "min": lo, "max": hi} for k, t, lo, hi in items],
        }

    def stream(self, index: int, inspections: int) -> list[dict]:
        """Stream 0: daily visits at the province; others: quarterly visits elsewhere."""
        records, count = [], 0
        while count < inspections:
            if index == 0:
                self.next_day += timedelta(days=1)
                visit = rec.visit(self.province, "daily", started_at=self.next_day.isoformat())
                tags, template = self.daily, self.templates["daily"]
            else:
                code, tags = self.sites[self.next_site % len(self.sites)]
                self.next_site += 1
                visit = rec.visit(code, "quarterly")
                template = self.templates["quarterly"]
            records.append(visit)
            for tag in tags[: inspections - count]:
                records.append(rec.inspection(template, tag, visit["uuid"]))
                count += 1
        return records


def _push(client, records: list[dict], batch: int, latencies: list[float]) -> None:
    for start in range(0, len(records), batch):
        t0 = time.perf_counter()
        response = client.post_json(
            "/api/v1/sync/push", {"records": records[start : start + batch]}, timeout=120
        )
        latencies.append(time.perf_counter() - t0)
        if response.status != 200 or {r["status"] for r in response.json()["results"]} != {
            "created"
        }:
            raise SystemExit(f"push failed: {response.status} {response.body[:300]!r}")


def _backends(url: str) -> dict[int, float]:
    name = sa.engine.make_url(url).database
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        pids = conn.scalars(
            sa.text(
                "SELECT pid FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
            ),
            {"d": name},
        ).all()
    engine.dispose()
    return {pid: backend_cpu_ms(pid) for pid in pids}


def _server_cpu_ms(pid: int) -> float:
    """utime + stime of the server process and its children (gunicorn's workers), in ms: the
    Python a push costs, whatever else the machine runs."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(backend_cpu_ms(p) for p in tree)


def measure(server, url: str, kind: str, workload: Workload, clients: int, batch: int) -> dict:
    total = INSPECTIONS[batch]
    streams = [workload.stream(i, total // CLIENTS) for i in range(CLIENTS)]
    if clients == 1:
        streams = [[r for s in streams for r in s]]
    sessions = [server.client(f"eng{n}") for n in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    before = _backends(url) if kind == "postgresql" else {}
    server_before = _server_cpu_ms(server.proc.pid)
    threads = [
        threading.Thread(target=_push, args=(sessions[n], streams[n], batch, latencies[n]))
        for n in range(clients)
    ]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - t0
    server_cpu = (_server_cpu_ms(server.proc.pid) - server_before) / total
    cpu = None
    if kind == "postgresql":
        after = _backends(url)
        cpu = sum(after[p] - before.get(p, 0.0) for p in after) / total
    ordered = sorted(t for per in latencies for t in per)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "rate": total / elapsed,
        "p95_ms": p95 * 1000,
        "cpu_ms": cpu,
        "server_cpu_ms": server_cpu,
        "load": os.getloadavg()[0],
        "requests": len(ordered),
    }


def _print(kind: str, label: str, round_no: int, case: tuple, figures: dict) -> None:
    cpu = f", PostgreSQL CPU {figures['cpu_ms']:.2f} ms/inspection" if figures["cpu_ms"] else ""
    cpu = f", server CPU {figures['server_cpu_ms']:.2f} ms/inspection{cpu}"
    print(
        f"[{kind}] round {round_no} {label:>5}: {case[0]} client(s), {case[1]:>2} per request: "
        f"{figures['rate']:7.1f} inspections/s, p95 {figures['p95_ms']:7.1f} ms{cpu} "
        f"(load average {figures['load']:.2f})",
        flush=True,
    )


def _mean(runs: list[dict]) -> dict:
    return {
        key: (sum(r[key] for r in runs) / len(runs) if runs[0][key] is not None else None)
        for key in runs[0]
    }


def run_both(
    kind: str,
    scale: float,
    reuse: bool,
    tmp: Path,
    server_class: type[LiveServer],
    rounds: int,
    cases: tuple = CASES,
    stand_in: bool = True,
) -> tuple[dict, dict]:
    """Both databases served at once, each case measured on one then the other (alternating,
    so both see the same machine), `rounds` times; the means per case. stand_in: on a
    PostgreSQL server without autovacuum, analyse before each case what it would have."""
    servers, workloads, urls = {}, {}, {}
    try:
        for label in ("empty", "aged"):
            urls[label] = database(kind, label == "aged", tmp, reuse)
            if not reuse:
                build(urls[label], label == "aged", scale)
            workloads[label] = Workload(urls[label])
            servers[label] = server_class(
                Path(tempfile.mkdtemp(prefix="xj-aged-", dir=tmp)), urls[label]
            ).start()
            servers[label].client("eng0").post_json(  # warm-up
                "/api/v1/sync/push", {"records": workloads[label].stream(1, 33)}
            )
        runs: dict = {label: {case: [] for case in cases} for label in servers}
        stand_in = (
            stand_in and kind == "postgresql" and not pg_autovacuum.server_runs_it(urls["empty"])
        )
        if stand_in:
            print(
                f"[{kind}] autovacuum is off on this server: before each case the bench "
                "analyses the tables it would have analysed by then (bench/pg_autovacuum.py; "
                "--as-configured: not)"
            )
        for round_no in range(1, rounds + 1):
            for case in cases:
                for label in ("empty", "aged"):
                    if stand_in and (analysed := pg_autovacuum.catch_up(urls[label])):
                        print(f"[{kind}]   {label}: analysed {', '.join(analysed)}", flush=True)
                    figures = measure(servers[label], urls[label], kind, workloads[label], *case)
                    runs[label][case].append(figures)
                    _print(kind, label, round_no, case, figures)
    finally:
        for server in servers.values():
            server.stop()
    return tuple(
        {case: _mean(per) for case, per in runs[label].items()} for label in ("empty", "aged")
    )


def _brief(figures: dict) -> str:
    return f"{figures['rate']:.1f}/s, p95 {figures['p95_ms']:.0f} ms"


def _cpu(figures: dict) -> str:
    """CPU per inspection: what the load of other programs on the machine does not change."""
    text = f"; CPU per inspection: server {figures['server_cpu_ms']:.2f} ms"
    if figures["cpu_ms"]:
        text += f", PostgreSQL {figures['cpu_ms']:.2f} ms"
    return text + f" (load average {figures['load']:.2f})"


def report(kind: str, empty: dict, aged: dict) -> None:
    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    print(f"[{kind}] means over the rounds (20-item checklists); empty | aged | aged / empty:")
    for case in empty:
        ratio = aged[case]["rate"] / empty[case]["rate"]
        print(
            f"[{kind}]   {case[0]} client(s), {case[1]:>2} per request: "
            f"{_brief(empty[case])} | {_brief(aged[case])} | {ratio:.2f} "
            f"(target >= 0.9: {verdict(ratio >= 0.9)})"
        )
    for label, figures in (("empty", empty), ("aged", aged)):
        if (4, 50) in figures and (1, 50) in figures:
            parallel = figures[(4, 50)]["rate"] / figures[(1, 50)]["rate"]
            print(
                f"[{kind}] {label}: 4 clients / 1 client, 50 per request: {parallel:.2f} "
                f"(target >= 1.3: {verdict(parallel >= 1.3)})"
            )
        _report_single(kind, label, figures, verdict)
    if kind == "sqlite":
        print(
            "[sqlite] (SQLite has one writer: pushes queue in the server process, so four "
            "clients cannot beat one)"
        )


def _report_single(kind: str, label: str, figures: dict, verdict) -> None:
    """The one-record and the four-client batch targets, for the cases measured."""
    if (1, 1) in figures:
        one = figures[(1, 1)]
        print(
            f"[{kind}] {label}: 1 record per request, 1 client: {one['rate']:.1f}/s "
            f"(target >= 80: {verdict(one['rate'] >= 80)}), p95 {one['p95_ms']:.1f} ms "
            f"(target < 40: {verdict(one['p95_ms'] < 40)}){_cpu(one)}"
        )
    if (4, 50) in figures:
        batched = figures[(4, 50)]
        print(
            f"[{kind}] {label}: 50 per request, 4 clients: {batched['rate']:.0f}/s "
            f"(target >= 500: {verdict(batched['rate'] >= 500)}), p95 {batched['p95_ms']:.0f} ms "
            f"(target < 500: {verdict(batched['p95_ms'] < 500)}){_cpu(batched)}"
        )


def run(
    kind: str,
    scale: float,
    reuse: bool,
    server: str = "werkzeug",
    rounds: int = 2,
    cases: tuple = CASES,
    stand_in: bool = True,
) -> None:
    """server: werkzeug (tests/live_runner.py) or gunicorn (PostgreSQL only: on SQLite two
    worker processes would only contend for its one writer)."""
    server_class = GunicornServer if server == "gunicorn" and kind == "postgresql" else LiveServer
    print(
        f"[{kind}] server measured: "
        + (
            f"gunicorn {' '.join(GUNICORN)}"
            if server_class is GunicornServer
            else "the werkzeug threaded dev server (tests/live_runner.py)"
        )
    )
    with tempfile.TemporaryDirectory(prefix="xj-bench-aged-") as tmp:
        empty, aged = run_both(kind, scale, reuse, Path(tmp), server_class, rounds, cases, stand_in)
    report(kind, empty, aged)
