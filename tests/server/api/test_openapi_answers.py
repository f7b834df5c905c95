"""Real answers of a whole fault, swap, RMA, plan and coverage flow conform to the OpenAPI document
(status, content type, schema; no key the schema lacks) and write every time as UTC with Z."""

from __future__ import annotations

import warnings

import pytest
import schemathesis

from server.api.schemas_sync import FieldPackOut
from server.extensions import db
from server.services.plans import plans as plan_service
from server.services.sync import pull as sync_pull
from tests.server.api.test_openapi import conforms, times_in
from tests.server.fault_scene import build_scene
from tests.server.frozen import FrozenClock, cst
from tests.server.plans_helpers import FieldFactory, utc
from tests.sync_records import envelope


@pytest.fixture
def openapi(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.fixture
def flow(app, reference_data, factory, auth, monkeypatch):
    """A fault raised in China time, diagnosed, swapped, sent to repair and back; a flagged swap;
    a retagged device; a plan and visits with inspections in 2026Q1."""
    scene = build_scene(reference_data, factory)
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 23, 40))
    engineer, supervisor = auth("engineer", scene.engineer), auth("supervisor", scene.supervisor)
    answers = []

    def keep(response, method, url):
        answers.append((method, url, response))
        return response.get_json()

    fault = keep(
        engineer.post(
            "/api/v1/faults",
            json={
                "tag": scene.faulty.tag,
                "description": "no video",
                "reported_at": "2026-03-08T23:30:00+08:00",
            },
        ),
        "post",
        "/api/v1/faults",
    )
    clock.advance(minutes=20)
    url = f"/api/v1/faults/{fault['id']}/steps"
    keep(engineer.post(url, json={"step": "diagnosing", "note": "cable?"}), "post", url)
    swap = keep(
        engineer.post(
            "/api/v1/swaps",
            json={
                "faulty_tag": scene.faulty.tag,
                "spare_tag": scene.spare.tag,
                "fault_id": fault["id"],
                "vendor": "Hikvision",
            },
        ),
        "post",
        "/api/v1/swaps",
    )
    flagged = keep(
        engineer.post(
            "/api/v1/swaps", json={"faulty_tag": scene.other.tag, "spare_tag": scene.spare.tag}
        ),
        "post",
        "/api/v1/swaps",
    )
    rma = supervisor.get("/api/v1/rma?open=true").get_json()["items"][0]
    clock.advance(days=3)
    url = f"/api/v1/rma/{rma['id']}/return"
    keep(engineer.post(url, json={"outcome": "repaired", "disposition": "swap_back"}), "post", url)
    url = f"/api/v1/devices/{scene.speaker.tag}/retag"
    retagged = keep(supervisor.post(url, json={"reason": "label lost"}), "post", url)
    plan = plan_service.create_quarterly_plan("2026Q1", seed=8)
    field = FieldFactory()
    visit = field.visit(
        scene.room_a.site, scene.engineer, utc(2026, 2, 10, 2), plan_entry=plan.entries[0]
    )
    field.inspection(visit, scene.faulty, outcome="fail", failed_items=["screen"])
    field.inspection(visit, tag="ZZZZZZZZ")
    db.session.commit()
    push = [
        envelope(
            "fault",
            {
                "tag": scene.other.tag,
                "description": "dark",
                "reported_at": "2026-03-11T08:00:00+08:00",
            },
        ),
        {"type": "nonsense"},
    ]
    keep(engineer.post("/api/v1/sync/push", json={"records": push}), "post", "/api/v1/sync/push")
    return {
        "scene": scene,
        "fault": fault,
        "swap": swap,
        "flagged": flagged,
        "rma": rma,
        "old_tag": retagged["retired_tag"],
        "plan": plan,
        "visit": visit,
        "answers": answers,
        "supervisor": supervisor,
    }


def reads(flow) -> list[str]:
    scene, site = flow["scene"], flow["scene"].room_a.site.code
    return [
        "/api/v1/health",
        "/api/v1/auth/me",
        "/api/v1/faults?month=2026-03",
        f"/api/v1/faults/{flow['fault']['id']}",
        "/api/v1/faults/breaches?month=2026-03",
        "/api/v1/faults/stats?quarter=2026Q1",
        "/api/v1/swaps",
        f"/api/v1/swaps/{flow['swap']['id']}",
        "/api/v1/rma",
        f"/api/v1/rma/{flow['rma']['id']}",
        "/api/v1/spares",
        f"/api/v1/devices/{scene.faulty.tag}/custody",
        f"/api/v1/devices/{scene.spare.tag}/custody",
        f"/api/v1/rooms/{scene.room_a.id}/custody",
        f"/api/v1/devices/{flow['old_tag']}",
        f"/api/v1/devices/{scene.faulty.tag}/history",
        "/api/v1/devices?per_page=5",
        "/api/v1/sync/pull",
        "/api/v1/sync/conflicts",
        "/api/v1/visits",
        "/api/v1/inspections",
        f"/api/v1/visits/{flow['visit'].uuid}",
        "/api/v1/plans",
        f"/api/v1/plans/{flow['plan'].id}",
        "/api/v1/coverage?quarter=2026Q1&include=missing,unexpected,failed,never_inspected",
        "/api/v1/coverage/map?quarter=2026Q1",
        f"/api/v1/coverage/sites/{site}?quarter=2026Q1",
        f"/api/v1/coverage/sites/{site}",
        "/api/v1/audit?per_page=20",
        "/api/v1/labels/templates",
        "/api/v1/labels/jobs",
        "/api/v1/checklists",
        "/api/v1/regions",
        "/api/v1/sites",
        "/api/v1/device-types",
        "/api/v1/users",
    ]


def test_every_answer_conforms_and_writes_times_as_utc_z(flow, openapi, auth):
    admin = auth("admin")
    answers = flow["answers"] + [("get", url, admin.get(url)) for url in reads(flow)]
    for method, url, response in answers:
        assert response.status_code < 300, (url, response.get_json())
        conforms(openapi, method, url, response)
        body = response.get_json()
        offsets = [t for t in times_in(body) if not t.endswith("Z")]
        assert offsets == [], f"{method.upper()} {url} answers times not in UTC with Z: {offsets}"
    fault = admin.get(f"/api/v1/faults/{flow['fault']['id']}").get_json()
    assert fault["reported_at"] == "2026-03-08T15:30:00Z"  # sent as 23:30+08:00
    assert flow["flagged"]["state"] == "flagged"


def test_the_field_pack_is_what_its_schema_says(flow):
    """The pull answers the pack as the sections built it (no re-dump, for speed): dumping it
    through FieldPackOut must change nothing and drop nothing."""
    full = sync_pull.pull(flow["scene"].supervisor, None)
    delta = sync_pull.pull(flow["scene"].supervisor, sync_pull.make_cursor(cst(2026, 3, 1)))
    assert delta["faults"] and delta["rma"] and delta["tag_aliases"] and delta["plans"]
    assert set(delta["deleted"]) == {"templates", "spares"}
    for pack in (full, delta):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert FieldPackOut().dump(pack) == pack
