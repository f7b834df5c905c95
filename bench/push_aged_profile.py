"""Where a push spends its time on a database bench/sync_aged.py built (aged or empty, SQLite):
the aged bench's records pushed in-process (werkzeug's test client) to a copy of the file,
with per statement shape its count and time, the commit's time, the bytes SQLite read from
the file (rchar of /proc/self/io: pages its cache did not hold), the WAL frames each commit
wrote and the checkpoints, the file's statistics (sqlite_stat1) and cache size, and the
EXPLAIN QUERY PLAN of every statement shape.

    PYTHONPATH=. python bench/push_aged_profile.py /tmp/dir/xj_ingest_bench_aged.db
        [--batch 50] [--requests 20] [--no-copy] [--plans]
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.push_profile import _shape  # noqa: E402
from bench.sync_aged import CLIENTS, Workload  # noqa: E402
from tests.live_server import PASSWORD, app_for  # noqa: E402


def _rchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return 0


def _wal_state(path: Path) -> tuple[int, int]:
    """(mxFrame of the wal-index header, WAL checkpoint sequence): frames written since the
    last reset, and how many times the log restarted after a checkpoint."""
    try:
        with open(path.parent / (path.name + "-shm"), "rb") as file:
            shm = file.read(48)
        with open(path.parent / (path.name + "-wal"), "rb") as file:
            wal = file.read(16)
    except OSError:
        return 0, 0
    frames = struct.unpack_from("=I", shm, 16)[0] if len(shm) >= 20 else 0
    sequence = struct.unpack_from(">I", wal, 12)[0] if len(wal) >= 16 else 0
    return frames, sequence


def describe(path: Path) -> None:
    """Size, page cache, statistics of the file."""
    conn = sqlite3.connect(path)
    page_size, pages = (
        conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
    )
    stats = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name IN ('sqlite_stat1', 'sqlite_stat4')"
    ).fetchone()[0]
    print(f"  file {page_size * pages / 2**20:,.0f} MiB ({pages:,} pages of {page_size} B)")
    if stats:
        rows = conn.execute(
            "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl IN "
            "('visit_target', 'visit_tally', 'inspection', 'inspection_result', 'visit', "
            "'sync_receipt', 'device') ORDER BY tbl, idx"
        ).fetchall()
        print(f"  sqlite_stat1: {len(rows)} rows for the ingest tables")
        for tbl, idx, stat in rows:
            print(f"      {tbl:18} {idx or '-':45} {stat[:60]}")
    else:
        print("  sqlite_stat1: absent (never analyzed)")
    conn.close()


def run(path: Path, batch: int, requests: int, plans: bool) -> None:
    describe(path)
    url = f"sqlite:///{path}"
    workload = Workload(url)
    total = batch * requests
    streams = [workload.stream(i, total // CLIENTS) for i in range(CLIENTS)]
    records = [r for s in streams for r in s]
    app = app_for(url)
    app.config["TESTING"] = False
    client = app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "eng0", "password": PASSWORD})
    headers = {"X-CSRF-Token": login.get_json()["csrf_token"]}
    from server.extensions import db

    times: dict = collections.defaultdict(float)
    counts: collections.Counter = collections.Counter()
    examples: dict = {}
    commit = {"t": 0.0, "total": 0.0}
    with app.app_context():
        engine = db.engine
        print(f"  cache_size in effect: {db.session.scalar(sa.text('PRAGMA cache_size'))}")
        db.session.remove()

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        shape = _shape(statement)
        times[shape] += time.perf_counter() - conn.info.pop("t0")
        counts[shape] += 1
        if shape not in examples and statement.lstrip().upper().startswith(
            ("SELECT", "WITH", "INSERT", "UPDATE", "DELETE")
        ):
            examples[shape] = (statement, parameters[0] if executemany else parameters)

    def on_commit(conn):
        commit["t"] = time.perf_counter()

    def on_commit_done(session):
        if commit["t"]:
            commit["total"] += time.perf_counter() - commit["t"]
            commit["t"] = 0.0

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    sa.event.listen(engine, "commit", on_commit)
    sa.event.listen(db.session, "after_commit", on_commit_done)
    sent = [records[s : s + batch] for s in range(0, len(records), batch)]
    frames = checkpoints = 0
    wal = _wal_state(path)
    rchar, wall, cpu = _rchar(), time.perf_counter(), time.process_time()
    for part in sent:
        answer = client.post("/api/v1/sync/push", json={"records": part}, headers=headers)
        assert {r["status"] for r in answer.get_json()["results"]} == {"created"}, answer.data[:300]
        now = _wal_state(path)
        if now[1] != wal[1] or now[0] < wal[0]:
            checkpoints += 1
            frames += now[0]
        else:
            frames += now[0] - wal[0]
        wal = now
    wall, rchar, cpu = time.perf_counter() - wall, _rchar() - rchar, time.process_time() - cpu
    n = len(sent)
    sql = sum(times.values())
    print(
        f"  {n} requests of {batch} records, load average {os.getloadavg()[0]:.2f}; per request: "
        f"wall {wall * 1000 / n:.1f} ms, CPU {cpu * 1000 / n:.1f} ms, SQL {sql * 1000 / n:.1f} ms in {sum(counts.values()) / n:.1f} "
        f"statements, commit {commit['total'] * 1000 / n:.1f} ms, read from the file "
        f"{rchar / n / 1024:,.0f} KiB, WAL {frames / n:.0f} frames; {checkpoints} WAL resets"
    )
    for shape, seconds in sorted(times.items(), key=lambda kv: -kv[1])[:14]:
        print(f"    {seconds * 1000 / n:7.2f} ms {counts[shape] / n:5.1f}x  {shape[:120]}")
    if plans:
        _plans(path, examples, times, n)


def _plans(path: Path, examples: dict, times: dict, n: int) -> None:
    conn = sqlite3.connect(path)
    for shape, (statement, parameters) in sorted(examples.items(), key=lambda kv: -times[kv[0]]):
        print(f"  --- {times[shape] * 1000 / n:.2f} ms/request: {shape[:110]}")
        try:
            for row in conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters):
                print(f"      {row[3]}")
        except sqlite3.Error as error:
            print(f"      ({error})")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-copy", action="store_true", help="push into the file itself")
    parser.add_argument("--plans", action="store_true", help="EXPLAIN QUERY PLAN per statement")
    args = parser.parse_args()
    print(f"[sqlite] {args.file.name}")
    if args.no_copy:
        run(args.file, args.batch, args.requests, args.plans)
        return
    with tempfile.TemporaryDirectory(prefix="xj-aged-profile-", dir=args.file.parent) as tmp:
        copy = Path(tmp) / args.file.name
        shutil.copyfile(args.file, copy)
        run(copy, args.batch, args.requests, args.plans)


if __name__ == "__main__":
    main()
