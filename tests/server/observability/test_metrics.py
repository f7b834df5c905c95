"""The metrics move: requests by route and status, latency, sync records by answer, photo bytes,
the queue, jobs and reminder deliveries at scrape time; /metrics is not public."""

from __future__ import annotations

import copy
import hashlib
import io

import pytest
from PIL import Image
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from tests import sync_records as rec

PUSH = "/api/v1/sync/push"


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, **kwargs) -> dict:
    """{(sample name, sorted labels): value} of a /metrics answer."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for s in family.samples
    }


def test_requests_are_counted_by_url_rule_and_status(auth, client):
    route = {"route": "/api/v1/devices/<tag>", "method": "GET"}
    before = value("xunjian_http_requests_total", status="404", **route)
    observed = value("xunjian_http_request_duration_seconds_count", **route)
    engineer = auth("engineer")
    for tag in ("XJ-A", "XJ-B", "XJ-C"):
        assert engineer.get(f"/api/v1/devices/{tag}").status_code == 404
    assert value("xunjian_http_requests_total", status="404", **route) == before + 3
    assert value("xunjian_http_request_duration_seconds_count", **route) == observed + 3
    unmatched = value(
        "xunjian_http_requests_total", route="<unmatched>", method="GET", status="404"
    )
    client.get("/api/v1/typo-1")
    client.get("/api/v1/typo-2")
    assert (
        value("xunjian_http_requests_total", route="<unmatched>", method="GET", status="404")
        == unmatched + 2
    )
    assert value("xunjian_http_requests_in_progress") == 0


def test_a_bare_request_context_after_a_request_counts_nothing(app, client):
    """g lives on the app context, which a test keeps across requests: a test_request_context
    popped after a real request must not end that request a second time."""
    client.get("/api/v1/health")
    before = value("xunjian_http_requests_in_progress")
    for _ in range(3):
        with app.test_request_context("/api/v1/health"):
            pass
    assert value("xunjian_http_requests_in_progress") == before


def test_an_odd_method_is_one_label_not_a_series_each(client):
    labels = {"route": "<unmatched>", "method": "OTHER", "status": "405"}  # no rule matched it
    before = value("xunjian_http_requests_total", **labels)
    client.open("/api/v1/health", method="FROBNICATE")
    assert value("xunjian_http_requests_total", **labels) == before + 1


@pytest.fixture
def pack(reference_data, auth):
    engineer = auth("engineer")
    return engineer, engineer.get("/api/v1/sync/pull").get_json()


def test_a_push_counts_its_records_by_answer(pack, factory):
    engineer, pack_json = pack
    template = next(t for t in pack_json["templates"] if t["inspection_kind"] == "quarterly")
    device = factory.device("L09")
    visit = rec.visit("520000")
    batch = [visit, rec.inspection(template, device.tag, visit["uuid"]), {"type": "nonsense"}]

    def counts():
        return {
            (t, s): value("xunjian_sync_records_total", record_type=t, status=s)
            for t, s in (
                ("visit", "created"),
                ("inspection", "created"),
                ("visit", "duplicate"),
                ("inspection", "duplicate"),
                ("unknown", "rejected"),
                ("inspection", "conflict"),
            )
        }

    before = counts()
    first = engineer.post(PUSH, json={"records": batch})
    assert [r["status"] for r in first.get_json()["results"]] == ["created", "created", "rejected"]
    engineer.post(PUSH, json={"records": batch[:2]})
    changed = copy.deepcopy(batch[1])
    changed["data"]["notes"] = "edited on the phone after sending"
    answer = engineer.post(PUSH, json={"records": [changed]}).get_json()["results"][0]
    assert answer["status"] == "conflict"
    moved = {key: n - before[key] for key, n in counts().items()}
    assert moved == {
        ("visit", "created"): 1,
        ("inspection", "created"): 1,
        ("visit", "duplicate"): 1,
        ("inspection", "duplicate"): 1,
        ("unknown", "rejected"): 1,
        ("inspection", "conflict"): 1,
    }


def test_a_push_rolled_back_counts_nothing(app, pack):
    from server.extensions import db
    from server.services.sync import engine

    engineer, _ = pack
    before = value("xunjian_sync_records_total", record_type="visit", status="created")
    engine.push(engineer.user, [rec.visit("520000")])
    db.session.rollback()
    assert value("xunjian_sync_records_total", record_type="visit", status="created") == before
    engine.push(engineer.user, [rec.visit("520000")])
    db.session.commit()
    assert value("xunjian_sync_records_total", record_type="visit", status="created") == before + 1


def test_photo_bytes_count_once_per_new_photo(auth, app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(buffer, "JPEG")
    data = buffer.getvalue()
    url = f"/api/v1/photos/{hashlib.sha256(data).hexdigest()}"
    bytes_before = value("xunjian_photo_stored_bytes_total")
    created = value("xunjian_photo_uploads_total", result="created")
    again = value("xunjian_photo_uploads_total", result="already_stored")
    engineer = auth("engineer")
    assert engineer.put(url, data=data, content_type="image/jpeg").status_code == 201
    assert engineer.put(url, data=data, content_type="image/jpeg").status_code == 200
    assert value("xunjian_photo_stored_bytes_total") == bytes_before + len(data)
    assert value("xunjian_photo_uploads_total", result="created") == created + 1
    assert value("xunjian_photo_uploads_total", result="already_stored") == again + 1


def test_the_scrape_has_the_queue_the_jobs_and_the_reminders(app, client, factory):
    from server.extensions import db
    from server.models import Job
    from server.models.reminders import ReminderAttempt, ReminderChannel, ReminderDelivery

    admin = factory.user("admin")
    channel = ReminderChannel(name="ops", kind="wecom", url="http://127.0.0.1:9/hook")
    db.session.add(channel)
    db.session.flush()
    for n, (state, oks) in enumerate(
        [("sent", [False, True]), ("failed", [False]), ("queued", [])]
    ):
        delivery = ReminderDelivery(
            rule="r", event_key=f"e{n}", channel_id=channel.id, title="t", text="x", state=state
        )
        db.session.add(delivery)
        db.session.flush()
        db.session.add_all(ReminderAttempt(delivery_id=delivery.id, ok=ok) for ok in oks)
    db.session.add_all(
        [Job(kind="handover", created_by_id=admin.id), Job(kind="handover", status="done")]
    )
    db.session.commit()
    app.extensions["huey_tasks"]["handover"](12345)  # one task waiting in the (memory) queue
    got = scrape(client)
    assert got[("xunjian_task_queue_pending", ())] == 1
    assert got[("xunjian_jobs", (("status", "queued"),))] == 1
    assert got[("xunjian_jobs", (("status", "done"),))] == 1
    for state in ("sent", "failed", "queued"):
        assert got[("xunjian_reminder_deliveries", (("channel", "wecom"), ("state", state)))] == 1
    assert (
        got[("xunjian_reminder_attempts_total", (("channel", "wecom"), ("result", "error")))] == 2
    )
    assert got[("xunjian_reminder_attempts_total", (("channel", "wecom"), ("result", "ok")))] == 1
    assert got[("xunjian_metrics_source_up", (("source", "database"),))] == 1


def test_a_source_down_is_reported_not_a_failed_scrape(app, client, monkeypatch):
    huey = app.extensions["huey"]
    monkeypatch.setattr(huey, "pending_count", lambda: (_ for _ in ()).throw(ConnectionError("x")))
    got = scrape(client)
    assert got[("xunjian_metrics_source_up", (("source", "task_queue"),))] == 0
    assert got[("xunjian_metrics_source_up", (("source", "database"),))] == 1


def test_metrics_are_served_to_this_machine_only_without_a_token(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    far = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.30.40"})
    assert far.status_code == 403 and far.get_json()["error"]["code_name"] == "forbidden"
    for header in ("X-Forwarded-For", "X-Real-IP", "Forwarded"):  # relayed by a proxy: refused
        proxied = client.get("/metrics", headers={header: "203.0.113.9"})
        assert proxied.status_code == 403, header


def test_with_a_token_metrics_need_the_bearer_token_from_anywhere(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-scrape-token"
    try:
        assert client.get("/metrics").status_code == 401
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and "METRICS_TOKEN" in wrong.get_json()["error"]["message"]
        far = {"REMOTE_ADDR": "10.20.30.40"}
        good = {"Authorization": "Bearer s3cret-scrape-token", "X-Forwarded-For": "10.0.0.1"}
        assert scrape(client, headers=good, environ_base=far)
    finally:
        app.config["METRICS_TOKEN"] = None
