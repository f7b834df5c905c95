"""GET /api/v1/dashboard on a built scene, the figures checked by hand: today's daily check done
or not yet (and by whom), a fault past its response clock and one about to breach, a spare
type below its minimum, the review queues for managers only, the trends of the month."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.extensions import db
from tests.server.dashboard_scene import build
from tests.server.frozen import FrozenClock, cst

URL = "/api/v1/dashboard"
NOW = cst(2025, 11, 20, 10, 0)  # a Thursday, a working day, inside the 2025 contract term


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, NOW)


@pytest.fixture
def scene(reference_data, factory, clock):
    engineer, supervisor = factory.user("engineer"), factory.user("supervisor")
    engineer.display_name = "张工"
    db.session.commit()
    return build(engineer, supervisor, NOW)


def test_the_tiles_of_today(scene, auth):
    body = auth("supervisor").get(URL).get_json()
    assert body["today"] == "2025-11-20"
    daily = body["daily_check"]
    assert (daily["working_day"], daily["done"], daily["site"]["code"]) == (True, True, "520000")
    assert [c["display_name"] for c in daily["checks"]] == ["张工"]
    assert daily["checks"][0]["started_at"] == "2025-11-20T01:30:00Z"  # 09:30 China time
    # November 2025 before the 20th: 13 working days owed, none checked (today is still open).
    assert daily["month"] == {"due_days": 13, "checked_days": 0, "missed_days": 13}
    faults = body["faults"]
    assert (faults["open"], faults["breached"], faults["about_to_breach"]) == (2, 1, 1)
    late, near = faults["items"]  # breached first
    assert (late["id"], late["breached"], late["about_to_breach"]) == (
        scene.late.id,
        ["response"],
        [],
    )
    assert late["clocks"]["response"]["remaining_seconds"] == -600
    assert late["site_code"] == "520102" and late["state"] == "reported"
    assert (near["id"], near["breached"], near["about_to_breach"]) == (
        scene.near.id,
        [],
        ["response"],
    )
    assert near["clocks"]["response"]["remaining_seconds"] == 180
    assert body["spares"] == {
        "total": 1,
        "low_stock": [
            {
                "type_code": "L09",
                "name_zh": body["spares"]["low_stock"][0]["name_zh"],
                "name_en": body["spares"]["low_stock"][0]["name_en"],
                "count": 1,
                "min_count": 3,
            }
        ],
    }
    assert body["review"] == {
        "conflicts": 0,
        "swaps": 0,
        "clock": 0,
        "photos": 0,
        "set_aside": 0,
        "lost": 0,
    }
    assert body["plan"]["quarter"] == "2025Q4" and body["plan"]["planned"] == 0
    assert body["overdue"]["count"] == 99  # no bureau visited in a quarterly round yet
    assessment = body["assessment"]
    assert assessment["period"] == "2025-01-01..2025-12-31"
    assert assessment["projection"]["days"] == 365
    assert assessment["at_risk_points"] > 0  # daily checks still owed this month


def test_no_daily_check_yet_and_viewers_see_no_review_queue(reference_data, factory, clock, auth):
    build(factory.user("engineer"), factory.user("supervisor"), NOW, daily_done=False)
    body = auth("viewer").get(URL).get_json()
    daily = body["daily_check"]
    assert (daily["working_day"], daily["done"], daily["checks"]) == (True, False, [])
    assert body["review"] is None


def test_the_trends_of_the_last_twelve_months(scene, auth):
    trends = auth("admin").get(URL).get_json()["trends"]
    assert trends["period"] == {
        "label": "2024-12-01..2025-11-30",
        "first": "2024-12-01",
        "last": "2025-11-30",
    }
    assert trends["months"][0] == "2024-12" and trends["months"][-1] == "2025-11"
    november = trends["faults"][-1]
    assert november == {"month": "2025-11", "reported": 2, "resolved": 0, "rate": 0.0}
    assert all(m["reported"] == 0 and m["rate"] is None for m in trends["faults"][:-1])
    assert [b["up_to_minutes"] for b in trends["bands"]] == [10, 30, 60, 120, None]
    # sla.summarize: the unanswered fault 20 minutes late already sits in the 30-minute band;
    # the one still inside its 10 minutes is in none yet.
    assert trends["response"][-1]["counts"] == [0, 1, 0, 0, 0]
    assert trends["daily_checks"][-1] == {"month": "2025-11", "due": 13, "checked": 0}
    quarters = {r["quarter"] for r in trends["coverage"]}
    assert quarters == {"2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"}
    guiyang = next(
        r for r in trends["coverage"] if r["quarter"] == "2025Q4" and r["prefecture"] == "520100"
    )
    assert guiyang["name"] == "贵阳市" and guiyang["bureaus"] == 12 and guiyang["visited"] == 0


def test_the_meetings_of_the_coming_week(scene, auth):
    supervisor = auth("supervisor")

    def meeting(title: str, days: int) -> None:
        starts = NOW + timedelta(days=days)
        answer = supervisor.post(
            "/api/v1/meetings",
            json={
                "title": title,
                "kind": "provincial_video",
                "host_site_code": "520000",
                "starts_at": starts.isoformat(),
                "ends_at": (starts + timedelta(hours=2)).isoformat(),
                "site_scope": "list",
                "site_codes": ["520100"],
                "speaking_codes": [],
                "engineer_ids": [],
            },
        )
        assert answer.status_code == 201, answer.get_json()

    meeting("全省医保视频会议", 1)
    meeting("下个月的会", 10)  # beyond the week
    meetings = supervisor.get(URL).get_json()["meetings"]
    assert meetings["days"] == 7 and meetings["count"] == 1
    assert [m["title"] for m in meetings["items"]] == ["全省医保视频会议"]
    assert meetings["items"][0]["starts_at"] == "2025-11-21T02:00:00Z"


def test_a_period_parameter_and_a_bad_one(scene, auth):
    client = auth("supervisor")
    trends = client.get(f"{URL}?period=2025Q4").get_json()["trends"]
    assert trends["months"] == ["2025-10", "2025-11", "2025-12"]
    assert trends["daily_checks"][1] == {"month": "2025-11", "due": 13, "checked": 0}
    assert trends["daily_checks"][2]["due"] == 0  # December is still to come
    answer = client.get(f"{URL}?period=2025-13")
    assert answer.status_code == 422
    assert "period" in answer.get_json()["error"]["errors"]["query"]
    assert client.get(f"{URL}?month=2025-11").status_code == 422  # unknown parameter


def test_an_answered_fault_lands_in_its_band(scene, clock, auth):
    supervisor = auth("supervisor")
    answer = supervisor.post(
        f"/api/v1/faults/{scene.near.id}/steps",
        json={"step": "responded", "at": "2025-11-20T01:58:00Z"},  # 5 minutes after the report
    )
    assert answer.status_code in (200, 201), answer.get_json()
    body = supervisor.get(URL).get_json()
    assert body["faults"]["about_to_breach"] == 0
    assert body["trends"]["response"][-1]["counts"] == [1, 1, 0, 0, 0]
