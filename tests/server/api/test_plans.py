"""Plans over the API: create, refuse bad input, replace entries, reproducibility, field pack."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, Plan, PlanEntry, Site, utcnow
from server.services.plans import plans as plan_service
from server.services.plans.replace import replace_entry
from server.services.sync.registry import PACK_SECTIONS


def _counts():
    return (
        db.session.scalar(sa.select(sa.func.count(Plan.id))),
        db.session.scalar(sa.select(sa.func.count(PlanEntry.id))),
    )


def test_supervisor_plans_a_quarter(reference_data, auth, factory):
    engineers = [factory.user("engineer") for _ in range(3)]
    client = auth("supervisor")
    response = client.post("/api/v1/plans", json={"period": "2026Q1"})
    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    assert plan["kind"] == "quarterly" and plan["size"] == 30 and plan["seed"] >= 0
    entries = plan["entries"]
    assert len({e["site_code"] for e in entries}) == 30
    loads = sorted(sum(e["engineer_id"] == u.id for e in entries) for u in engineers)
    assert loads == [10, 10, 10]
    assert {e["prefecture"] for e in entries} >= {"520100", "520300", "522600"}
    assert all(e["due_date"] == "2026-03-31" for e in entries)
    assert (
        db.session.scalar(sa.select(sa.func.count(AuditLog.id)).where(AuditLog.entity == "plan"))
        == 1
    )
    listed = client.get("/api/v1/plans").get_json()
    assert listed["total"] == 1 and listed["items"][0]["period"] == "2026Q1"
    assert client.get(f"/api/v1/plans/{plan['id']}").get_json()["entries"] == entries


def test_same_seed_gives_the_same_plan(reference_data, auth):
    client = auth("supervisor")
    first = client.post("/api/v1/plans", json={"period": "2026Q1", "seed": 99}).get_json()
    again = client.post("/api/v1/plans", json={"period": "2026Q1", "seed": 99, "replace": True})
    assert again.status_code == 201
    codes = [e["site_code"] for e in first["entries"]]
    assert [e["site_code"] for e in again.get_json()["entries"]] == codes
    other = client.post("/api/v1/plans", json={"period": "2026Q1", "seed": 100, "replace": True})
    assert [e["site_code"] for e in other.get_json()["entries"]] != codes
    old = db.session.get(Plan, first["id"])
    assert old.status == "replaced" and {e.state for e in old.entries} == {"cancelled"}


def test_bad_input_is_refused_and_nothing_written(reference_data, auth):
    client = auth("supervisor")
    for body, field in [
        ({"period": "2026Q5"}, "period"),
        ({"period": "2026-Q1"}, "period"),
        ({"period": "2026Q1", "size": 100}, "size"),
        ({"period": "2026Q1", "size": 0}, "size"),
        ({"period": "2026Q1", "colour": "red"}, "colour"),
        ({"kind": "daily", "period": "2026-13"}, "period"),
    ]:
        response = client.post("/api/v1/plans", json=body)
        assert response.status_code == 422, body
        assert field in str(response.get_json()["error"]["errors"]), response.get_json()
        assert _counts() == (0, 0)
    assert client.post("/api/v1/plans", json={"period": "2026q1"}).status_code == 201
    before = _counts()
    second = client.post("/api/v1/plans", json={"period": "2026Q1"})
    assert second.status_code == 409
    assert "replace" in second.get_json()["error"]["message"]
    assert _counts() == before


def test_replacement_keeps_the_reason(reference_data, auth):
    client = auth("supervisor")
    plan = client.post("/api/v1/plans", json={"period": "2026Q1", "seed": 5}).get_json()
    planned = {e["site_code"] for e in plan["entries"]}
    entry = next(e for e in plan["entries"] if not e["required"])
    free = next(code for code in sorted(reference_data["sites"]) if code not in planned)
    url = f"/api/v1/plans/{plan['id']}/entries/{entry['id']}/replace"
    for body in (
        {"site_code": free},
        {"site_code": free, "reason": ""},
        {"site_code": free, "reason": "   "},
    ):
        response = client.post(url, json=body)
        assert response.status_code == 422, body
        assert "reason" in str(response.get_json()["error"])
    assert client.post(url, json={"site_code": "999999", "reason": "x"}).status_code == 422
    taken = next(c for c in planned if c != entry["site_code"])
    assert client.post(url, json={"site_code": taken, "reason": "x"}).status_code == 409
    response = client.post(url, json={"site_code": free, "reason": "道路塌方，无法到达"})
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert new["replaces_id"] == entry["id"] and new["replace_reason"] == "道路塌方，无法到达"
    assert new["replaced_by_user_id"] == client.user.id and new["replaced_at"]
    detail = client.get(f"/api/v1/plans/{plan['id']}").get_json()["entries"]
    states = {e["id"]: e["state"] for e in detail}
    assert states[entry["id"]] == "replaced" and states[new["id"]] == "planned"
    assert client.post(url, json={"site_code": free, "reason": "again"}).status_code == 409


def test_rotation_entries_need_an_equally_urgent_replacement(reference_data, auth):
    client = auth("supervisor")
    # Cold start: every bureau due by the fourth quarter; 9 are taken as rotation entries.
    plan = client.post("/api/v1/plans", json={"period": "2026Q1", "seed": 3}).get_json()
    required = [e for e in plan["entries"] if e["required"]]
    assert len(required) == 99 - 3 * 30
    planned = {e["site_code"] for e in plan["entries"]}
    free = next(code for code in sorted(reference_data["sites"]) if code not in planned)
    url = f"/api/v1/plans/{plan['id']}/entries/{required[0]['id']}/replace"
    # Never planned: equally urgent, so allowed.
    assert client.post(url, json={"site_code": free, "reason": "closed"}).status_code == 201
    plan2 = client.post("/api/v1/plans", json={"period": "2026Q2", "seed": 3}).get_json()
    req2 = next(e for e in plan2["entries"] if e["required"])
    url2 = f"/api/v1/plans/{plan2['id']}/entries/{req2['id']}/replace"
    planned_q1 = {
        e.site.code for e in db.session.get(Plan, plan["id"]).entries if e.state == "planned"
    }
    planned_q2 = {e["site_code"] for e in plan2["entries"]}
    recent = next(c for c in sorted(planned_q1) if c not in planned_q2)
    refused = client.post(url2, json={"site_code": recent, "reason": "closed"})
    assert refused.status_code == 409 and "four" in refused.get_json()["error"]["message"]
    forced = client.post(url2, json={"site_code": recent, "reason": "closed", "force": True})
    assert forced.status_code == 201


def test_daily_and_monthly_plans(reference_data, auth, factory, app):
    factory.user("engineer")
    client = auth("supervisor")
    daily = client.post("/api/v1/plans", json={"kind": "daily", "period": "2026-03"}).get_json()
    days = [e["due_date"] for e in daily["entries"]]
    assert len(days) == 22 and "2026-03-07" not in days and "2026-03-02" in days
    assert {e["site_code"] for e in daily["entries"]} == {"520000"}
    monthly = client.post("/api/v1/plans", json={"kind": "monthly", "period": "2026"}).get_json()
    assert [e["due_date"][:7] for e in monthly["entries"]] == [
        f"2026-{m:02d}" for m in range(1, 13)
    ]
    bad = client.post("/api/v1/plans", json={"kind": "daily", "period": "2026-04", "size": 3})
    assert bad.status_code == 422
    april = client.post("/api/v1/plans", json={"kind": "daily", "period": "2026-04"}).get_json()
    assert "2026-04-06" not in [e["due_date"] for e in april["entries"]]  # Qingming, in lieu
    # An admin override counts: 2027 is not in the library, so its Spring Festival is entered.
    admin = auth("admin")
    for day in ("2027-02-08", "2027-02-09"):
        admin.put(f"/api/v1/calendar/overrides/{day}", json={"is_working": False, "note": "春节"})
    march = client.post("/api/v1/plans", json={"kind": "daily", "period": "2028-03"}).get_json()
    assert "2028" in march["calendar_warning"] and len(march["entries"]) == 23  # Mon-Fri
    feb = client.post("/api/v1/plans", json={"kind": "daily", "period": "2027-02"}).get_json()
    days = [e["due_date"] for e in feb["entries"]]
    assert "2027-02-08" not in days and "2027-02-10" in days and len(days) == 18
    assert feb["calendar_warning"] is None and daily["calendar_warning"] is None


def test_field_pack_section_sends_each_engineer_their_entries(reference_data, auth, factory):
    one, two = factory.user("engineer"), factory.user("engineer")
    supervisor = factory.user("supervisor")
    plan = plan_service.create_quarterly_plan("2026Q1", seed=1, user=supervisor)
    db.session.commit()
    section = PACK_SECTIONS["plans"]
    mine = [section.dump(e) for e in section.changed_since(one, None)]
    assert len(mine) == 15 and {e["engineer_id"] for e in mine} == {one.id}
    assert len(section.changed_since(supervisor, None)) == 30
    cursor = max(e.updated_at for e in plan.entries)
    entry = next(e for e in plan.entries if e.engineer_id == one.id and not e.required)
    free = db.session.scalar(
        sa.select(Site).where(
            Site.id.not_in([e.site_id for e in plan.entries]), Site.tier == "county"
        )
    )
    replace_entry(plan.id, entry.id, free.code, "bridge closed", supervisor, engineer_id=two.id)
    db.session.commit()
    changed_one = [section.dump(e) for e in section.changed_since(one, cursor)]
    assert [(e["id"], e["state"]) for e in changed_one] == [(entry.id, "replaced")]
    changed_two = [section.dump(e) for e in section.changed_since(two, cursor)]
    assert [(e["site_code"], e["state"]) for e in changed_two] == [(free.code, "planned")]


def test_cli_prints_the_plan_as_csv(reference_data, app, factory):
    factory.user("engineer")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plan", "--quarter", "2026Q1", "--seed", "11"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert lines[0].startswith("site_code,site_name,prefecture,engineer")
    assert len(lines) == 31
    bad = runner.invoke(args=["plan", "--quarter", "26Q1"])
    assert bad.exit_code == 2 and "YYYYQn" in bad.output
    again = runner.invoke(args=["plan", "--quarter", "2026Q1"])
    assert again.exit_code == 2 and "already exists" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 1


def _visit_record(entry_id, site_code, uuid="7c1a6d2e-5b1f-4e8a-9a41-0f4f7f0a2b10"):
    return {
        "uuid": uuid,
        "type": "visit",
        "client_time": "2026-03-02T10:00:00+08:00",
        "data": {
            "site_code": site_code,
            "inspection_kind": "quarterly",
            "started_at": "2026-03-02T09:00:00+08:00",
            "finished_at": "2026-03-02T10:00:00+08:00",
            "plan_entry_id": entry_id,
            "summary": None,
        },
    }


def test_a_visit_for_an_entry_marks_it_visited_in_the_next_delta_pull(
    reference_data, auth, factory
):
    engineer = auth("engineer")
    factory.user("engineer")
    plan = plan_service.create_quarterly_plan("2026Q1", seed=3, user=factory.user("supervisor"))
    db.session.commit()
    entry = next(e for e in plan.entries if e.engineer_id == engineer.user.id)
    # the plan was made an hour ago: outside the pull's 10-minute overlap
    db.session.execute(sa.update(PlanEntry).values(updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    cursor = engineer.get("/api/v1/sync/pull").get_json()["cursor"]
    sent = engineer.post(
        "/api/v1/sync/push",
        json={
            "sent_at": "2026-03-02T10:00:05+08:00",
            "records": [_visit_record(entry.id, entry.site.code)],
        },
    )
    assert sent.get_json()["results"][0]["status"] == "created"
    delta = engineer.get(f"/api/v1/sync/pull?cursor={cursor}").get_json()
    assert [(e["id"], e["visited"]) for e in delta["plans"]] == [(entry.id, True)]


def test_a_visit_naming_an_unknown_entry_is_rejected_with_the_field(reference_data, auth):
    engineer = auth("engineer")
    answer = engineer.post("/api/v1/sync/push", json={"records": [_visit_record(999999, "520000")]})
    [result] = answer.get_json()["results"]
    assert result["status"] == "rejected"
    assert "plan_entry_id" in result["errors"]["data"]


def test_a_pre_meeting_plan_is_refused_naming_the_kind(reference_data, auth):
    client = auth("supervisor")
    response = client.post("/api/v1/plans", json={"kind": "pre_meeting", "period": "2026-03"})
    assert response.status_code == 422
    errors = response.get_json()["error"]["errors"]
    assert "meeting" in str(errors["json"]["kind"]), errors
    assert _counts() == (0, 0)
