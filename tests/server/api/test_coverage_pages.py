"""Coverage detail lists in pages: exactly the old definitions, and pages that make the list."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.api.schemas_coverage import DeviceRowOut, FailedRowOut, UnexpectedRowOut
from server.extensions import db
from server.models import Device, Inspection, Room, Site
from server.services.coverage import details
from server.services.coverage.scope import scope_from
from tests.server.api.test_coverage import field, quarter  # noqa: F401 (fixtures)

ALL = "missing,unexpected,failed,never_inspected"
KEYS = {
    "missing": lambda r: r["missing_devices"],
    "unexpected": lambda r: r["unexpected_devices"],
    "failed": lambda r: r["failed"],
    "never_inspected": lambda r: r["never_inspected"]["items"],
}


def _old_never_inspected(scope) -> list[tuple[str, str]]:
    """The definition before the grouped join: a NOT EXISTS per live device."""
    ever = sa.select(Inspection.id).where(
        Inspection.device_id == Device.id, Inspection.client_time < scope.end_at
    )
    query = (
        sa.select(Site.code, Device.tag)
        .join(Room, Room.site_id == Site.id)
        .join(Device, Device.room_id == Room.id)
        .where(Device.status.in_(("in_service", "faulty", "in_repair")), ~ever.exists())
        .order_by(Site.code, Device.tag)
    )
    return [tuple(r) for r in db.session.execute(query)]


def test_never_inspected_equals_the_old_definition(quarter):  # noqa: F811
    for period in ("2026Q1", "2025Q4", "2024Q1"):
        scope = scope_from({"quarter": period})
        count, rows = details.never_inspected(scope)
        old = _old_never_inspected(scope)
        assert [(r["site_code"], r["tag"]) for r in rows] == old and count == len(old) > 0


def test_pages_concatenate_to_the_whole_lists(quarter, auth):  # noqa: F811
    client = auth("viewer")
    scope = scope_from({"quarter": "2026Q1"})
    whole = {  # the service's whole lists, dumped as the API dumps them
        "missing": DeviceRowOut(many=True).dump(details.missing_devices(scope)),
        "unexpected": UnexpectedRowOut(many=True).dump(details.unexpected_devices(scope)),
        "failed": FailedRowOut(many=True).dump(details.failed_items(scope)),
        "never_inspected": DeviceRowOut(many=True).dump(details.never_inspected(scope)[1]),
    }
    first = client.get(f"/api/v1/coverage?quarter=2026Q1&include={ALL}").get_json()
    assert first["list_page"] == 1 and first["list_limit"] == 500
    assert first["list_totals"] == {name: len(rows) for name, rows in whole.items()}
    assert len(whole["never_inspected"]) > 500 and first["never_inspected"]["count"] > 500
    for name, rows in whole.items():
        assert KEYS[name](first) == rows[:500], name
        per_page, pages, number = len(rows) // 3 + 1, [], 1
        while True:
            url = (
                f"/api/v1/coverage?quarter=2026Q1&include={name}&page={number}&per_page={per_page}"
            )
            result = client.get(url).get_json()
            assert result["list_totals"] == {name: len(rows)} and result["list_page"] == number
            page = KEYS[name](result)
            assert len(page) <= per_page
            if not page:
                break
            pages += page
            number += 1
        assert number - 1 == -(-len(rows) // per_page) >= 2 and pages == rows, name


def test_a_page_past_the_end_is_empty_with_its_total(quarter, auth):  # noqa: F811
    result = (
        auth("viewer")
        .get(f"/api/v1/coverage?quarter=2026Q1&include={ALL}&page=100000&per_page=500")
        .get_json()
    )
    assert all(rows(result) == [] for rows in KEYS.values())
    assert all(result["list_totals"][name] > 0 for name in KEYS)
    assert result["summary"]["never_inspected"] == result["list_totals"]["never_inspected"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("page=x", "page"),
        ("page=", "page"),
        ("page=1000001", "page"),
        ("per_page=0", "per_page"),
        ("per_page=501", "per_page"),
        ("per_page=2e1", "per_page"),
        ("per_page=true", "per_page"),
    ],
)
def test_bad_pages_are_422(reference_data, auth, query, field):  # noqa: F811
    response = auth("viewer").get(f"/api/v1/coverage?quarter=2026Q1&include=missing&{query}")
    assert response.status_code == 422, (query, response.get_json())
    assert field in str(response.get_json()["error"])
