"""Where a single-record push spends its time: N pushes of one 20-item inspection through the
WSGI app (werkzeug's test client, in this process) to commit, with the SQL statements each
request sends, Python CPU per request, the database backend's CPU (PostgreSQL, from /proc),
and a cProfile of the lot.

    PYTHONPATH=. python bench/push_profile.py [--db postgresql|sqlite] [--records 300] [--top 25]

PostgreSQL: BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/xj_sync) names
the server where a scratch database is created and dropped.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.sync import BENCH_KEY, add_bench_template  # noqa: E402
from tests import sync_records as rec  # noqa: E402
from tests.live_server import PASSWORD, app_for, database_url, prepare_database  # noqa: E402


def backend_cpu_ms(pid: int | None) -> float:
    """utime + stime of a local PostgreSQL backend, in ms (0 if it cannot be read)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _shape(statement: str) -> str:
    """The statement without its literal lists, to group repeats."""
    return re.sub(r"\s+", " ", re.sub(r"\([^()]*%\(.*?\)s[^()]*\)", "(...)", statement))[:150]


def run(kind: str, count: int, top: int | None, batch: int = 1) -> None:
    if kind == "postgresql":
        os.environ["TEST_DATABASE_URL"] = os.environ.get(
            "BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/xj_sync"
        )
    else:
        os.environ.pop("TEST_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="xj-profile-") as tmp:
        url, drop = database_url(Path(tmp))
        try:
            prepare_database(url, seed=add_bench_template)
            profile(url, kind, count, top, batch)
        finally:
            drop()


def profile(url: str, kind: str, count: int, top: int | None, batch: int = 1) -> None:
    app = app_for(url)
    app.config["TESTING"] = False
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/login", json={"username": "engineer", "password": PASSWORD}
    )
    csrf = response.get_json()["csrf_token"]
    pack = client.get("/api/v1/sync/pull").get_json()
    template = next(t for t in pack["templates"] if t["key"] == BENCH_KEY)
    visit = rec.visit(pack["sites"][0]["code"])
    client.post("/api/v1/sync/push", json={"records": [visit]}, headers={"X-CSRF-Token": csrf})
    from server import tags
    from server.extensions import db

    records = [
        rec.inspection(template, tags.make_tag(200_000 + n), visit["uuid"])
        for n in range(count + 20)
    ]
    statements: collections.Counter = collections.Counter()
    with app.app_context():
        pid = (
            db.session.scalar(sa.text("SELECT pg_backend_pid()")) if kind == "postgresql" else None
        )
        db.session.remove()

        def count_statement(conn, cursor, statement, *args):
            statements[_shape(statement)] += 1

        sa.event.listen(db.engine, "before_cursor_execute", count_statement)
    for record in records[:20]:  # warm-up: caches, prepared plans
        client.post("/api/v1/sync/push", json={"records": [record]}, headers={"X-CSRF-Token": csrf})
    statements.clear()
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall: load-independent
    wall, cpu, backend = time.perf_counter(), time.process_time(), backend_cpu_ms(pid)
    if top is not None:
        profiler.enable()
    for start in range(20, len(records), batch):
        answer = client.post(
            "/api/v1/sync/push",
            json={"records": records[start : start + batch]},
            headers={"X-CSRF-Token": csrf},
        ).get_json()
        assert {r["status"] for r in answer["results"]} == {"created"}, answer
    profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    backend = backend_cpu_ms(pid) - backend
    requests = -(-count // batch)
    print(
        f"[{kind}] {count} 20-item inspections pushed {batch} per request, load average "
        f"{os.getloadavg()[0]:.2f}; per request:"
    )
    count = requests
    print(
        f"[{kind}]   wall {wall * 1000 / count:.2f} ms, Python CPU {cpu * 1000 / count:.2f} ms "
        f"{'(profiled)' if top is not None else ''}, database backend CPU {backend / count:.2f} ms per request"
    )
    print(f"[{kind}]   {sum(statements.values()) / count:.1f} SQL statements per request:")
    for shape, n in statements.most_common():
        print(f"      {n / count:5.2f}  {shape}")
    if top is None:
        return
    if os.environ.get("PROFILE_DUMP"):
        profiler.dump_stats(os.environ["PROFILE_DUMP"])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    if os.environ.get("PROFILE_CALLEES"):
        stats.sort_stats("cumulative").print_callees(os.environ["PROFILE_CALLEES"])
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--top", type=int, default=25, help="functions of the profile shown")
    parser.add_argument("--no-profile", action="store_true", help="time without cProfile")
    parser.add_argument("--batch", type=int, default=1, help="records per request")
    args = parser.parse_args()
    run(args.db, args.records, None if args.no_profile else args.top, args.batch)


if __name__ == "__main__":
    main()
