"""Tag sources in the reports: the quarterly sampling report counts scanned, typed, listed and
unknown tags and lists the typed ones; the monthly inspection report names each row's source."""

from __future__ import annotations

import sqlalchemy as sa

from server import periods
from server.models import Visit
from server.services.presence import report
from server.services.reports import registry
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"


def _quarter_of(db, visit_uuid: str) -> str:
    started = db.session.scalar(sa.select(Visit.started_at).where(Visit.uuid == visit_uuid))
    return periods.quarter_key(*periods.index_to_quarter(periods.quarter_of(started)))


def test_the_sampling_report_counts_tag_sources_and_lists_typed_tags(
    reference_data, auth, factory, db
):
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    scanned, typed, older = factory.device("L09"), factory.device("L09"), factory.device("L09")
    visit = rec.visit("520000")
    records = [
        visit,
        rec.inspection(template, scanned.tag, visit["uuid"], tag_source="camera"),
        rec.inspection(template, typed.tag, visit["uuid"], tag_source="typed"),
        rec.inspection(template, older.tag, visit["uuid"]),
    ]
    answer = engineer.post(PUSH, json={"records": records}).get_json()
    assert {r["status"] for r in answer["results"]} == {"created"}
    quarter = _quarter_of(db, visit["uuid"])
    found = report.tag_sources(periods.parse_period(quarter), "quarterly")
    assert {c["source"]: c["count"] for c in found["counts"]} == {
        "camera": 1,
        "typed": 1,
        "list": 0,
        "unknown": 1,
    }
    assert [r["tag"] for r in found["typed"]] == [typed.tag]
    html = registry.report_html("sampling_quarterly", quarter)
    assert "标签来源" in html and f'data-typed-tag="{typed.tag}"' in html
    assert f'data-typed-tag="{scanned.tag}"' not in html
    assert '<td class="num" data-source="unknown">1</td>' in html
    # Another kind's report does not count these.
    assert report.tag_sources(periods.parse_period(quarter), "monthly")["total"] == 0


def test_the_sampling_report_lists_each_flagged_inspection(reference_data, auth, factory, db):
    from server.models import Site

    site = db.session.scalar(sa.select(Site).where(Site.code == "520000"))
    site.lat, site.lon = 26.6, 106.7  # where rec.envelope's records are made
    db.session.commit()
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    near, far, typed, nowhere = (factory.device("L09") for _ in range(4))
    visit = rec.visit("520000")
    far_one = rec.inspection(template, far.tag, visit["uuid"], tag_source="camera")
    far_one["position"] = {"lat": 26.645, "lon": 106.7, "accuracy": 30.0}  # 5 km north
    from_visit = rec.inspection(template, nowhere.tag, visit["uuid"], tag_source="camera")
    from_visit["position"] = None  # judged by its visit's position: near
    records = [
        visit,
        rec.inspection(template, near.tag, visit["uuid"], tag_source="camera"),
        far_one,
        rec.inspection(template, typed.tag, visit["uuid"], tag_source="typed"),
        from_visit,
    ]
    answer = engineer.post(PUSH, json={"records": records}).get_json()
    assert {r["status"] for r in answer["results"]} == {"created"}, answer
    quarter = _quarter_of(db, visit["uuid"])
    found = report.flagged_inspections(periods.parse_period(quarter), "quarterly")
    assert found["total"] == 2
    assert {r["tag"]: r["flags"] for r in found["rows"]} == {
        far.tag: ["far"],
        typed.tag: ["typed_tag"],
    }
    assert 4900 < next(r["distance_m"] for r in found["rows"] if r["tag"] == far.tag) < 5100
    html = registry.report_html("sampling_quarterly", quarter)
    assert "需核验的设备检查" in html and 'data-presence-inspections="2"' in html
    row = html.split(f'<tr data-inspection="{far_one["uuid"]}">')[1].split("</tr>")[0]
    assert far.tag in row and "距点位约 50" in row and "（定位精度 30 米）" in row
    row = html.split(f'<tr data-inspection="{records[3]["uuid"]}">')[1].split("</tr>")[0]
    assert typed.tag in row and "手动输入标签" in row
    assert near.tag not in html.split("需核验的设备检查")[1].split("标签来源")[0]
    # Only the quarterly kind's inspections, and a cut list says how many there are.
    assert report.flagged_inspections(periods.parse_period(quarter), "monthly")["total"] == 0
    cut = report.flagged_inspections(periods.parse_period(quarter), "quarterly", limit=1)
    assert (cut["total"], len(cut["rows"])) == (2, 1)
