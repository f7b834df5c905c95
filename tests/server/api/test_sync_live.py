"""Faults against a real server process over HTTP: replays, kill -9 mid-batch, a cut photo
upload, 20 clients pushing overlapping batches at once. Afterwards every record is there
exactly once and nothing else is. Each test runs on one server, and again on the production
shape (tests/prod_stack.py: HTTPS through nginx, round robin over two gunicorn servers on
PostgreSQL; there the kill -9 hits the one server holding the batch)."""

from __future__ import annotations

import hashlib
import io
import random
import threading
import time

import pytest
import sqlalchemy as sa
from PIL import Image

from server import tags
from tests import sync_records as rec
from tests.prod_fixtures import BOTH, direct_or_nginx

pytestmark = pytest.mark.live
PUSH = "/api/v1/sync/push"


@pytest.fixture(params=BOTH)
def live_server(request, tmp_path, live_database_template):
    """One server over HTTP, or nginx in front of two (skipped unless on PostgreSQL)."""
    yield from direct_or_nginx(request, tmp_path, live_database_template)


def pack_of(server):
    client = server.client("engineer")
    return client, client.get("/api/v1/sync/pull").json()


def quarterly(pack: dict) -> dict:
    return next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")


def make_records(pack: dict, visits: int, per_visit: int, seed: int = 0) -> list[dict]:
    template, sites = quarterly(pack), pack["sites"]
    records, n = [], seed * 10_000
    for v in range(visits):
        visit = rec.visit(sites[v % len(sites)]["code"])
        records.append(visit)
        for _ in range(per_visit):
            n += 1
            records.append(rec.inspection(template, tags.make_tag(n), visit["uuid"]))
    return records


def db_counts(server) -> dict:
    engine = server.engine()
    try:
        with engine.connect() as conn:
            counts = {
                t: conn.scalar(sa.text(f"select count(*) from {t}"))
                for t in (
                    "visit",
                    "inspection",
                    "inspection_result",
                    "sync_receipt",
                    "sync_conflict",
                )
            }
            counts["distinct_uuids"] = conn.scalar(
                sa.text("select count(distinct uuid) from sync_receipt")
            )
            counts["uuids"] = set(conn.scalars(sa.text("select uuid from sync_receipt")))
    finally:
        engine.dispose()
    return counts


def expected(records: list[dict], pack: dict) -> dict:
    inspections = [r for r in records if r["type"] == "inspection"]
    return {
        "visit": len(records) - len(inspections),
        "inspection": len(inspections),
        "inspection_result": len(inspections) * len(quarterly(pack)["items"]),
        "sync_receipt": len(records),
        "sync_conflict": 0,
        "distinct_uuids": len(records),
        "uuids": {r["uuid"] for r in records},
    }


def statuses(response) -> list[str]:
    assert response.status == 200, response.body[:500]
    return [r["status"] for r in response.json()["results"]]


def test_a_batch_replayed_five_times_is_stored_once(live_server):
    client, pack = pack_of(live_server)
    records = make_records(pack, visits=2, per_visit=10)
    assert statuses(client.post_json(PUSH, {"records": records})) == ["created"] * len(records)
    for _ in range(5):
        assert statuses(client.post_json(PUSH, {"records": records})) == ["duplicate"] * len(
            records
        )
    assert db_counts(live_server) == expected(records, pack)


def test_expired_session_gets_401_and_the_outbox_resumes_after_login(live_server):
    _, pack = pack_of(live_server)
    records = make_records(pack, visits=1, per_visit=2)
    stale = live_server.client()  # no session: what an expired cookie amounts to
    stale.csrf = "left-over-token"
    assert stale.post_json(PUSH, {"records": records}).status == 401
    assert db_counts(live_server)["sync_receipt"] == 0
    stale.login("engineer")
    assert statuses(stale.post_json(PUSH, {"records": records})) == ["created"] * len(records)


def test_server_killed_mid_batch_then_replayed_stores_exactly_once(live_server):
    client, pack = pack_of(live_server)
    records = make_records(pack, visits=2, per_visit=24)
    live_server.stop()
    live_server.start(SYNC_FAULT_PAUSE_SECONDS=60)  # stalls with the batch flushed, uncommitted
    client = live_server.client("engineer")
    outcome = {}

    def send():
        try:
            outcome["response"] = client.post_json(PUSH, {"records": records}, timeout=90)
        except OSError as exc:  # the connection dies with the server
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    live_server.wait_for_log("records flushed, pausing")  # the batch is in, uncommitted
    live_server.kill()
    sender.join(timeout=30)
    # The connection dies with the server; through nginx, which never resends a POST a
    # server already had, the phone gets its 503 (retry later) instead.
    assert "error" in outcome or outcome["response"].status == 503
    assert db_counts(live_server)["sync_receipt"] == 0  # nothing half-written survived
    live_server.start()
    client = live_server.client("engineer")
    assert statuses(client.post_json(PUSH, {"records": records})) == ["created"] * len(records)
    for _ in range(2):
        assert statuses(client.post_json(PUSH, {"records": records})) == ["duplicate"] * len(
            records
        )
    assert db_counts(live_server) == expected(records, pack)


def _jpeg(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_connection_cut_mid_photo_leaves_no_file(live_server):
    client = live_server.client("engineer")
    data = _jpeg()
    sha = hashlib.sha256(data).hexdigest()
    head = (
        f"PUT /api/v1/photos/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: image/jpeg\r\nContent-Length: {len(data)}\r\n"
        f"Cookie: {client.cookie_header()}\r\nX-CSRF-Token: {client.csrf}\r\n\r\n"
    )
    with live_server.open_socket() as sock:
        sock.sendall(head.encode() + data[: len(data) // 2])
        # Cut only once the server is writing the upload (its temporary file exists): else a
        # cut before the server read anything would leave no file without testing anything.
        deadline = time.monotonic() + 10
        while not list(live_server.photo_dir.rglob(".tmp-*")):
            assert time.monotonic() < deadline, "the server never started writing the upload"
            time.sleep(0.01)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        leftovers = [p for p in live_server.photo_dir.rglob("*") if p.is_file()]
        if not leftovers:
            break
        assert all(p.name.startswith(".tmp-") for p in leftovers), leftovers  # never the final name
        time.sleep(0.1)
    assert [p for p in live_server.photo_dir.rglob("*") if p.is_file()] == []
    assert client.request("HEAD", f"/api/v1/photos/{sha}").status == 404
    put = client.request("PUT", f"/api/v1/photos/{sha}", data, {"Content-Type": "image/jpeg"})
    assert put.status == 201, put.body
    assert client.request("HEAD", f"/api/v1/photos/{sha}").status == 200


def test_twenty_clients_pushing_overlapping_batches(live_server):
    _, pack = pack_of(live_server)
    pool = make_records(pack, visits=20, per_visit=9)  # 200 records
    created, errors = [], []
    lock = threading.Lock()

    def engineer(n: int):
        try:
            client = live_server.client("engineer" if n % 2 else "engineer2")
            rng = random.Random(n)
            for _ in range(3):
                batch = rng.sample(pool, 50)
                answers = client.post_json(PUSH, {"records": batch}, timeout=120)
                while answers.status == 503:  # pool busy: retry as the phone does
                    time.sleep(int(answers.headers.get("Retry-After", "1")))
                    answers = client.post_json(PUSH, {"records": batch}, timeout=120)
                if answers.status != 200:
                    raise AssertionError(answers.body[:300])
                with lock:
                    for answer in answers.json()["results"]:
                        if answer["status"] == "created":
                            created.append(answer["uuid"])
                        elif answer["status"] != "duplicate":
                            errors.append(answer)
        except Exception as exc:  # reported below; a thread must not die silently
            with lock:
                errors.append(repr(exc))

    threads = [threading.Thread(target=engineer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert errors == []
    assert len(created) == len(set(created))  # nothing was created twice
    final = live_server.client("engineer")
    for start in range(0, len(pool), 50):  # whatever no client happened to send
        for answer in final.post_json(PUSH, {"records": pool[start : start + 50]}).json()[
            "results"
        ]:
            assert answer["status"] in ("created", "duplicate")
            if answer["status"] == "created":
                created.append(answer["uuid"])
    assert sorted(created) == sorted(r["uuid"] for r in pool)
    assert db_counts(live_server) == expected(pool, pack)
