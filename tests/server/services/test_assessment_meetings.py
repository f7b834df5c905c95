"""The major-events and emergency lines from meeting records (tests/server/assessment_meetings_scene.py):
each guarantee meeting with its checks on time, late and missing, its incidents and register, as
worked out by hand in the scene's docstring; the points stay 0 unless the reading says otherwise."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from server.services.assessment import assess, rules
from server.services.faults import lifecycle as fault_service
from tests.server import assessment_meetings_scene as scene
from tests.server.frozen import FrozenClock, cst

NOW = cst(2025, 4, 10, 12, 0)


@pytest.fixture
def meetings(app, reference_data, factory, monkeypatch, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    FrozenClock(monkeypatch, NOW)
    engineer, supervisor = factory.user("engineer"), factory.user("supervisor")
    rooms = reference_data["rooms"]
    unit = factory.device("L09", room=rooms[("520200", "main_conference")])
    made = scene.build(
        reference_data["sites"],
        supervisor,
        engineer,
        rooms[(scene.PROVINCE, "main_conference")],
        unit,
        monkeypatch,
    )
    db.session.commit()
    made["fault"] = fault_service.fault_by_uuid(made["incident_uuid"])
    return made


def _line(result, code):
    av = result.forms[0]
    return next(line for line in av.lines if line.code == code)


def test_guarantee_meetings_by_hand(meetings):
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW, label="2025-03")
    line = _line(result, "major_events")
    assert (line.score, line.deductions, line.bonuses) == (20, [], [])  # evidence, no points
    m1, m2 = meetings["m1"], meetings["m2"]
    assert [f.detail["meeting_id"] for f in line.evidence] == [m1.id, m2.id]  # not M3, M4, M5
    one, two = (f.detail for f in line.evidence)
    assert one["checks"] == {"on_time": 3, "late": 1, "missing": 2, "due": 0}
    assert sorted((lapse["kind"], lapse["timing"]) for lapse in one["lapses"]) == [
        ("checklist", "missing"),
        ("switch_on", "late"),
        ("switch_on", "missing"),
    ]
    fault = meetings["fault"]
    assert [(i["kind"], i["fault_id"]) for i in one["incidents"]] == [("lost_sound", fault.id)]
    assert one["register"]["recordings"] == 1 and one["sites"] == 3
    assert two["checks"] == {"on_time": 0, "late": 0, "missing": 3, "due": 0}
    assert two["register"] is None and two["incidents"] == []
    first = line.evidence[0]
    assert first.on == date(2025, 3, 6) and first.points == 0
    assert {link["kind"] for link in first.links} == {
        "meeting",
        "meeting_timeline",
        "usage_register",
        "fault",
    }
    assert f"/meetings?meeting={m1.id}" in {link["url"] for link in first.links}
    assert "逾期 1 项" in first.what_zh and "未做 2 项" in first.what_zh


def test_incidents_are_evidence_on_the_emergency_line(meetings):
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW, label="2025-03")
    line = _line(result, "emergency")
    # The fault raised from M1's incident was answered in 5 min and resolved in 35: no band.
    assert (line.score, [f.points for f in line.deductions]) == (20, [])
    rows = [(f.detail["meeting_id"], f.detail["kind"], f.points) for f in line.evidence]
    assert rows == [(meetings["m1"].id, "lost_sound", 0), (meetings["m3"].id, "mosaic", 0)]
    assert "fault" in {link["kind"] for link in line.evidence[0].links}


def test_a_reading_with_points_deducts_each_lapse(meetings, monkeypatch):
    monkeypatch.setattr(rules, "MAJOR_EVENT_LAPSE_POINTS", -1)
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW, label="2025-03")
    line = _line(result, "major_events")
    assert ([f.points for f in line.deductions], line.score, line.evidence) == ([-3, -3], 14, [])


def test_a_meeting_not_begun_is_not_on_the_line(meetings):
    early = cst(2025, 3, 6, 8, 0)  # M1 starts at 09:00
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=early, label="2025-03")
    assert _line(result, "major_events").evidence == []


def test_the_api_answers_the_evidence(meetings, auth):
    body = auth("supervisor").get("/api/v1/assessment?period=2025-03").get_json()
    av = next(form for form in body["forms"] if form["code"] == "av")
    line = next(line for line in av["lines"] if line["code"] == "major_events")
    assert [e["rule"] for e in line["evidence"]] == ["guarantee_meeting"] * 2
    assert line["evidence"][0]["on"] == "2025-03-06"
    assert line["evidence"][0]["detail"]["checks"]["late"] == 1
    assert line["evidence"][0]["rule_zh"] == "保障会议记录"
