"""The site-level check (`site_check`): a room's daily checklist without scanning each unit,
pushed through the real sync endpoint, counted as the province bureau's daily check; its
refusals, replays and conflicts; and visits of every kind a site can have."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import SITE_CHECK_KIND, Inspection, SiteCheck, SyncConflict, Visit
from server.services.assessment import daily_points
from server.services.calendar import daily_ledger, missed_daily_checks
from tests import sync_records as rec

PROVINCE = "520000"
COUNTY = "520102"


def _pack(client) -> dict:
    pack = client.get("/api/v1/sync/pull")
    assert pack.status_code == 200
    return pack.get_json()


def _room_template(pack) -> dict:
    return next(
        t for t in pack["templates"] if t["key"] == pack["constants"]["field"]["site_check_kind"]
    )


def _room(pack, code) -> int:
    site = next(s for s in pack["sites"] if s["code"] == code)
    return next(r["id"] for r in pack["rooms"] if r["site_id"] == site["id"])


def _push(client, *records) -> list[dict]:
    response = client.post("/api/v1/sync/push", json={"records": list(records)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_pack_names_the_room_template_and_the_kinds_per_tier(reference_data, auth):
    pack = _pack(auth("engineer"))
    rules = pack["constants"]["field"]
    assert rules["site_check_kind"] == SITE_CHECK_KIND == "room.daily"
    assert rules["visit_kinds"]["province"] == ["quarterly", "daily", "monthly", "pre_meeting"]
    assert rules["visit_kinds"]["county"] == ["quarterly", "pre_meeting"]
    template = _room_template(pack)
    assert template["device_kind"] == "room" and template["inspection_kind"] == "daily"
    sections = [i["section"] for i in template["items"]]
    for kind in ("display", "camera", "audio", "network", "video_conference"):
        assert kind in sections


def test_a_day_with_only_a_site_check_counts(reference_data, auth):
    engineer = auth("engineer")
    pack = _pack(engineer)
    monday = datetime(2025, 11, 3, 1, 0, tzinfo=UTC)  # 09:00 China time, a working day
    visit = rec.visit(PROVINCE, "daily", started_at=monday.isoformat())
    check = rec.site_check(
        _room_template(pack),
        _room(pack, PROVINCE),
        visit_uuid=visit["uuid"],
        checked_at=(monday + timedelta(minutes=5)).isoformat(),
    )
    results = _push(engineer, visit, check)
    assert [r["status"] for r in results] == ["created", "created"]
    stored = db.session.scalars(sa.select(SiteCheck)).one()
    assert stored.outcome == "pass" and stored.site_id == reference_data["sites"][PROVINCE].id
    assert stored.visit_uuid == visit["uuid"] and _count(Inspection) == 0  # no unit scanned
    ledger = daily_ledger(date(2025, 11, 1), date(2025, 11, 30), today=date(2025, 12, 1))
    assert ledger.checked == [date(2025, 11, 3)]
    assert len(ledger.missed) == 19 and date(2025, 11, 3) not in [m.day for m in ledger.missed]
    assert len(missed_daily_checks(date(2025, 11, 1), date(2025, 11, 30))) == 19
    findings = daily_points.missed_daily_checks(
        date(2025, 11, 1), date(2025, 11, 30), date(2025, 12, 1)
    )
    assert len(findings) == 19 and date(2025, 11, 3) not in [f.on for f in findings]


def test_the_day_is_the_china_day_of_the_check(reference_data, auth):
    engineer = auth("engineer")
    pack = _pack(engineer)
    late = datetime(2025, 11, 4, 15, 30, tzinfo=UTC)  # 23:30 Tuesday China time
    _push(
        engineer,
        rec.site_check(_room_template(pack), _room(pack, PROVINCE), checked_at=late.isoformat()),
    )
    ledger = daily_ledger(date(2025, 11, 1), date(2025, 11, 30), today=date(2025, 12, 1))
    assert ledger.checked == [periods.local_day(late)] == [date(2025, 11, 4)]


def test_a_replay_is_a_duplicate_and_a_changed_one_a_conflict(reference_data, auth):
    engineer = auth("engineer")
    pack = _pack(engineer)
    check = rec.site_check(_room_template(pack), _room(pack, PROVINCE))
    first = _push(engineer, check)[0]
    again = _push(engineer, check)[0]
    assert first["status"] == "created" and again == {
        **again,
        "status": "duplicate",
        "id": first["id"],
    }
    changed = dict(check, data=dict(check["data"], notes="投影机偏色"))
    conflict = _push(engineer, changed)[0]
    assert conflict["status"] == "conflict" and conflict["id"] == first["id"]
    assert _count(SiteCheck) == 1 and _count(SyncConflict) == 1
    assert db.session.scalars(sa.select(SiteCheck)).one().notes is None  # not applied


def _refused(engineer, record) -> dict:
    result = _push(engineer, record)[0]
    assert result["status"] == "rejected", result
    return result


def test_bad_site_checks_are_refused_with_a_code_and_nothing_stored(reference_data, auth):
    engineer = auth("engineer")
    pack = _pack(engineer)
    template, room_id = _room_template(pack), _room(pack, PROVINCE)
    county = _refused(engineer, rec.site_check(template, _room(pack, COUNTY)))
    assert county["code"] == "kind_not_for_site" and "room_id" in county["errors"]["data"]
    assert _refused(engineer, rec.site_check(template, 999999))["code"] == "unknown_room"
    unit = next(t for t in pack["templates"] if t["key"] == "display.daily")
    wrong = _refused(engineer, rec.site_check(unit, room_id, results=[]))
    assert wrong["code"] == "invalid" and "template_id" in wrong["errors"]["data"]
    rooms = reference_data["rooms"]
    room = next(r for r in rooms.values() if r.id == room_id)
    room.closed_at = datetime(2025, 10, 1, tzinfo=UTC)
    db.session.commit()
    assert _refused(engineer, rec.site_check(template, room_id))["code"] == "room_closed"
    room.closed_at = None
    room.site.closed_at = datetime(2025, 10, 1, tzinfo=UTC)
    db.session.commit()
    assert _refused(engineer, rec.site_check(template, room_id))["code"] == "site_closed_for_checks"
    assert _count(SiteCheck) == 0


def test_visits_of_every_kind_the_site_can_have_are_stored(reference_data, auth):
    engineer = auth("engineer")
    kinds = ("quarterly", "daily", "monthly", "pre_meeting")
    results = _push(engineer, *[rec.visit(PROVINCE, kind) for kind in kinds])
    assert [r["status"] for r in results] == ["created"] * 4
    county = _push(engineer, *[rec.visit(COUNTY, kind) for kind in kinds])
    assert [r["status"] for r in county] == ["created", "rejected", "rejected", "created"]
    assert {r.get("code") for r in county if r["status"] == "rejected"} == {"kind_not_for_site"}
    assert "inspection_kind" in county[1]["errors"]["data"]
    stored = db.session.scalars(sa.select(Visit.inspection_kind)).all()
    assert sorted(stored) == sorted([*kinds, "quarterly", "pre_meeting"])
