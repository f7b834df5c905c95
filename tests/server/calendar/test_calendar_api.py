"""GET /api/v1/calendar and the admin overrides: sources, gap warnings, bad input, CSRF."""

from __future__ import annotations


def test_year_lists_sources_and_no_gap(auth):
    body = auth("viewer").get("/api/v1/calendar?year=2025").get_json()
    assert body["gaps"] == [] and body["warning"] is None
    assert len(body["days"]) == 365
    by_day = {d["day"]: d for d in body["days"]}
    assert by_day["2025-01-26"]["working"] and by_day["2025-01-26"]["weekday"] == 7
    assert by_day["2025-01-29"] == {
        "day": "2025-01-29",
        "weekday": 3,
        "working": False,
        "source": "library",
        "holiday": "spring_festival",
        "note": None,
    }
    assert body["working_days"] == sum(d["working"] for d in body["days"])


def test_unknown_year_warns(auth):
    body = auth("engineer").get("/api/v1/calendar?from=2026-12-28&to=2027-01-03").get_json()
    assert body["gaps"] == [2027] and "2027" in body["warning"]
    assert {d["source"] for d in body["days"] if d["day"] >= "2027"} == {"weekday_rule"}


def test_admin_override_round_trip(auth):
    admin = auth("admin")
    put = admin.put(
        "/api/v1/calendar/overrides/2027-02-06", json={"is_working": False, "note": "春节"}
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["set_by_id"] == admin.user.id
    body = admin.get("/api/v1/calendar?month=2027-02").get_json()
    assert body["gaps"] == []
    day = next(d for d in body["days"] if d["day"] == "2027-02-06")
    assert (day["source"], day["working"], day["note"]) == ("override", False, "春节")
    assert [o["day"] for o in body["overrides"]] == ["2027-02-06"]
    assert admin.delete("/api/v1/calendar/overrides/2027-02-06").status_code == 204
    assert admin.delete("/api/v1/calendar/overrides/2027-02-06").status_code == 404


def test_bad_input_is_refused(auth):
    admin = auth("admin")
    bad_day = admin.put(
        "/api/v1/calendar/overrides/2027-2-6", json={"is_working": True, "note": "x"}
    )
    assert bad_day.status_code == 422 and "YYYY-MM-DD" in bad_day.get_json()["error"]["message"]
    blank = admin.put(
        "/api/v1/calendar/overrides/2027-02-06", json={"is_working": True, "note": " "}
    )
    assert blank.status_code == 422
    assert admin.get("/api/v1/calendar?year=2025&month=2025-01").status_code == 422
    assert admin.get("/api/v1/calendar?yaer=2025").status_code == 422
    assert admin.get("/api/v1/calendar?from=2025-02-01&to=2025-01-01").status_code == 422
    assert admin.get("/api/v1/calendar?month=2027-02").get_json()["overrides"] == []


def test_override_write_needs_csrf(auth):
    admin = auth("admin")
    response = admin.client.put(
        "/api/v1/calendar/overrides/2027-02-06", json={"is_working": False, "note": "春节"}
    )
    assert response.status_code in (400, 403)


def test_cli_show_lists_exceptions_and_warns(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["calendar", "show", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "2025-01-26  work  library" in result.output and "248 working days" in result.output
    unknown = runner.invoke(args=["calendar", "show", "--month", "2027-02"])
    assert "Warning: The holiday schedule of 2027" in unknown.output
    assert runner.invoke(args=["calendar", "show"]).exit_code != 0
