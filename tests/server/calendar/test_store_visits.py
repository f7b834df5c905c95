"""The contractor's spare store (tier 'store') is no visit site: the pack offers it no kind and a
pushed visit there is refused with its own code, nothing stored."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Visit
from server.services.faults.spares import STORE_CODE, seed_spare_places
from tests import sync_records as rec


def test_a_visit_at_the_store_is_refused_and_the_pack_offers_no_kind(reference_data, auth):
    seed_spare_places()
    db.session.commit()
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    assert pack["constants"]["field"]["visit_kinds"]["store"] == []
    assert any(s["code"] == STORE_CODE and s["tier"] == "store" for s in pack["sites"])
    response = engineer.post("/api/v1/sync/push", json={"records": [rec.visit(STORE_CODE)]})
    assert response.status_code == 200, response.get_json()
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected" and result["code"] == "store_not_visit_site", result
    assert "inspection_kind" in result["errors"]["data"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
