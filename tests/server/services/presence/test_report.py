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
