"""The evidence chain under concurrent pushes to a real server process: one link per record,
consecutive, each hashing the one before; `xunjian evidence verify` passes on the result."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
import sqlalchemy as sa

from server import tags
from tests import sync_records as rec
from tests.live_server import ROOT, server_env

pytestmark = pytest.mark.live
PUSH = "/api/v1/sync/push"


def _records(pack: dict, start: int) -> list[dict]:
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    visit = rec.visit(pack["sites"][0]["code"])
    return [visit] + [
        rec.inspection(template, tags.make_tag(start + n), visit["uuid"]) for n in range(19)
    ]


def test_concurrent_pushes_append_one_consecutive_chain(live_server):
    pack = live_server.client("engineer").get("/api/v1/sync/pull").json()
    batches = [_records(pack, 1000 * n) for n in range(8)]
    errors, lock = [], threading.Lock()

    def engineer(n: int) -> None:
        try:
            client = live_server.client("engineer" if n % 2 else "engineer2")
            for batch in (batches[n], batches[(n + 1) % len(batches)]):  # overlapping: replays
                answer = client.post_json(PUSH, {"records": batch}, timeout=120)
                statuses = {r["status"] for r in answer.json()["results"]}
                if answer.status != 200 or not statuses <= {"created", "duplicate"}:
                    raise AssertionError(answer.body[:300])
        except Exception as exc:  # reported below; a thread must not die silently
            with lock:
                errors.append(repr(exc))

    threads = [threading.Thread(target=engineer, args=(n,)) for n in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    engine = live_server.engine()
    try:
        with engine.connect() as conn:
            links = conn.execute(
                sa.text(
                    "SELECT seq, prev_link_hash, hash, record_uuid FROM evidence_link ORDER BY seq"
                )
            ).all()
            head = conn.execute(sa.text("SELECT seq, hash FROM evidence_head")).one()
    finally:
        engine.dispose()
    uuids = sorted(r["uuid"] for batch in batches for r in batch)
    assert sorted(link.record_uuid for link in links) == uuids  # each once: no replay twice
    assert [link.seq for link in links] == list(range(1, len(uuids) + 1))
    assert all(b.prev_link_hash == a.hash for a, b in zip(links, links[1:]))
    assert tuple(head) == (len(uuids), links[-1].hash)
    env = server_env(live_server.db_url, live_server.tmp_dir, photo_dir=live_server.photo_dir)
    verified = subprocess.run(
        [sys.executable, "-m", "server.cli", "evidence", "verify"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"{len(uuids)} links" in verified.stdout
