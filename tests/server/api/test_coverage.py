"""Coverage over the API: planned vs visited, expected/inspected/missing/unexpected, exports, map."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Device, Room, Site
from server.services.plans import plans as plan_service
from tests.server.plans_helpers import FieldFactory, utc


@pytest.fixture
def field():
    return FieldFactory()


def _devices_at(code: str) -> list[Device]:
    return list(
        db.session.scalars(
            sa.select(Device)
            .join(Room, Room.id == Device.room_id)
            .join(Site, Site.id == Room.site_id)
            .where(Site.code == code)
            .order_by(Device.tag)
        )
    )


def _site(code):
    return db.session.scalar(sa.select(Site).where(Site.code == code))


@pytest.fixture
def quarter(demo, factory, field):
    """2026Q1 planned; two planned sites visited (one fully, one partly), one unplanned visit."""
    engineer = factory.user("engineer")
    plan = plan_service.create_quarterly_plan("2026Q1", seed=8)
    db.session.commit()
    entries = [e for e in plan.entries]
    full, partial = entries[0].site, entries[1].site
    planned_codes = {e.site.code for e in entries}
    extra = next(
        s
        for s in db.session.scalars(
            sa.select(Site).where(Site.tier == "county").order_by(Site.code)
        )
        if s.code not in planned_codes
    )
    at = utc(2026, 2, 10, 2)
    v1 = field.visit(full, engineer, at, plan_entry=entries[0])
    full_devices = _devices_at(full.code)
    first = field.inspection(v1, full_devices[0], outcome="fail", failed_items=["screen"])
    for device in full_devices:
        if device is not full_devices[0]:
            field.inspection(v1, device)
    # The failed check was corrected the same day: the later fact wins.
    field.inspection(v1, full_devices[0], outcome="pass", supersedes=first)
    v2 = field.visit(partial, engineer, utc(2026, 3, 3, 1), plan_entry=entries[1])
    partial_devices = _devices_at(partial.code)
    field.inspection(v2, partial_devices[0], outcome="fail", failed_items=["fan", "audio"])
    stray = _devices_at(extra.code)[0]
    field.inspection(v2, stray)  # registered elsewhere
    field.inspection(v2, tag="ZZZZZZZZ")  # unknown tag
    field.visit(extra, engineer, utc(2026, 1, 20, 3))
    # Outside the quarter: must not count.
    old = field.visit(partial, engineer, utc(2025, 12, 31, 15))  # 23:00 CST: still 2025Q4
    for device in partial_devices:
        field.inspection(old, device)
    db.session.commit()
    return {
        "plan": plan,
        "full": full,
        "partial": partial,
        "extra": extra,
        "stray": stray,
        "full_devices": full_devices,
        "partial_devices": partial_devices,
    }


def _row(result, code):
    return next(r for r in result["sites"] if r["code"] == code)


def test_coverage_matches_the_records(quarter, auth):
    client = auth("viewer")
    response = client.get(
        "/api/v1/coverage?quarter=2026Q1&include=missing,unexpected,failed,never_inspected"
    )
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    summary = result["summary"]
    assert summary["bureaus"] == 99 and summary["planned"] == 30
    assert summary["visited"] == 3 and summary["planned_visited"] == 2
    assert summary["planned_not_visited"] == 28 and summary["visited_unplanned"] == 1
    full = _row(result, quarter["full"].code)
    assert full["expected"] == len(quarter["full_devices"]) == full["inspected"]
    assert full["missing"] == 0 and full["unexpected"] == 0 and full["failed_items"] == 0
    assert full["state"] == "complete"
    partial = _row(result, quarter["partial"].code)
    assert partial["expected"] == len(quarter["partial_devices"])
    assert partial["inspected"] == 1 and partial["missing"] == partial["expected"] - 1
    assert partial["unexpected"] == 2 and partial["failed_items"] == 2
    assert partial["state"] == "partial"
    extra = _row(result, quarter["extra"].code)
    assert extra["visited"] and not extra["planned"] and extra["inspected"] == 0
    untouched = next(r for r in result["sites"] if not r["visited"] and not r["planned"])
    assert untouched["missing"] is None and untouched["state"] == "overdue"
    missing = {(m["site_code"], m["tag"]) for m in result["missing_devices"]}
    assert missing == {(quarter["partial"].code, d.tag) for d in quarter["partial_devices"][1:]} | {
        (quarter["extra"].code, d.tag) for d in _devices_at(quarter["extra"].code)
    }
    unexpected = {(u["tag"], u["registered_site_code"]) for u in result["unexpected_devices"]}
    assert unexpected == {(quarter["stray"].tag, quarter["extra"].code), ("ZZZZZZZZ", None)}
    assert sorted(f["item_key"] for f in result["failed"]) == ["audio", "fan"]
    # Devices never inspected: everything live except what these visits (and 2025Q4's) saw.
    inspected = {d.id for d in quarter["full_devices"] + quarter["partial_devices"]} | {
        quarter["stray"].id
    }
    live = db.session.scalar(
        sa.select(sa.func.count(Device.id)).where(
            Device.status.in_(("in_service", "faulty", "in_repair")), Device.room_id.is_not(None)
        )
    )
    assert result["never_inspected"]["count"] == live - len(inspected)
    assert summary["overdue"] == 99 - 3 - 1 + 1 - 1 or summary["overdue"] == len(result["overdue"])


def test_filters_and_ranges(quarter, auth):
    client = auth("viewer")
    prefecture = _row(
        client.get("/api/v1/coverage?quarter=2026Q1").get_json(), quarter["partial"].code
    )["prefecture"]
    result = client.get(f"/api/v1/coverage?quarter=2026Q1&prefecture={prefecture}").get_json()
    assert {r["prefecture"] for r in result["sites"]} == {prefecture}
    county = quarter["partial"].region_code
    one = client.get(f"/api/v1/coverage?quarter=2026Q1&county={county}").get_json()
    assert [r["code"] for r in one["sites"]] == [quarter["partial"].code]
    type_code = quarter["partial_devices"][0].type.code
    typed = client.get(f"/api/v1/coverage?quarter=2026Q1&county={county}&device_type={type_code}")
    row = typed.get_json()["sites"][0]
    assert row["inspected"] == 1
    assert row["unexpected"] == int(quarter["stray"].type.code == type_code)  # unknown tag: no type
    assert row["expected"] == sum(d.type.code == type_code for d in quarter["partial_devices"])
    december = client.get("/api/v1/coverage?from=2025-12-01&to=2025-12-31").get_json()
    old = _row(december, quarter["partial"].code)
    assert old["inspected"] == old["expected"] and old["missing"] == 0
    assert december["summary"]["planned"] == 0


@pytest.mark.parametrize(
    "query, field",
    [
        ("quarter=2026Q9", "quarter"),
        ("quarter=abc", "quarter"),
        ("", "quarter"),
        ("from=2026-01-01", "to"),
        ("from=2026-03-01&to=2026-01-01", "to"),
        ("quarter=2026-Q1", "YYYYQn"),
        ("quarter=2026Q1&from=2026-01-01", "quarter"),
        ("from=2026-02-30&to=2026-03-01", "from"),
        ("quarter=2026Q1&kind=weekly", "kind"),
        ("quarter=2026Q1&colour=red", "colour"),
        ("quarter=2026Q1&include=missing,everything", "include"),
    ],
)
def test_bad_queries_are_422(reference_data, auth, query, field):
    response = auth("viewer").get(f"/api/v1/coverage?{query}")
    assert response.status_code == 422, (query, response.get_json())
    assert field in str(response.get_json()["error"])


def test_exports(quarter, auth):
    client = auth("viewer")
    response = client.get("/api/v1/coverage/export.csv?quarter=2026Q1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 99 and rows[0]["code"]
    missing = client.get("/api/v1/coverage/export.csv?quarter=2026Q1&table=missing")
    lines = missing.get_data().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("site_code,site_name,tag")
    json_missing = client.get("/api/v1/coverage?quarter=2026Q1&include=missing").get_json()[
        "missing_devices"
    ]
    assert len(lines) - 1 == len(json_missing)
    xlsx = client.get("/api/v1/coverage/export.xlsx?quarter=2026Q1")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.get_data()))
    assert book.sheetnames == [
        "sites",
        "missing",
        "unexpected",
        "never_inspected",
        "failed",
        "overdue",
    ]
    assert book["sites"].max_row == 100
    assert client.get("/api/v1/coverage/export.csv?quarter=2026Q1&table=x").status_code == 422


def test_site_detail_shows_last_inspections(quarter, auth):
    client = auth("engineer")
    code = quarter["full"].code
    detail = client.get(f"/api/v1/coverage/sites/{code}?quarter=2026Q1").get_json()
    assert detail["code"] == code
    devices = {d["tag"]: d for d in detail["devices"]}
    assert set(devices) == {d.tag for d in quarter["full_devices"]}
    corrected = devices[quarter["full_devices"][0].tag]
    assert corrected["last_inspection"]["outcome"] == "pass"
    assert all(d["inspected_in_period"] for d in devices.values())
    assert detail["visits"][0]["inspections"] == len(quarter["full_devices"]) + 1
    assert client.get("/api/v1/coverage/sites/nope").status_code == 404


def test_map_tiles(quarter, auth):
    result = auth("viewer").get("/api/v1/coverage/map?quarter=2026Q1").get_json()
    tiles = result["tiles"]
    assert len(tiles) == 99
    cells = {(t["x"], t["y"]) for t in tiles}
    assert len(cells) == 99
    assert all(0 <= t["x"] < result["width"] and 0 <= t["y"] < result["height"] for t in tiles)
    states = {t["code"]: t["state"] for t in tiles}
    assert states[quarter["full"].code] == "complete"
    assert states[quarter["partial"].code] == "partial"
    assert sum(s in ("planned", "missed") for s in states.values()) == 28
    assert {t["tier"] for t in tiles} == {"province", "prefecture", "county"}


def test_page_and_its_files_are_served_by_the_project(client):
    page = client.get("/coverage")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/static/coverage/coverage.js" in html and "http" not in html.replace("http-equiv", "")
    for name in ("coverage.js", "coverage.css", "i18n.js"):
        response = client.get(f"/static/coverage/{name}")
        assert response.status_code == 200, name
        assert "https://" not in response.get_data(as_text=True)
        response.close()
    page.close()


def test_cached_table_follows_new_records(quarter, auth, field):
    client = auth("viewer")
    url = f"/api/v1/coverage?quarter=2026Q1&county={quarter['partial'].region_code}"
    before = client.get(url).get_json()["sites"][0]
    visit = field.visit(
        quarter["partial"], quarter["plan"].entries[0].engineer or client.user, utc(2026, 3, 20, 2)
    )
    field.inspection(visit, quarter["partial_devices"][1])
    db.session.commit()
    after = client.get(url).get_json()["sites"][0]
    assert after["inspected"] == before["inspected"] + 1
    assert after["missing"] == before["missing"] - 1 and after["visits"] == before["visits"] + 1


def test_fast_dumps_equal_the_schema_dumps(quarter):
    """The table and the map answer fast_dump() of the service's dicts: the same JSON the
    declared schemas dump, every row and every list, instants and days alike."""
    from server.api.out import fast_dump
    from server.api.schemas_coverage import CoverageMapOut, CoverageOut
    from server.services.coverage import details, summary
    from server.services.coverage import map as coverage_map
    from server.services.coverage.scope import LIST_LIMIT, scope_from

    for kind in ("quarterly", "daily"):
        scope = scope_from({"from": None, "quarter": "2026Q1", "kind": kind})
        result = summary.summarise(scope)
        result["overdue"] = [{"code": "x", "name": "x", "prefecture": "x", "last_visit": None}]
        result["list_limit"] = LIST_LIMIT
        result["list_page"] = 1
        result["list_totals"] = {"missing": 1, "never_inspected": 2}
        result["missing_devices"] = details.missing_devices(scope, LIST_LIMIT)
        result["unexpected_devices"] = details.unexpected_devices(scope, LIST_LIMIT)
        result["failed"] = details.failed_items(scope, LIST_LIMIT)
        count, items = details.never_inspected(scope, LIST_LIMIT)
        result["never_inspected"] = {"count": count, "items": items}
        assert result["sites"] and result["never_inspected"]["items"]
        if kind == "quarterly":
            assert result["missing_devices"] and result["failed"] and result["unexpected_devices"]
        assert _first_difference(fast_dump(CoverageOut, result), CoverageOut().dump(result)) is None
        tiles = coverage_map.tiles(scope)
        assert (
            _first_difference(fast_dump(CoverageMapOut, tiles), CoverageMapOut().dump(tiles))
            is None
        )


def _first_difference(ours, dumped, path="") -> str | None:
    """Where two JSON values first differ (a path and both values), or None."""
    if isinstance(ours, dict) and isinstance(dumped, dict):
        if set(ours) != set(dumped):
            return f"{path}: keys {sorted(set(ours) ^ set(dumped))}"
        found = (_first_difference(ours[k], dumped[k], f"{path}.{k}") for k in ours)
        return next((d for d in found if d), None)
    if isinstance(ours, list) and isinstance(dumped, list) and len(ours) == len(dumped):
        found = (
            _first_difference(a, b, f"{path}[{n}]") for n, (a, b) in enumerate(zip(ours, dumped))
        )
        return next((d for d in found if d), None)
    return (
        None if ours == dumped and type(ours) is type(dumped) else f"{path}: {ours!r} != {dumped!r}"
    )
